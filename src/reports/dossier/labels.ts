/** French labels of the domain's codes, as the reports print them (the web app has its own in i18n). */

const label =
  (table: Record<string, string>) =>
  (code: string | null | undefined): string =>
    code == null ? '—' : (table[code] ?? code);

export const habilitationStatusLabel = label({
  application: 'Demande',
  review: 'En instruction',
  active: 'Active',
  under_watch: 'Sous surveillance',
  suspended: 'Suspendue',
  withdrawn: 'Retirée',
  expired: 'Expirée',
  ended: 'Terminée',
});

export const scopeLabel = label({
  train: 'Préparer (former)',
  evaluate: 'Organiser l’évaluation',
  both: 'Former et évaluer',
});

export const fcTypeLabel = label({
  HABILITATION_FORMER: 'Former',
  HABILITATION_ORGANISER: 'Organiser l’évaluation',
  HABILITATION_ORGA_FORM: 'Former et organiser',
});

export const conventionStatusLabel = label({
  draft: 'Projet',
  sent: 'Envoyée',
  signed: 'Signée',
  expired: 'Expirée',
  terminated: 'Résiliée',
});

export const controlKindLabel = label({
  rule: 'Contrôle automatique',
  documentary: 'Audit documentaire',
  on_site: 'Audit sur site',
  observation: 'Observation d’examen',
  mystery_shop: 'Client mystère',
  communication_review: 'Revue de communication',
  self_assessment: 'Auto-évaluation',
});

export const controlStatusLabel = label({
  planned: 'Planifié',
  in_progress: 'En cours',
  done: 'Réalisé',
  cancelled: 'Annulé',
});

export const severityLabel = label({ minor: 'Mineure', major: 'Majeure', critical: 'Critique' });

export const findingStatusLabel = label({
  open: 'Ouvert',
  qualified: 'Qualifié',
  action_requested: 'Action demandée',
  action_submitted: 'Action proposée',
  verified: 'Vérifié',
  closed: 'Clos',
  escalated: 'Escaladé',
});

export const actionStatusLabel = label({
  proposed: 'proposée',
  accepted: 'acceptée',
  done: 'réalisée',
  verified: 'vérifiée',
  rejected: 'refusée',
});

export const sanctionLevelLabel = label({
  observation: 'Observation',
  warning: 'Avertissement',
  reinforced_watch: 'Surveillance renforcée',
  suspension: 'Suspension',
  withdrawal: 'Retrait d’habilitation',
});

export const sanctionStatusLabel = label({
  proposed: 'Proposée',
  notified: 'Notifiée',
  final: 'Définitive',
  cancelled: 'Annulée',
});

export const juryStatusLabel = label({ planned: 'Planifié', deliberated: 'A délibéré', signed: 'PV signé' });

export const accrochageStatusLabel = label({
  pending: 'À transmettre',
  sent: 'Transmis',
  accepted: 'Accepté',
  rejected: 'Rejeté',
});

export const accessRouteLabel = label({
  initial_training: 'Formation initiale',
  continuing_training: 'Formation continue',
  apprenticeship: 'Apprentissage',
  professionalisation_contract: 'Contrat de professionnalisation',
  vae: 'VAE',
  individual_application: 'Candidature individuelle',
});

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
