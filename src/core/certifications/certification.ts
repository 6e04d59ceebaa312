/**
 * Rules of certification codes that go beyond the shape checked in validators/identifiers.ts: which register
 * a code belongs to, and which skill block codes belong to which certification.
 */

/** The register of a valid fiche code: `RNCP35419` → `RNCP`, `RS5678` → `RS`. */
export function registerOf(code: string): 'RNCP' | 'RS' {
  return code.startsWith('RNCP') ? 'RNCP' : 'RS';
}

/**
 * What every skill block code of a certification starts with: the fiche code and `BC`. `BC` is part of the
 * prefix so that `RNCP1234BC01` is not taken for a block of `RNCP123`.
 *
 * @example skillBlockCodePrefix('RNCP35419') === 'RNCP35419BC'
 */
export function skillBlockCodePrefix(certificationCode: string): string {
  return `${certificationCode}BC`;
}

/** Whether a skill block code names a block of that certification. */
export function isSkillBlockOf(blockCode: string, certificationCode: string): boolean {
  return blockCode.startsWith(skillBlockCodePrefix(certificationCode));
}
