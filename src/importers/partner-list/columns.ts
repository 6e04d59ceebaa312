/**
 * The partner-list template: one row per partner, or per partner × certification when habilitation
 * applications are imported with it. docs/partner-import.md documents the same columns.
 */

export const partnerColumnKeys = [
  'siret',
  'legalName',
  'nda',
  'addressLine',
  'postalCode',
  'city',
  'email',
  'phone',
  'qualiopiStatus',
  'qualiopiExpiresOn',
  'certificationCode',
  'scope',
  'startsOn',
  'endsOn',
] as const;
export type PartnerColumnKey = (typeof partnerColumnKeys)[number];

export interface PartnerColumn {
  key: PartnerColumnKey;
  /** The header of the template, as errors name the column. */
  header: string;
  /** Other headers accepted for the column (English, older spellings). */
  aliases: readonly string[];
  required: boolean;
  /** The value of the example row of the template. */
  example: string;
}

export const partnerColumns: readonly PartnerColumn[] = [
  {
    key: 'siret',
    header: 'SIRET',
    aliases: ['siret établissement'],
    required: true,
    example: '55210055400013',
  },
  {
    key: 'legalName',
    header: 'Raison sociale',
    aliases: ['legal name', 'nom', 'dénomination'],
    required: true,
    example: 'Centre de formation Exemple',
  },
  {
    key: 'nda',
    header: 'NDA',
    aliases: ['numéro de déclaration d’activité', 'numéro NDA', 'declaration number'],
    required: false,
    example: '11755555575',
  },
  {
    key: 'addressLine',
    header: 'Adresse',
    aliases: ['address'],
    required: false,
    example: '12 rue de la Paix',
  },
  {
    key: 'postalCode',
    header: 'Code postal',
    aliases: ['postal code', 'CP'],
    required: false,
    example: '75002',
  },
  { key: 'city', header: 'Ville', aliases: ['city', 'commune'], required: false, example: 'Paris' },
  {
    key: 'email',
    header: 'E-mail',
    aliases: ['email', 'courriel', 'mail'],
    required: false,
    example: 'contact@exemple.fr',
  },
  {
    key: 'phone',
    header: 'Téléphone',
    aliases: ['phone', 'tel'],
    required: false,
    example: '01 23 45 67 89',
  },
  {
    key: 'qualiopiStatus',
    header: 'Qualiopi',
    aliases: ['statut Qualiopi', 'Qualiopi status'],
    required: false,
    example: 'certifié',
  },
  {
    key: 'qualiopiExpiresOn',
    header: 'Qualiopi expire le',
    aliases: ['expiration Qualiopi', 'Qualiopi expiry', 'Qualiopi expires on'],
    required: false,
    example: '31/12/2027',
  },
  {
    key: 'certificationCode',
    header: 'Code certification',
    aliases: ['certification', 'certification code', 'code RNCP', 'code RS'],
    required: false,
    example: 'RNCP12345',
  },
  {
    key: 'scope',
    header: 'Périmètre',
    aliases: ['scope', 'habilitation', 'périmètre habilitation'],
    required: false,
    example: 'former et évaluer',
  },
  {
    key: 'startsOn',
    header: 'Début habilitation',
    aliases: ['date de début', 'starts on', 'start'],
    required: false,
    example: '01/01/2026',
  },
  {
    key: 'endsOn',
    header: 'Fin habilitation',
    aliases: ['date de fin', 'ends on', 'end'],
    required: false,
    example: '31/12/2028',
  },
];

export const columnByKey = Object.fromEntries(partnerColumns.map((c) => [c.key, c])) as Record<
  PartnerColumnKey,
  PartnerColumn
>;

/**
 * Compares headers as people type them: case, accents, apostrophes, spaces and punctuation ignored, so
 * `Code postal`, `code_postal` and `CODE POSTAL` are one column.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const byHeader = new Map<string, PartnerColumnKey>();
for (const column of partnerColumns)
  for (const name of [column.header, column.key, ...column.aliases])
    byHeader.set(headerKey(name), column.key);

/** The column a header names, or undefined when it is none of the template's. */
export const columnOfHeader = (header: string): PartnerColumnKey | undefined =>
  byHeader.get(headerKey(header));
