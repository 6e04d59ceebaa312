import { type CodeLabelTable, codeLabel } from '../../core/labels/code-labels.js';

/**
 * French labels of the domain's codes, as the reports print them: the shared tables of core/labels (the
 * screens show the same), plus a few only reports need.
 */

const frenchLabel = (table: CodeLabelTable) => (code: string | null | undefined) =>
  codeLabel('fr', table, code);

const label =
  (table: Record<string, string>) =>
  (code: string | null | undefined): string =>
    code == null ? '—' : (table[code] ?? code);

export const habilitationStatusLabel = frenchLabel('habilitationStatus');

export const scopeLabel = frenchLabel('scope');

export const fcTypeLabel = label({
  HABILITATION_FORMER: 'Former',
  HABILITATION_ORGANISER: 'Organiser l’évaluation',
  HABILITATION_ORGA_FORM: 'Former et organiser',
});

export const conventionStatusLabel = frenchLabel('conventionStatus');

export const controlKindLabel = frenchLabel('controlKind');

export const controlStatusLabel = frenchLabel('controlStatus');

export const severityLabel = frenchLabel('severity');

export const findingStatusLabel = frenchLabel('findingStatus');

/** Lower-case: it is printed inside a sentence (« dernière réalisée »). */
export const actionStatusLabel = (code: string | null | undefined) =>
  frenchLabel('actionStatus')(code).toLocaleLowerCase('fr');

export const sanctionLevelLabel = frenchLabel('sanctionLevel');

export const sanctionStatusLabel = frenchLabel('sanctionStatus');

export const juryStatusLabel = frenchLabel('juryStatus');

export const accrochageStatusLabel = frenchLabel('accrochageStatus');

export const accessRouteLabel = frenchLabel('accessRoute');

export const entityTypeLabel = label({
  organisation: 'Organisme',
  certification: 'Certification',
  habilitation: 'Habilitation',
  convention: 'Convention',
  training_session: 'Session de formation',
  assessment_session: 'Session d’évaluation',
  candidate: 'Candidat',
  jury: 'Jury',
  certificate: 'Certificat',
  control: 'Contrôle',
  finding: 'Constat',
  corrective_action: 'Action corrective',
  sanction: 'Sanction',
  declaration: 'Déclaration à France Compétences',
});

/** `2026-03-02` → `02/03/2026`. */
export function shortDate(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const s = typeof iso === 'string' ? iso : iso.toISOString();
  const [y, m, d] = s.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** A ratio as a French percentage: 0.125 → `12,5 %`; no denominator → `—`. */
export function percent(numerator: number, denominator: number): string {
  if (!denominator) return '—';
  return `${(Math.round((numerator / denominator) * 1000) / 10).toString().replace('.', ',')} %`;
}

/**
 * `1234567` → `1 234 567`, grouped with no-break spaces: the narrow one French typesetting prefers (U+202F)
 * has no glyph in the Roboto that pdfmake embeds, and would print as a missing-glyph box.
 */
export function frenchInteger(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

/** Bytes for people: `1,5 Mo`. */
export function frenchBytes(n: number): string {
  if (n < 1024) return `${n} o`;
  const units = ['Ko', 'Mo', 'Go', 'To'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${(Math.round(v * 10) / 10).toString().replace('.', ',')} ${units[i]}`;
}
