import type { Migration } from 'kysely';
import * as m20261123T1000 from './2026-11-23T1000-domain-model-v1.js';
import * as m20261123T1100 from './2026-11-23T1100-network.js';
import * as m20261123T1200 from './2026-11-23T1200-registry.js';
import * as m20261123T1300 from './2026-11-23T1300-declarations.js';
import * as m20261123T1350 from './2026-11-23T1350-data-change-notify.js';
import * as m20261123T1400 from './2026-11-23T1400-registry-compressed-snapshots.js';
import * as m20261123T1500 from './2026-11-23T1500-partner-portal.js';
import * as m20261123T1550 from './2026-11-23T1550-network-list.js';
import * as m20261123T1560 from './2026-11-23T1560-habilitation-sites.js';
import * as m20261123T1600 from './2026-11-23T1600-certifier-settings.js';
import * as m20261123T1700 from './2026-11-23T1700-control-plans.js';
import * as m20261123T1750 from './2026-11-23T1750-audits-findings.js';
import * as m20261123T1800 from './2026-11-23T1800-cpf-offers.js';
import * as m20261123T1900 from './2026-11-23T1900-insertion-surveys.js';
import * as m20261123T2100 from './2026-11-23T2100-control-rule-indexes.js';
import * as m20261123T2300 from './2026-11-23T2300-certificate-disclosure.js';
import * as m20261123T2400 from './2026-11-23T2400-network-risk-levels.js';
import * as m20261123T2500 from './2026-11-23T2500-insertion-international.js';

/**
 * Every migration, by name, in the order they apply. A static list (rather than reading the folder) so the
 * same code runs from TypeScript sources and from the compiled dist/.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-23T1000-domain-model-v1': m20261123T1000,
  '2026-11-23T1100-network': m20261123T1100,
  '2026-11-23T1200-registry': m20261123T1200,
  '2026-11-23T1300-declarations': m20261123T1300,
  '2026-11-23T1350-data-change-notify': m20261123T1350,
  '2026-11-23T1400-registry-compressed-snapshots': m20261123T1400,
  '2026-11-23T1500-partner-portal': m20261123T1500,
  '2026-11-23T1550-network-list': m20261123T1550,
  '2026-11-23T1560-habilitation-sites': m20261123T1560,
  '2026-11-23T1600-certifier-settings': m20261123T1600,
  '2026-11-23T1700-control-plans': m20261123T1700,
  '2026-11-23T1750-audits-findings': m20261123T1750,
  '2026-11-23T1800-cpf-offers': m20261123T1800,
  '2026-11-23T1900-insertion-surveys': m20261123T1900,
  '2026-11-23T2100-control-rule-indexes': m20261123T2100,
  '2026-11-23T2300-certificate-disclosure': m20261123T2300,
  '2026-11-23T2400-network-risk-levels': m20261123T2400,
  '2026-11-23T2500-insertion-international': m20261123T2500,
};
