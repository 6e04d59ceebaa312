/**
 * How two spellings of a person's name are compared: accents, case, hyphens, apostrophes and repeated
 * spaces do not count (`Lefèvre-Durand` = `LEFEVRE DURAND`). Used to recognise a candidate in a results file
 * and to find the same person declared by two partners.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The first of a person's first names, normalised: `Camille Marie` and `Camille` are the same first name. */
export const firstFirstName = (firstNames: string): string => normaliseName(firstNames).split(' ')[0] ?? '';

/** The key two records of the same person share: normalised birth name, first first name, birth date. */
export function identityKey(p: { birthName: string; firstNames: string; birthDate: string | null }): string {
  return `${normaliseName(p.birthName)}|${firstFirstName(p.firstNames)}|${p.birthDate ?? ''}`;
}
