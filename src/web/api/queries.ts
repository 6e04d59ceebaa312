import { useQuery } from '@tanstack/react-query';
import { system } from '../../core/contracts/index.js';
import { call } from './client.js';

/** GET /api/health: the server's version and whether it still waits for its first admin. */
export const useHealth = () =>
  useQuery({ queryKey: ['health'], queryFn: () => call(system.health), staleTime: 60_000 });
