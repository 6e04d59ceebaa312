import type { FastifyInstance } from 'fastify';
import { system } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function systemRoutes(app: FastifyInstance, services: Services, version: string) {
  route(app, services, system.health, () => services.system.health(version));
}
