import type { StatisticsLine, StatisticsReport } from '../../core/statistics/statistics.schema.js';
import { accessRouteLabel } from '../dossier/labels.js';
import { sheetOf, type TableColumn, toXlsx } from '../tabular/tabular.js';

/** Candidate-level counts, as the repository groups them (certification × year × partner × access route). */
export interface FactRow {
  certificationId: string;
  year: number;
  organisationId: string | null;
  accessRoute: string | null;
  candidates: number;
  presented: number;
  deliberated: number;
  certifiedFull: number;
  certifiedByBlocks: number;
  failed: number;
  certifiedVae: number;
}

export interface StatisticsNames {
  certifications: ReadonlyMap<string, { code: string; title: string }>;
  organisations: ReadonlyMap<string, { siret: string; legalName: string }>;
  skillBlocks: ReadonlyMap<string, { code: string; title: string }>;
}

const counters = [
  'candidates',
  'presented',
  'deliberated',
  'certifiedFull',
  'certifiedByBlocks',
  'failed',
  'certifiedVae',
] as const;

const ratio = (n: number, d: number) => (d ? n / d : null);

/**
 * Sums the facts along one dimension (none, access route, or partner): each candidate has one route and one
 * organisation, so sums of distinct counts stay distinct counts. Lines come sorted by year, certification
 * code, then label.
 */
export function rollUp(
  facts: readonly FactRow[],
  names: StatisticsNames,
  dimension: 'none' | 'accessRoute' | 'partner',
): StatisticsLine[] {
  const lines = new Map<string, StatisticsLine>();
  for (const f of facts) {
    const cert = names.certifications.get(f.certificationId);
    if (!cert) continue;
    let key: string | null = null;
    let label: string | null = null;
    if (dimension === 'accessRoute') {
      key = f.accessRoute ?? 'unknown';
      label = f.accessRoute ? accessRouteLabel(f.accessRoute) : 'Non renseignée';
    } else if (dimension === 'partner') {
      const org = f.organisationId ? names.organisations.get(f.organisationId) : undefined;
      key = org?.siret ?? 'none';
      label = org ? `${org.legalName} (${org.siret})` : 'Candidature libre';
    }
    const id = `${f.year}|${cert.code}|${key ?? ''}`;
    const line =
      lines.get(id) ??
      ({
        certificationCode: cert.code,
        certificationTitle: cert.title,
        year: f.year,
        key,
        label,
        candidates: 0,
        presented: 0,
        deliberated: 0,
        certifiedFull: 0,
        certifiedByBlocks: 0,
        failed: 0,
        certifiedVae: 0,
        successRate: null,
        successRateWithBlocks: null,
      } satisfies StatisticsLine);
    for (const c of counters) line[c] += f[c];
    lines.set(id, line);
  }
  return [...lines.values()]
    .map((l) => ({
      ...l,
      successRate: ratio(l.certifiedFull, l.deliberated),
      successRateWithBlocks: ratio(l.certifiedFull + l.certifiedByBlocks, l.deliberated),
    }))
    .sort(
      (a, b) =>
        a.year - b.year ||
        a.certificationCode.localeCompare(b.certificationCode) ||
        (a.label ?? '').localeCompare(b.label ?? ''),
    );
}

const lineColumns = (keyTitle: string | null): TableColumn<StatisticsLine>[] => [
  { title: 'Année', value: (l) => l.year, kind: 'integer', width: 8 },
  { title: 'Code', value: (l) => l.certificationCode, width: 14 },
  { title: 'Certification', value: (l) => l.certificationTitle, width: 36 },
  ...(keyTitle ? [{ title: keyTitle, value: (l: StatisticsLine) => l.label, width: 36 }] : []),
  { title: 'Candidats inscrits', value: (l) => l.candidates, kind: 'integer', width: 12 },
  { title: 'Présentés', value: (l) => l.presented, kind: 'integer', width: 11 },
  { title: 'Délibérés', value: (l) => l.deliberated, kind: 'integer', width: 11 },
  { title: 'Certifiés (totalité)', value: (l) => l.certifiedFull, kind: 'integer', width: 13 },
  { title: 'Certifiés par blocs', value: (l) => l.certifiedByBlocks, kind: 'integer', width: 13 },
  { title: 'Échecs', value: (l) => l.failed, kind: 'integer', width: 9 },
  { title: 'Dont certifiés par VAE', value: (l) => l.certifiedVae, kind: 'integer', width: 13 },
  { title: 'Taux de réussite (totalité)', value: (l) => l.successRate, kind: 'percent', width: 14 },
  {
    title: 'Taux de réussite (avec blocs)',
    value: (l) => l.successRateWithBlocks,
    kind: 'percent',
    width: 14,
  },
];

/**
 * The workbook a renewal file needs: one sheet per view (by year — the figures France Compétences
 * publishes per fiche —, by access route, by partner, by skill block), each with a caption naming the
 * scope and how the counts are made.
 */
/** One insertion survey campaign as the workbook's « Insertion » sheet shows it. */
export interface InsertionLine {
  certificationCode: string;
  horizon: '6_months' | '2_years';
  cohortYear: number;
  invited: number;
  respondents: number;
  responseRate: number | null;
  excluded: number;
  base: number;
  employedTarget: number;
  employedAny: number;
  targetRate: number | null;
  globalRate: number | null;
}

export function statisticsXlsx(
  report: StatisticsReport,
  scope: string,
  generatedOn: string,
  insertion: readonly InsertionLine[] = [],
): Promise<Buffer> {
  const caption = (title: string) => [
    title,
    `${scope} — établi le ${generatedOn.split('-').reverse().join('/')} par Habilis`,
    'Effectifs de candidats distincts ; décision retenue : la dernière du jury dans l’année ; taux = certifiés / délibérés.',
  ];
  return toXlsx([
    sheetOf({
      name: 'Par année',
      caption: caption('Statistiques par certification et par année'),
      columns: lineColumns(null),
      rows: report.byYear,
    }),
    sheetOf({
      name: 'Par voie d’accès',
      caption: caption('Statistiques par voie d’accès'),
      columns: lineColumns('Voie d’accès'),
      rows: report.byAccessRoute,
    }),
    sheetOf({
      name: 'Par partenaire',
      caption: caption('Statistiques par partenaire'),
      columns: lineColumns('Partenaire'),
      rows: report.byPartner,
    }),
    sheetOf({
      name: 'Par bloc',
      caption: caption('Blocs de compétences : candidats évalués et blocs validés'),
      rows: report.bySkillBlock,
      columns: [
        { title: 'Année', value: (l) => l.year, kind: 'integer', width: 8 },
        { title: 'Code', value: (l) => l.certificationCode, width: 14 },
        { title: 'Bloc', value: (l) => l.blockCode, width: 18 },
        { title: 'Intitulé du bloc', value: (l) => l.blockTitle, width: 40 },
        { title: 'Candidats évalués', value: (l) => l.presented, kind: 'integer', width: 12 },
        { title: 'Bloc validé', value: (l) => l.validated, kind: 'integer', width: 12 },
        { title: 'Taux de validation', value: (l) => l.successRate, kind: 'percent', width: 14 },
      ] satisfies TableColumn<StatisticsReport['bySkillBlock'][number]>[],
    }),
    sheetOf({
      name: 'Insertion',
      caption: [
        'Insertion professionnelle des titulaires (enquêtes à 6 mois et à 2 ans)',
        `${scope} — établi le ${generatedOn.split('-').reverse().join('/')} par Habilis`,
        'Base des taux = répondants hors poursuite d’études, alternance, inaptitude et emploi hors du marché du travail français.',
      ],
      rows: insertion,
      columns: [
        { title: 'Code', value: (l) => l.certificationCode, width: 14 },
        { title: 'Échéance', value: (l) => (l.horizon === '6_months' ? '6 mois' : '2 ans'), width: 10 },
        { title: 'Promotion', value: (l) => l.cohortYear, kind: 'integer', width: 10 },
        { title: 'Titulaires interrogés', value: (l) => l.invited, kind: 'integer', width: 12 },
        { title: 'Répondants', value: (l) => l.respondents, kind: 'integer', width: 11 },
        { title: 'Taux de réponse', value: (l) => l.responseRate, kind: 'percent', width: 12 },
        { title: 'Exclus', value: (l) => l.excluded, kind: 'integer', width: 9 },
        { title: 'Base', value: (l) => l.base, kind: 'integer', width: 9 },
        {
          title: 'En emploi dans le métier visé',
          value: (l) => l.employedTarget,
          kind: 'integer',
          width: 14,
        },
        { title: 'En emploi', value: (l) => l.employedAny, kind: 'integer', width: 10 },
        {
          title: 'Taux d’insertion dans le métier visé',
          value: (l) => l.targetRate,
          kind: 'percent',
          width: 16,
        },
        {
          title: 'Taux d’insertion global dans l’emploi',
          value: (l) => l.globalRate,
          kind: 'percent',
          width: 16,
        },
      ] satisfies TableColumn<InsertionLine>[],
    }),
  ]);
}
