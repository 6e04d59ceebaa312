/**
 * The French regions (INSEE codes, since the 2016 reform) and the départements each groups, so that a
 * partner's region can be read from its postal code: the first two digits of a metropolitan postal code
 * are its département (20 for both Corsican départements), the first three of an overseas one (971…976).
 * A postal code occasionally belongs to a neighbouring département's post office; the region derived from
 * it is then the post office's, which is what a list filtered "by region" is expected to show.
 */
export const regions = [
  { code: '01', name: 'Guadeloupe', prefixes: ['971'] },
  { code: '02', name: 'Martinique', prefixes: ['972'] },
  { code: '03', name: 'Guyane', prefixes: ['973'] },
  { code: '04', name: 'La Réunion', prefixes: ['974'] },
  { code: '06', name: 'Mayotte', prefixes: ['976'] },
  { code: '11', name: 'Île-de-France', prefixes: ['75', '77', '78', '91', '92', '93', '94', '95'] },
  { code: '24', name: 'Centre-Val de Loire', prefixes: ['18', '28', '36', '37', '41', '45'] },
  {
    code: '27',
    name: 'Bourgogne-Franche-Comté',
    prefixes: ['21', '25', '39', '58', '70', '71', '89', '90'],
  },
  { code: '28', name: 'Normandie', prefixes: ['14', '27', '50', '61', '76'] },
  { code: '32', name: 'Hauts-de-France', prefixes: ['02', '59', '60', '62', '80'] },
  {
    code: '44',
    name: 'Grand Est',
    prefixes: ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  },
  { code: '52', name: 'Pays de la Loire', prefixes: ['44', '49', '53', '72', '85'] },
  { code: '53', name: 'Bretagne', prefixes: ['22', '29', '35', '56'] },
  {
    code: '75',
    name: 'Nouvelle-Aquitaine',
    prefixes: ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  },
  {
    code: '76',
    name: 'Occitanie',
    prefixes: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  },
  {
    code: '84',
    name: 'Auvergne-Rhône-Alpes',
    prefixes: ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  },
  { code: '93', name: 'Provence-Alpes-Côte d’Azur', prefixes: ['04', '05', '06', '13', '83', '84'] },
  { code: '94', name: 'Corse', prefixes: ['20', '2A', '2B'] },
] as const;

export type RegionCode = (typeof regions)[number]['code'];
export const regionCodes = regions.map((r) => r.code) as [RegionCode, ...RegionCode[]];

const byPrefix = new Map<string, RegionCode>(regions.flatMap((r) => r.prefixes.map((p) => [p, r.code])));

/**
 * The region of a French postal code, or null when there is none (no code, Saint-Pierre-et-Miquelon and
 * the Pacific collectivities, which are not regions; Saint-Barthélemy and Saint-Martin, served by
 * Guadeloupe's 971 post codes, count as Guadeloupe).
 *
 * @example regionOfPostalCode('34000') // '76' (Occitanie)
 */
export function regionOfPostalCode(postalCode: string | null | undefined): RegionCode | null {
  if (!postalCode) return null;
  const code = postalCode.trim().toUpperCase();
  if (code.startsWith('97') || code.startsWith('98')) return byPrefix.get(code.slice(0, 3)) ?? null;
  return byPrefix.get(code.slice(0, 2)) ?? null;
}

/** The postal-code prefixes (2 or 3 characters) of a region: what a SQL filter on postal codes compares. */
export function postalPrefixesOf(region: RegionCode): readonly string[] {
  return regions.find((r) => r.code === region)?.prefixes ?? [];
}

export function regionName(code: RegionCode | null): string | null {
  return code ? (regions.find((r) => r.code === code)?.name ?? null) : null;
}
