import type { AccrochageHolderRecordInput } from './holder-record.schema.js';

const BIRTH_NAMES = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', "N'DIAYE", 'LEFÈVRE', 'GARCÍA-LÓPEZ'];
const FIRST_NAMES = ['Camille', 'Dominique', 'Léa', 'Hugo', 'Inès', 'Noé', 'Zoé', 'Jean-Baptiste'];
const COMMUNES = ['69383', '75112', '13055', '2A004', '97411', '31555'];

/**
 * The n-th synthetic holder record of a deterministic series (n from 1): valid, varied (births in France and
 * abroad, usage names, accents, access routes), for tests and benchmarks. Override what a test is about.
 * Fictional people; the UUIDs are made from n and are valid v4-shaped UUIDs.
 */
export function buildHolderRecord(
  n: number,
  overrides: Partial<AccrochageHolderRecordInput> = {},
): AccrochageHolderRecordInput {
  const hex = n.toString(16).padStart(12, '0');
  const bornAbroad = n % 7 === 0;
  return {
    certificateId: `00000000-0000-4000-8000-${hex}`,
    certificateNumber: `2026-${String(n).padStart(6, '0')}`,
    certificationCode: n % 5 === 0 ? 'RS5568' : 'RNCP37674',
    awardedOn: '2026-02-20',
    proofUrl: `https://certifier.example/verify/CODE-${hex}`,
    assessment: {
      startsOn: '2026-02-10',
      endsOn: '2026-02-11',
      modality: 'in_person',
      centrePostalCode: '69003',
    },
    accessRoute: n % 3 === 0 ? 'vae' : 'continuing_training',
    ...(n % 3 === 0 ? { vaeRoute: 'standard' as const } : {}),
    honours: n % 4 === 0 ? 'good' : null,
    registration: { initiative: 'holder', registeredOn: '2025-09-01' },
    holder: {
      birthName: BIRTH_NAMES[n % BIRTH_NAMES.length]!,
      usageName: n % 6 === 0 ? 'DURAND' : null,
      firstNames:
        n % 2 === 0
          ? [FIRST_NAMES[n % FIRST_NAMES.length]!, 'Marie']
          : [FIRST_NAMES[n % FIRST_NAMES.length]!],
      sex: n % 2 === 0 ? 'F' : 'M',
      birthDate: `19${70 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`,
      ...(bornAbroad
        ? { birthCountryCode: '99350', birthCountryName: 'MAROC' }
        : { birthPlaceCode: COMMUNES[n % COMMUNES.length]!, birthPlaceName: 'COMMUNE EXEMPLE' }),
    },
    ...overrides,
  };
}
