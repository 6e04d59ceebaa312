import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { frenchDate, renderPdf } from '../certificate/render-pdf.js';
import {
  controlKindLabel,
  controlStatusLabel,
  conventionStatusLabel,
  findingStatusLabel,
  frenchBytes,
  frenchInteger,
  habilitationStatusLabel,
  percent,
  sanctionLevelLabel,
  sanctionStatusLabel,
  scopeLabel,
  severityLabel,
  shortDate,
} from '../dossier/labels.js';
import { brandBlock, pageFrame, pdfTable, type ReportBranding, reportStyles } from '../dossier/pdf.js';
import { sheetOf, type TableColumn, toXlsx } from '../tabular/tabular.js';

/**
 * The quality reports of the network, each an A4 PDF with the certifier's name (and logo), a running header
 * and numbered pages: the partner scorecard, the report of one control (its checklist, its findings, its
 * evidence) and the network overview (also as XLSX).
 */

const h2 = (text: string): Content => ({ text, style: 'h2' });
const kpis = (items: [label: string, value: string][]): Content => ({
  table: {
    widths: items.map(() => '*'),
    body: [
      items.map(([, value]) => ({
        text: value,
        fontSize: 16,
        bold: true,
        color: '#1c3d6e',
        alignment: 'center' as const,
      })),
      items.map(([label]) => ({ text: label, fontSize: 8, color: '#5c6773', alignment: 'center' as const })),
    ],
  },
  layout: 'noBorders',
  margin: [0, 4, 0, 10],
});

function document(
  title: string,
  subtitle: string,
  branding: ReportBranding,
  generatedAt: string,
  body: Content[],
): Promise<Buffer> {
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [40, 45, 40, 40],
    info: {
      title: `${title} — ${subtitle}`,
      author: branding.certifierName,
      creator: 'Habilis',
      producer: 'Habilis',
      creationDate: new Date(generatedAt),
    },
    ...pageFrame(`${title} — ${subtitle}`, branding.certifierName),
    content: [
      brandBlock(branding),
      { text: title, fontSize: 20, bold: true, color: '#1c3d6e', margin: [0, 18, 0, 2] },
      { text: subtitle, fontSize: 12, color: '#1c3d6e', margin: [0, 0, 0, 2] },
      { text: `Établi le ${frenchDate(generatedAt)} par Habilis.`, style: 'small', margin: [0, 0, 0, 10] },
      ...body,
    ],
    styles: reportStyles,
    defaultStyle: { font: 'Roboto', fontSize: 9.5 },
  };
  return renderPdf(definition);
}

// ---- partner scorecard -------------------------------------------------------------------------------------

export interface ScorecardData {
  generatedAt: string;
  organisation: {
    siret: string;
    nda: string | null;
    legalName: string;
    city: string | null;
    qualiopiStatus: string;
    qualiopiExpiresOn: string | null;
  };
  habilitations: {
    code: string;
    title: string;
    scope: string;
    status: string;
    startsOn: string;
    endsOn: string | null;
  }[];
  conventions: {
    reference: string;
    version: number;
    status: string;
    startsOn: string;
    endsOn: string | null;
    signedOn: string | null;
  }[];
  outcomes: {
    certificationCode: string;
    presented: number;
    deliberated: number;
    certified: number;
    certifiedByBlocks: number;
  }[];
  controls: {
    kind: string;
    title: string;
    status: string;
    plannedOn: string | null;
    performedOn: string | null;
  }[];
  findings: { title: string; severity: string; status: string; openedAt: string; closedAt: string | null }[];
  sanctions: { level: string; reasons: string; decidedOn: string; status: string }[];
}

const isOpen = (status: string) => !['closed', 'verified'].includes(status);

/** The scorecard of one partner: identity and Qualiopi, habilitations, conventions, results, controls, findings, sanctions. */
export function scorecardPdf(data: ScorecardData, branding: ReportBranding): Promise<Buffer> {
  const o = data.organisation;
  const open = data.findings.filter((f) => isOpen(f.status));
  const presented = data.outcomes.reduce((n, r) => n + r.presented, 0);
  const deliberated = data.outcomes.reduce((n, r) => n + r.deliberated, 0);
  const certified = data.outcomes.reduce((n, r) => n + r.certified, 0);
  const body: Content[] = [
    {
      text: [
        `SIRET ${o.siret}`,
        o.nda ? ` · NDA ${o.nda}` : '',
        o.city ? ` · ${o.city}` : '',
        ` · Qualiopi : ${o.qualiopiStatus}${o.qualiopiExpiresOn ? ` (jusqu’au ${shortDate(o.qualiopiExpiresOn)})` : ''}`,
      ].join(''),
      margin: [0, 0, 0, 6],
    },
    kpis([
      [
        'Habilitations en vigueur',
        frenchInteger(data.habilitations.filter((h) => ['active', 'under_watch'].includes(h.status)).length),
      ],
      ['Candidats présentés', frenchInteger(presented)],
      ['Taux de réussite', percent(certified, deliberated)],
      ['Contrôles réalisés', frenchInteger(data.controls.filter((c) => c.status === 'done').length)],
      ['Constats ouverts', frenchInteger(open.length)],
      ['Sanctions', frenchInteger(data.sanctions.filter((s) => s.status !== 'cancelled').length)],
    ]),
    h2('Habilitations'),
    ...pdfTable(
      [
        { title: 'Certification', value: (h) => `${h.code} — ${h.title}` },
        { title: 'Périmètre', value: (h) => scopeLabel(h.scope) },
        { title: 'Statut', value: (h) => habilitationStatusLabel(h.status) },
        {
          title: 'Période',
          value: (h) => `${shortDate(h.startsOn)} – ${h.endsOn ? shortDate(h.endsOn) : '…'}`,
        },
      ] satisfies TableColumn<ScorecardData['habilitations'][number]>[],
      data.habilitations,
      ['*', 90, 70, 100],
    ),
    h2('Conventions'),
    ...pdfTable(
      [
        { title: 'Référence', value: (c) => `${c.reference} v${c.version}` },
        { title: 'Statut', value: (c) => conventionStatusLabel(c.status) },
        { title: 'Signée le', value: (c) => shortDate(c.signedOn) },
        {
          title: 'Validité',
          value: (c) => `${shortDate(c.startsOn)} – ${c.endsOn ? shortDate(c.endsOn) : '…'}`,
        },
      ] satisfies TableColumn<ScorecardData['conventions'][number]>[],
      data.conventions,
      ['*', 70, 70, 110],
    ),
    h2('Résultats des candidats'),
    ...pdfTable(
      [
        { title: 'Certification', value: (r) => r.certificationCode },
        { title: 'Présentés', value: (r) => r.presented },
        { title: 'Délibérés', value: (r) => r.deliberated },
        { title: 'Certifiés', value: (r) => r.certified },
        { title: 'Par blocs', value: (r) => r.certifiedByBlocks },
        { title: 'Réussite', value: (r) => percent(r.certified, r.deliberated) },
      ] satisfies TableColumn<ScorecardData['outcomes'][number]>[],
      data.outcomes,
      ['*', 60, 60, 60, 60, 60],
    ),
    h2('Contrôles'),
    ...pdfTable(
      [
        { title: 'Type', value: (c) => controlKindLabel(c.kind) },
        { title: 'Objet', value: (c) => c.title },
        { title: 'Statut', value: (c) => controlStatusLabel(c.status) },
        { title: 'Date', value: (c) => shortDate(c.performedOn ?? c.plannedOn) },
      ] satisfies TableColumn<ScorecardData['controls'][number]>[],
      data.controls,
      [100, '*', 60, 60],
      { limit: 50 },
    ),
    h2('Constats'),
    ...pdfTable(
      [
        { title: 'Ouvert le', value: (f) => shortDate(f.openedAt) },
        { title: 'Constat', value: (f) => f.title },
        { title: 'Gravité', value: (f) => severityLabel(f.severity) },
        { title: 'Statut', value: (f) => findingStatusLabel(f.status) },
        { title: 'Clos le', value: (f) => shortDate(f.closedAt) },
      ] satisfies TableColumn<ScorecardData['findings'][number]>[],
      [...open, ...data.findings.filter((f) => !isOpen(f.status))],
      [55, '*', 55, 70, 55],
      { limit: 60 },
    ),
    h2('Sanctions'),
    ...pdfTable(
      [
        { title: 'Décidée le', value: (s) => shortDate(s.decidedOn) },
        { title: 'Niveau', value: (s) => sanctionLevelLabel(s.level) },
        { title: 'Motifs', value: (s) => s.reasons },
        { title: 'Statut', value: (s) => sanctionStatusLabel(s.status) },
      ] satisfies TableColumn<ScorecardData['sanctions'][number]>[],
      data.sanctions,
      [55, 90, '*', 60],
    ),
  ];
  return document('Fiche partenaire', o.legalName, branding, data.generatedAt, body);
}

// ---- audit report of one control -------------------------------------------------------------------------

export interface AuditReportData {
  generatedAt: string;
  control: {
    kind: string;
    title: string;
    status: string;
    plannedOn: string | null;
    performedOn: string | null;
    performedBy: string | null;
    partner: string | null;
    certification: string | null;
    checklistTitle: string | null;
  };
  checkpoints: {
    position: number;
    code: string;
    question: string;
    requirementFramework: string;
    requirementRef: string;
    result: string | null;
    comment: string | null;
  }[];
  findings: {
    title: string;
    description: string | null;
    severity: string;
    status: string;
    openedAt: string;
    actions: number;
  }[];
  evidence: { fileName: string; sha256: string; sizeBytes: number; purpose: string | null }[];
}

const resultLabel: Record<string, string> = {
  conform: 'Conforme',
  minor: 'Écart mineur',
  major: 'Écart majeur',
  not_applicable: 'Sans objet',
};
const frameworkLabel: Record<string, string> = {
  france_competences: 'France Compétences',
  convention: 'Convention',
  rnq: 'Qualiopi (RNQ)',
  referentiel: 'Référentiel',
  law: 'Code du travail',
};

/** The report of one control: its frame, the checklist with each checkpoint's result, the findings raised, the evidence. */
export function auditReportPdf(data: AuditReportData, branding: ReportBranding): Promise<Buffer> {
  const c = data.control;
  const answered = data.checkpoints.filter((p) => p.result);
  const count = (r: string) => answered.filter((p) => p.result === r).length;
  const body: Content[] = [
    {
      ul: [
        `Type : ${controlKindLabel(c.kind)} — statut : ${controlStatusLabel(c.status)}`,
        `Partenaire : ${c.partner ?? 'réseau (aucun partenaire désigné)'}`,
        ...(c.certification ? [`Certification : ${c.certification}`] : []),
        `Planifié le ${shortDate(c.plannedOn)}, réalisé le ${shortDate(c.performedOn)}${c.performedBy ? ` par ${c.performedBy}` : ''}`,
        ...(c.checklistTitle ? [`Grille : ${c.checklistTitle}`] : []),
      ],
      margin: [0, 0, 0, 6],
    },
    kpis([
      ['Points de contrôle', frenchInteger(data.checkpoints.length)],
      ['Conformes', frenchInteger(count('conform'))],
      ['Écarts mineurs', frenchInteger(count('minor'))],
      ['Écarts majeurs', frenchInteger(count('major'))],
      ['Constats', frenchInteger(data.findings.length)],
    ]),
    h2('Grille de contrôle'),
    data.checkpoints.length
      ? pdfTable(
          [
            { title: 'N°', value: (p) => `${p.position}. ${p.code}` },
            { title: 'Point de contrôle', value: (p) => p.question },
            {
              title: 'Exigence',
              value: (p) =>
                `${frameworkLabel[p.requirementFramework] ?? p.requirementFramework} ${p.requirementRef}`,
            },
            {
              title: 'Résultat',
              value: (p) => (p.result ? (resultLabel[p.result] ?? p.result) : 'Non renseigné'),
            },
            { title: 'Commentaire', value: (p) => p.comment },
          ] satisfies TableColumn<AuditReportData['checkpoints'][number]>[],
          data.checkpoints,
          [45, '*', 80, 55, '*'],
          { limit: 500 },
        )
      : { text: 'Ce contrôle n’a pas de grille renseignée.', italics: true, color: '#5c6773' },
    h2('Constats'),
    ...pdfTable(
      [
        { title: 'Ouvert le', value: (f) => shortDate(f.openedAt) },
        { title: 'Constat', value: (f) => (f.description ? `${f.title} — ${f.description}` : f.title) },
        { title: 'Gravité', value: (f) => severityLabel(f.severity) },
        { title: 'Statut', value: (f) => findingStatusLabel(f.status) },
        { title: 'Actions', value: (f) => f.actions },
      ] satisfies TableColumn<AuditReportData['findings'][number]>[],
      data.findings,
      [55, '*', 55, 70, 40],
    ),
    h2('Pièces'),
    ...pdfTable(
      [
        { title: 'Fichier', value: (e) => e.fileName },
        { title: 'Objet', value: (e) => e.purpose },
        { title: 'SHA-256', value: (e) => e.sha256 },
        { title: 'Taille', value: (e) => frenchBytes(e.sizeBytes) },
      ] satisfies TableColumn<AuditReportData['evidence'][number]>[],
      data.evidence,
      ['*', 80, 170, 40],
    ),
  ];
  return document('Rapport de contrôle', c.title, branding, data.generatedAt, body);
}

// ---- network overview ------------------------------------------------------------------------------------

export interface NetworkLine {
  siret: string;
  legalName: string;
  city: string | null;
  qualiopiStatus: string;
  habilitations: number;
  activeHabilitations: number;
  signedConventions: number;
  openFindings: number;
  severeOpenFindings: number;
  sanctions: number;
  lastControlOn: string | null;
  presented: number;
  deliberated: number;
  certified: number;
}

export const networkColumns: TableColumn<NetworkLine>[] = [
  { title: 'SIRET', value: (l) => l.siret, width: 16 },
  { title: 'Organisme', value: (l) => l.legalName, width: 36 },
  { title: 'Ville', value: (l) => l.city, width: 18 },
  { title: 'Qualiopi', value: (l) => l.qualiopiStatus, width: 12 },
  { title: 'Habilitations en vigueur', value: (l) => l.activeHabilitations, kind: 'integer', width: 12 },
  { title: 'Conventions signées', value: (l) => l.signedConventions, kind: 'integer', width: 12 },
  { title: 'Constats ouverts', value: (l) => l.openFindings, kind: 'integer', width: 11 },
  { title: 'Dont majeurs ou critiques', value: (l) => l.severeOpenFindings, kind: 'integer', width: 12 },
  { title: 'Sanctions', value: (l) => l.sanctions, kind: 'integer', width: 10 },
  { title: 'Dernier contrôle', value: (l) => l.lastControlOn, kind: 'date', width: 13 },
  { title: 'Présentés', value: (l) => l.presented, kind: 'integer', width: 10 },
  {
    title: 'Taux de réussite',
    value: (l) => (l.deliberated ? l.certified / l.deliberated : null),
    kind: 'percent',
    width: 12,
  },
];

/** Partners needing attention first: severe open findings, then open findings, then sanctions. */
export const byAttention = (a: NetworkLine, b: NetworkLine) =>
  b.severeOpenFindings - a.severeOpenFindings ||
  b.openFindings - a.openFindings ||
  b.sanctions - a.sanctions ||
  a.legalName.localeCompare(b.legalName);

export function networkOverviewPdf(
  lines: readonly NetworkLine[],
  branding: ReportBranding,
  generatedAt: string,
): Promise<Buffer> {
  const sorted = [...lines].sort(byAttention);
  const deliberated = lines.reduce((n, l) => n + l.deliberated, 0);
  const certified = lines.reduce((n, l) => n + l.certified, 0);
  const neverControlled = lines.filter((l) => !l.lastControlOn).length;
  const body: Content[] = [
    kpis([
      ['Partenaires', frenchInteger(lines.length)],
      ['Habilitations en vigueur', frenchInteger(lines.reduce((n, l) => n + l.activeHabilitations, 0))],
      ['Constats ouverts', frenchInteger(lines.reduce((n, l) => n + l.openFindings, 0))],
      ['Dont majeurs ou critiques', frenchInteger(lines.reduce((n, l) => n + l.severeOpenFindings, 0))],
      ['Taux de réussite', percent(certified, deliberated)],
    ]),
    {
      ul: [
        `${frenchInteger(lines.filter((l) => l.activeHabilitations > 0 && l.signedConventions === 0).length)} partenaire(s) habilité(s) sans convention signée.`,
        `${frenchInteger(neverControlled)} partenaire(s) jamais contrôlé(s).`,
        `${frenchInteger(lines.filter((l) => l.qualiopiStatus !== 'certified').length)} partenaire(s) sans certification Qualiopi en cours de validité.`,
      ],
      margin: [0, 0, 0, 8],
    },
    h2('Partenaires, les plus à surveiller d’abord'),
    ...pdfTable(
      networkColumns.map((c) =>
        c.kind === 'percent'
          ? { ...c, value: (l: NetworkLine) => percent(l.certified, l.deliberated) }
          : c.kind === 'date'
            ? { ...c, value: (l: NetworkLine) => shortDate(l.lastControlOn) }
            : c,
      ),
      sorted,
      [58, '*', 50, 40, 35, 35, 35, 35, 30, 45, 35, 38],
      {
        limit: 400,
        moreText: (n) =>
          `… et ${frenchInteger(n)} partenaire(s) de plus : la liste complète est dans l’export XLSX.`,
      },
    ),
  ];
  return document(
    'Vue d’ensemble du réseau',
    `${frenchInteger(lines.length)} partenaires`,
    branding,
    generatedAt,
    body,
  ).then((b) => b);
}

export function networkOverviewXlsx(lines: readonly NetworkLine[], generatedAt: string): Promise<Buffer> {
  return toXlsx([
    sheetOf({
      name: 'Réseau',
      caption: ['Vue d’ensemble du réseau', `Établie le ${shortDate(generatedAt)} par Habilis`],
      columns: networkColumns,
      rows: [...lines].sort(byAttention),
    }),
  ]);
}
