import type { Migration } from 'kysely';
import * as m20261123T1000 from './2026-11-23T1000-domain-model-v1.js';
import * as m20261123T1100 from './2026-11-23T1100-network.js';
import * as m20261123T1200 from './2026-11-23T1200-registry.js';
import * as m20261123T1300 from './2026-11-23T1300-declarations.js';

/**
 * Every migration, by name, in the order they apply. A static list (rather than reading the folder) so the
 * same code runs from TypeScript sources and from the compiled dist/.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-23T1000-domain-model-v1': m20261123T1000,
  '2026-11-23T1100-network': m20261123T1100,
  '2026-11-23T1200-registry': m20261123T1200,
  '2026-11-23T1300-declarations': m20261123T1300,
};
