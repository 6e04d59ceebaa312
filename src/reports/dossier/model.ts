import type { HabilitationScope } from '../../core/habilitations/habilitation.js';
import { combineScopes, habilitationTypeOfScope } from '../../core/registry/reconcile.js';
import type { TableColumn } from '../tabular/tabular.js';
import {
  accrochageStatusLabel,
  actionStatusLabel,
  controlKindLabel,
  controlStatusLabel,
  conventionStatusLabel,
  fcTypeLabel,
  findingStatusLabel,
  frenchInteger,
  habilitationStatusLabel,
  juryStatusLabel,
  percent,
  sanctionLevelLabel,
  sanctionStatusLabel,
  scopeLabel,
  severityLabel,
  shortDate,
} from './labels.js';

/**
 * The evidence dossier as data (pure): from the records of one certification over a period, the sections
 * a France Compétences or CDC controller asks for, each saying what it proves, the statements it makes,
 * and for each record the evidence that backs it: files (`P0001`, listed in the ZIP's manifest) and the
 * audit-log entry that recorded it (`J123`, in the ZIP's audit-log extract).
 */

export interface DossierEvidence {
  ref: string;
  id: string;
  sha256: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** The path inside the ZIP. */
  path: string;
  /** What it proves, one line per record it is attached to. */
  proves: string[];
}

export interface DossierData {
  generatedAt: string;
  generatedBy: string;
  certifier: { name: string; siret: string | null };
  certification: {
    code: string;
    title: string;
    level: string | null;
    isActive: boolean;
    registeredOn: string | null;
    endsOn: string | null;
    skillBlocks: { code: string; title: string }[];
  };
  partner: { siret: string; name: string } | null;
  period: { from: string | null; to: string | null };
  fcSync: { at: string; fileName: string } | null;
  habilitations: {
    id: string;
    organisationId: string;
    siret: string;
    legalName: string;
    scope: string;
    status: string;
    startsOn: string;
    endsOn: string | null;
    qualiopiStatus: string;
    qualiopiExpiresOn: string | null;
  }[];
  decisions: { id: string; habilitationId: string; toStatus: string; reasons: string; decidedAt: string }[];
  declaredPartners: {
    siret: string | null;
    name: string;
    habilitationType: string;
    state: string | null;
    isActive: boolean;
  }[];
  declarations: {
    habilitationId: string;
    declaredOn: string;
    reference: string | null;
    evidenceId: string | null;
  }[];
  conventions: {
    id: string;
    organisationId: string;
    siret: string;
    legalName: string;
    reference: string;
    version: number;
    status: string;
    startsOn: string;
    endsOn: string | null;
    signedOn: string | null;
  }[];
  controls: {
    id: string;
    kind: string;
    title: string;
    siret: string | null;
    legalName: string | null;
    status: string;
    plannedOn: string | null;
    performedOn: string | null;
  }[];
  findings: {
    id: string;
    title: string;
    siret: string | null;
    legalName: string | null;
    severity: string;
    status: string;
    openedAt: string;
    closedAt: string | null;
  }[];
  correctiveActions: {
    id: string;
    findingId: string;
    status: string;
    dueOn: string;
    verifiedAt: string | null;
  }[];
  sanctions: {
    id: string;
    siret: string;
    legalName: string;
    level: string;
    reasons: string;
    decidedOn: string;
    status: string;
    repliedAt: string | null;
    findingIds: string[];
  }[];
  trainingSessions: { id: string; organisationId: string; enrolled: number }[];
  assessmentSessions: {
    id: string;
    startsAt: string;
    place: string | null;
    organiser: string | null;
    status: string;
    candidates: number;
    evaluators: number;
    results: number;
  }[];
  juries: {
    id: string;
    meetsOn: string;
    status: string;
    members: number;
    conflicts: number;
    certified: number;
    certifiedByBlocks: number;
    failed: number;
    postponed: number;
    signedAt: string | null;
  }[];
  certificates: {
    id: string;
    number: string;
    issuedOn: string;
    accrochageStatus: string;
    revoked: boolean;
  }[];
  /** Insertion survey results, when surveys were run for the certification. */
  insertion: { label: string; value: string }[] | null;
  evidence: DossierEvidence[];
  /** Evidence refs of each record, by record id. */
  evidenceOf: ReadonlyMap<string, readonly string[]>;
  /** The last audit-log entry about each record, by record id. */
  auditSeqOf: ReadonlyMap<string, number>;
  audit: { headSeq: number | null; headHash: string | null };
  /** Days allowed to transmit holders to the CDC (accrochage), from the issue date. */
  accrochageDays: number;
}

/** A table of a section: the columns drive the PDF (first `pdfLimit` rows) and the full CSV in the ZIP. */
export interface SectionTable<T> {
  columns: readonly TableColumn<T>[];
  rows: readonly T[];
  /** Where the full list is in the ZIP. */
  csvPath: string;
  /** PDF column widths (pdfmake). */
  widths: (number | '*' | 'auto')[];
}

export interface DossierSection {
  id: string;
  title: string;
  /** What this section proves, for the reader (a controller). */
  proves: string;
  /** Statements, each ending with its evidence (refs to files, audit entries or lists of the ZIP). */
  statements: string[];
  tables: SectionTable<never>[];
}

export interface DossierView {
  title: string;
  subtitle: string;
  certifierName: string;
  scopeLines: string[];
  sections: DossierSection[];
  evidence: DossierEvidence[];
  audit: { headSeq: number | null; headHash: string | null };
  generatedAt: string;
}

/** How many rows a table shows in the PDF; the ZIP's CSV always has them all. */
export const PDF_ROW_LIMIT = 400;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** `P0001, P0002 … (+3)` and `J123`: what backs a record. */
export function proofOf(data: Pick<DossierData, 'evidenceOf' | 'auditSeqOf'>, ...ids: string[]): string {
  const refs = [...new Set(ids.flatMap((id) => data.evidenceOf.get(id) ?? []))].sort();
  const shown = refs.slice(0, 4).join(', ');
  const more = refs.length > 4 ? ` (+${refs.length - 4})` : '';
  const seqs = ids.map((id) => data.auditSeqOf.get(id)).filter((s): s is number => s !== undefined);
  const journal = seqs.length ? `J${Math.max(...seqs)}` : '';
  return [shown + more, journal].filter(Boolean).join(' · ') || '—';
}

const table = <T>(t: SectionTable<T>): SectionTable<never> => t as unknown as SectionTable<never>;

export type ReconciliationVerdict = 'ok' | 'not_declared' | 'declared_without_habilitation' | 'type_mismatch';

export const verdictLabel: Record<ReconciliationVerdict, string> = {
  ok: 'Conforme',
  not_declared: 'Non déclaré à France Compétences',
  declared_without_habilitation: 'Déclaré sans habilitation en vigueur',
  type_mismatch: 'Type d’habilitation différent',
};

export interface ReconciliationRow {
  siret: string;
  name: string;
  habilisScope: HabilitationScope | null;
  habilisStatus: string | null;
  declaredType: string | null;
  declaredState: string | null;
  verdict: ReconciliationVerdict;
  habilitationIds: string[];
}

const inForce = new Set(['active', 'under_watch']);

/**
 * The partners in Habilis against the list France Compétences publishes, one row per SIRET: conforme,
 * not declared, declared without a habilitation in force, or declared with another type.
 */
export function reconcilePartners(
  habilitations: DossierData['habilitations'],
  declared: DossierData['declaredPartners'],
): ReconciliationRow[] {
  const bySiret = new Map<string, DossierData['habilitations']>();
  for (const h of habilitations) bySiret.set(h.siret, [...(bySiret.get(h.siret) ?? []), h]);
  const declaredBySiret = new Map<string, DossierData['declaredPartners'][number]>();
  for (const d of declared)
    if (d.siret && (d.isActive || !declaredBySiret.has(d.siret))) declaredBySiret.set(d.siret, d);
  const sirets = [...new Set([...bySiret.keys(), ...declaredBySiret.keys()])].sort();
  return sirets.map((siret) => {
    const own = bySiret.get(siret) ?? [];
    const live = own.filter((h) => inForce.has(h.status));
    const scope = combineScopes(live.map((h) => h.scope as HabilitationScope));
    const d = declaredBySiret.get(siret);
    const declaredActive = d ? d.isActive : false;
    let verdict: ReconciliationVerdict;
    if (scope && !declaredActive) verdict = 'not_declared';
    else if (!scope && declaredActive) verdict = 'declared_without_habilitation';
    else if (scope && d && habilitationTypeOfScope[scope] !== d.habilitationType) verdict = 'type_mismatch';
    else verdict = 'ok';
    const latest = own.at(-1);
    return {
      siret,
      name: latest?.legalName ?? d?.name ?? '',
      habilisScope: scope,
      habilisStatus: latest?.status ?? null,
      declaredType: d?.habilitationType ?? null,
      declaredState: d ? (d.state ?? (d.isActive ? 'Actif' : 'Inactif')) : null,
      verdict,
      habilitationIds: own.map((h) => h.id),
    };
  });
}

function periodText(period: DossierData['period']): string {
  if (period.from && period.to) return `du ${shortDate(period.from)} au ${shortDate(period.to)}`;
  if (period.from) return `depuis le ${shortDate(period.from)}`;
  if (period.to) return `jusqu’au ${shortDate(period.to)}`;
  return 'toute la période enregistrée';
}

const count = (n: number, one: string, many: string) => `${frenchInteger(n)} ${n === 1 ? one : many}`;

/** Builds the dossier's sections from its data. */
export function dossierView(data: DossierData): DossierView {
  const sections: DossierSection[] = [];
  const { certification } = data;
  const today = data.generatedAt.slice(0, 10);

  // 1. Partners against the France Compétences declaration.
  const reconciliation = reconcilePartners(data.habilitations, data.declaredPartners);
  const gaps = reconciliation.filter((r) => r.verdict !== 'ok');
  const declaredOn = new Map<string, string[]>();
  for (const d of data.declarations)
    declaredOn.set(d.habilitationId, [...(declaredOn.get(d.habilitationId) ?? []), d.declaredOn]);
  sections.push({
    id: 'partners',
    title: 'Partenaires habilités et déclaration à France Compétences',
    proves:
      'Que chaque organisme habilité par le certificateur est déclaré à France Compétences avec le bon type d’habilitation, et que la liste publiée ne compte aucun organisme sans habilitation en vigueur.',
    statements: [
      `${count(data.habilitations.length, 'habilitation', 'habilitations')} en vigueur sur la période, pour ${count(new Set(data.habilitations.map((h) => h.siret)).size, 'organisme', 'organismes')} (liste complète : listes/partenaires.csv).`,
      data.fcSync
        ? `Liste publiée par France Compétences lue le ${shortDate(data.fcSync.at)} (fichier ${data.fcSync.fileName}) : ${count(data.declaredPartners.length, 'organisme déclaré', 'organismes déclarés')}.`
        : 'Aucun import du registre France Compétences n’est enregistré : la comparaison porte sur les seules habilitations de Habilis.',
      gaps.length
        ? `${count(gaps.length, 'écart', 'écarts')} entre Habilis et la liste publiée, détaillés ci-dessous ; chacun fait l’objet d’un constat de rapprochement (section « Anomalies »).`
        : 'Aucun écart entre les habilitations en vigueur et la liste publiée.',
      `${count(data.declarations.length, 'déclaration de changement d’habilitation enregistrée', 'déclarations de changement d’habilitation enregistrées')} avec sa date de dépôt.`,
    ],
    tables: [
      table<ReconciliationRow>({
        csvPath: 'listes/partenaires.csv',
        widths: [70, '*', 70, 60, 60, 70, 60],
        rows: reconciliation,
        columns: [
          { title: 'SIRET', value: (r) => r.siret },
          { title: 'Organisme', value: (r) => r.name },
          {
            title: 'Habilitation (Habilis)',
            value: (r) => (r.habilisScope ? scopeLabel(r.habilisScope) : '—'),
          },
          { title: 'Statut', value: (r) => habilitationStatusLabel(r.habilisStatus) },
          {
            title: 'Déclaré (France Compétences)',
            value: (r) =>
              r.declaredType ? `${fcTypeLabel(r.declaredType)} — ${r.declaredState ?? ''}` : 'Non déclaré',
          },
          { title: 'Rapprochement', value: (r) => verdictLabel[r.verdict] },
          {
            title: 'Preuves',
            value: (r) => {
              const dates = r.habilitationIds.flatMap((id) => declaredOn.get(id) ?? []);
              const proof = proofOf(data, ...r.habilitationIds);
              return dates.length ? `${proof} · déclaré le ${shortDate(dates.at(-1))}` : proof;
            },
          },
        ],
      }),
    ],
  });

  // 2. Conventions.
  const signed = data.conventions.filter((c) => c.status === 'signed');
  const partnersWithoutConvention = [
    ...new Set(data.habilitations.filter((h) => inForce.has(h.status)).map((h) => h.organisationId)),
  ].filter((org) => !data.conventions.some((c) => c.organisationId === org && c.status === 'signed'));
  sections.push({
    id: 'conventions',
    title: 'Conventions de partenariat',
    proves:
      'Que la délégation à chaque partenaire est encadrée par une convention signée, en vigueur sur la période, qui fixe ses obligations techniques et financières.',
    statements: [
      `${count(data.conventions.length, 'convention', 'conventions')} couvrant la période, dont ${count(signed.length, 'signée', 'signées')}.`,
      partnersWithoutConvention.length
        ? `${count(partnersWithoutConvention.length, 'partenaire habilité n’a', 'partenaires habilités n’ont')} pas de convention signée enregistrée pour cette certification.`
        : 'Chaque partenaire habilité en vigueur a une convention signée.',
    ],
    tables: [
      table<DossierData['conventions'][number]>({
        csvPath: 'listes/conventions.csv',
        widths: [70, '*', 70, 55, 55, 55, 70],
        rows: data.conventions,
        columns: [
          { title: 'SIRET', value: (r) => r.siret },
          { title: 'Organisme', value: (r) => r.legalName },
          { title: 'Référence', value: (r) => `${r.reference} v${r.version}` },
          { title: 'Statut', value: (r) => conventionStatusLabel(r.status) },
          { title: 'Signée le', value: (r) => shortDate(r.signedOn), kind: 'date' },
          {
            title: 'Validité',
            value: (r) => `${shortDate(r.startsOn)} – ${r.endsOn ? shortDate(r.endsOn) : '…'}`,
          },
          { title: 'Preuves', value: (r) => proofOf(data, r.id) },
        ],
      }),
    ],
  });

  // 3. Controls.
  const done = data.controls.filter((c) => c.status === 'done');
  const byKind = new Map<string, number>();
  for (const c of done) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
  sections.push({
    id: 'controls',
    title: 'Contrôles réalisés',
    proves:
      'Que le certificateur surveille son réseau en permanence : contrôles automatiques sur toute la chaîne (formation, évaluation, certification) et audits planifiés (documentaires, sur site, observations d’examen, revue de communication).',
    statements: [
      `${count(data.controls.length, 'contrôle planifié ou réalisé', 'contrôles planifiés ou réalisés')} sur la période, dont ${count(done.length, 'réalisé', 'réalisés')}.`,
      ...[...byKind.entries()].map(
        ([kind, n]) => `${controlKindLabel(kind)} : ${frenchInteger(n)} réalisé(s).`,
      ),
    ],
    tables: [
      table<DossierData['controls'][number]>({
        csvPath: 'listes/controles.csv',
        widths: [80, '*', '*', 55, 55, 70],
        rows: data.controls,
        columns: [
          { title: 'Type', value: (r) => controlKindLabel(r.kind) },
          { title: 'Objet', value: (r) => r.title },
          { title: 'Organisme', value: (r) => (r.legalName ? `${r.legalName} (${r.siret})` : 'Réseau') },
          { title: 'Statut', value: (r) => controlStatusLabel(r.status) },
          { title: 'Date', value: (r) => shortDate(r.performedOn ?? r.plannedOn) },
          { title: 'Preuves', value: (r) => proofOf(data, r.id) },
        ],
      }),
    ],
  });

  // 4. Findings and their treatment.
  const actionsOf = new Map<string, DossierData['correctiveActions']>();
  for (const a of data.correctiveActions)
    actionsOf.set(a.findingId, [...(actionsOf.get(a.findingId) ?? []), a]);
  const closed = data.findings.filter((f) => f.status === 'closed' || f.status === 'verified');
  const live = data.findings.filter((f) => !(f.status === 'closed' || f.status === 'verified'));
  const severe = data.findings.filter((f) => f.severity !== 'minor');
  const overdue = data.correctiveActions.filter(
    (a) => a.dueOn < today && !['verified', 'done', 'rejected'].includes(a.status),
  );
  sections.push({
    id: 'findings',
    title: 'Anomalies et leur traitement',
    proves:
      'Que chaque anomalie détectée a été qualifiée, qu’une action corrective a été demandée et vérifiée, ou que l’anomalie a été escaladée vers une sanction.',
    statements: [
      `${count(data.findings.length, 'constat', 'constats')} sur la période : ${frenchInteger(closed.length)} traité(s) et clos, ${frenchInteger(live.length)} en cours (${percent(closed.length, data.findings.length)} de traitement).`,
      `${count(severe.length, 'constat majeur ou critique', 'constats majeurs ou critiques')} ; ${count(data.correctiveActions.length, 'action corrective', 'actions correctives')}, dont ${frenchInteger(data.correctiveActions.filter((a) => a.status === 'verified').length)} vérifiée(s).`,
      overdue.length
        ? `${count(overdue.length, 'action corrective est en retard sur son échéance', 'actions correctives sont en retard sur leur échéance')}.`
        : 'Aucune action corrective en retard sur son échéance.',
      'Le détail de chaque constat, avec ses actions, est dans listes/constats.csv ; le tableau montre d’abord les constats majeurs et critiques.',
    ],
    tables: [
      table<DossierData['findings'][number]>({
        csvPath: 'listes/constats.csv',
        widths: [55, '*', 90, 50, 60, 70, 60],
        rows: [...severe, ...data.findings.filter((f) => f.severity === 'minor')],
        columns: [
          { title: 'Ouvert le', value: (r) => shortDate(r.openedAt) },
          { title: 'Constat', value: (r) => r.title },
          { title: 'Organisme', value: (r) => r.legalName ?? 'Réseau' },
          { title: 'Gravité', value: (r) => severityLabel(r.severity) },
          { title: 'Statut', value: (r) => findingStatusLabel(r.status) },
          {
            title: 'Traitement',
            value: (r) => {
              const actions = actionsOf.get(r.id) ?? [];
              if (!actions.length) return r.closedAt ? `Clos le ${shortDate(r.closedAt)}` : 'Aucune action';
              const last = actions.at(-1)!;
              return `${actions.length} action(s), dernière ${actionStatusLabel(last.status)} (échéance ${shortDate(last.dueOn)})`;
            },
          },
          {
            title: 'Preuves',
            value: (r) => proofOf(data, r.id, ...(actionsOf.get(r.id) ?? []).map((a) => a.id)),
          },
        ],
      }),
    ],
  });

  // 5. Sanctions.
  sections.push({
    id: 'sanctions',
    title: 'Sanctions',
    proves:
      'Que les manquements graves ont conduit à des décisions graduées (observation, avertissement, surveillance renforcée, suspension, retrait), motivées, notifiées, avec le droit de réponse du partenaire.',
    statements: [
      data.sanctions.length
        ? `${count(data.sanctions.length, 'sanction décidée', 'sanctions décidées')} sur la période, dont ${frenchInteger(data.sanctions.filter((s) => s.repliedAt).length)} avec réponse du partenaire.`
        : 'Aucune sanction décidée sur la période.',
      ...(data.decisions.length
        ? [
            `${count(data.decisions.length, 'décision', 'décisions')} sur le cycle de vie des habilitations, chacune motivée (journal d’audit).`,
          ]
        : []),
    ],
    tables: [
      table<DossierData['sanctions'][number]>({
        csvPath: 'listes/sanctions.csv',
        widths: [55, 90, 75, '*', 55, 70],
        rows: data.sanctions,
        columns: [
          { title: 'Décidée le', value: (r) => shortDate(r.decidedOn) },
          { title: 'Organisme', value: (r) => `${r.legalName} (${r.siret})` },
          { title: 'Niveau', value: (r) => sanctionLevelLabel(r.level) },
          {
            title: 'Motifs',
            value: (r) => (r.reasons.length > 180 ? `${r.reasons.slice(0, 177)}…` : r.reasons),
          },
          { title: 'Statut', value: (r) => sanctionStatusLabel(r.status) },
          { title: 'Preuves', value: (r) => proofOf(data, r.id, ...r.findingIds) },
        ],
      }),
    ],
  });

  // 6. Sessions and juries.
  const lateDeclared = data.assessmentSessions.filter(
    (s) => s.results === 0 && s.startsAt.slice(0, 10) < today,
  );
  const deliberations = data.juries.reduce(
    (n, j) => n + j.certified + j.certifiedByBlocks + j.failed + j.postponed,
    0,
  );
  const certifiedFull = data.juries.reduce((n, j) => n + j.certified, 0);
  const certifiedBlocks = data.juries.reduce((n, j) => n + j.certifiedByBlocks, 0);
  sections.push({
    id: 'sessions',
    title: 'Sessions d’évaluation et jurys',
    proves:
      'Que les évaluations sont déclarées, conduites par des évaluateurs désignés, et que seul le jury du certificateur décide de la certification, sans conflit d’intérêts non déclaré.',
    statements: [
      `${count(data.trainingSessions.length, 'session de formation', 'sessions de formation')} (${frenchInteger(data.trainingSessions.reduce((n, s) => n + s.enrolled, 0))} inscriptions) et ${count(data.assessmentSessions.length, 'session d’évaluation', 'sessions d’évaluation')} (${frenchInteger(data.assessmentSessions.reduce((n, s) => n + s.candidates, 0))} candidats présentés).`,
      lateDeclared.length
        ? `${count(lateDeclared.length, 'session passée n’a', 'sessions passées n’ont')} pas encore de résultats enregistrés.`
        : 'Toutes les sessions passées ont leurs résultats enregistrés.',
      `${count(data.juries.length, 'jury', 'jurys')}, ${count(deliberations, 'délibération', 'délibérations')} : ${frenchInteger(certifiedFull)} certification(s) complète(s), ${frenchInteger(certifiedBlocks)} par blocs (${percent(certifiedFull + certifiedBlocks, deliberations)} de réussite) ; ${frenchInteger(data.juries.filter((j) => j.status === 'signed').length)} PV signé(s).`,
      data.juries.some((j) => j.conflicts)
        ? `${count(
            data.juries.reduce((n, j) => n + j.conflicts, 0),
            'conflit d’intérêts déclaré',
            'conflits d’intérêts déclarés',
          )} par des membres de jury (consignés au PV).`
        : 'Aucun conflit d’intérêts déclaré par les membres de jury.',
    ],
    tables: [
      table<DossierData['assessmentSessions'][number]>({
        csvPath: 'listes/sessions-evaluation.csv',
        widths: [60, '*', '*', 50, 50, 50, 70],
        rows: data.assessmentSessions,
        columns: [
          { title: 'Date', value: (r) => shortDate(r.startsAt) },
          { title: 'Organisateur', value: (r) => r.organiser ?? 'Certificateur' },
          { title: 'Lieu', value: (r) => r.place ?? '—' },
          { title: 'Candidats', value: (r) => r.candidates, kind: 'integer' },
          { title: 'Évaluateurs', value: (r) => r.evaluators, kind: 'integer' },
          { title: 'Résultats', value: (r) => r.results, kind: 'integer' },
          { title: 'Preuves', value: (r) => proofOf(data, r.id) },
        ],
      }),
      table<DossierData['juries'][number]>({
        csvPath: 'listes/jurys.csv',
        widths: [60, 60, 45, 45, 50, 50, 45, '*'],
        rows: data.juries,
        columns: [
          { title: 'Date', value: (r) => shortDate(r.meetsOn) },
          { title: 'Statut', value: (r) => juryStatusLabel(r.status) },
          { title: 'Membres', value: (r) => r.members, kind: 'integer' },
          { title: 'Conflits', value: (r) => r.conflicts, kind: 'integer' },
          { title: 'Certifiés', value: (r) => r.certified, kind: 'integer' },
          { title: 'Par blocs', value: (r) => r.certifiedByBlocks, kind: 'integer' },
          { title: 'Échecs', value: (r) => r.failed, kind: 'integer' },
          { title: 'Preuves', value: (r) => proofOf(data, r.id) },
        ],
      }),
    ],
  });

  // 7. Accrochage.
  const live2 = data.certificates.filter((c) => !c.revoked);
  const accepted = live2.filter((c) => c.accrochageStatus === 'accepted');
  const late = live2.filter(
    (c) => c.accrochageStatus !== 'accepted' && addDays(c.issuedOn, data.accrochageDays) < today,
  );
  const byStatus = new Map<string, number>();
  for (const c of live2) byStatus.set(c.accrochageStatus, (byStatus.get(c.accrochageStatus) ?? 0) + 1);
  sections.push({
    id: 'accrochage',
    title: 'Transmission des titulaires à la Caisse des Dépôts (accrochage)',
    proves:
      'Que les titulaires de la certification sont transmis au SI-CPF dans les trois mois de leur certification, et que les rejets sont traités.',
    statements: [
      `${count(live2.length, 'certificat délivré', 'certificats délivrés')} sur la période ; ${frenchInteger(accepted.length)} accepté(s) par la Caisse des Dépôts (${percent(accepted.length, live2.length)} de couverture).`,
      ...[...byStatus.entries()].map(
        ([status, n]) => `${accrochageStatusLabel(status)} : ${frenchInteger(n)}.`,
      ),
      late.length
        ? `${count(late.length, 'certificat n’est', 'certificats ne sont')} pas accepté(s) plus de ${data.accrochageDays} jours après leur délivrance (listes/certificats.csv).`
        : `Aucun certificat en retard de transmission (délai de ${data.accrochageDays} jours).`,
    ],
    tables: [
      table<DossierData['certificates'][number]>({
        csvPath: 'listes/certificats.csv',
        widths: [90, 70, '*', 70],
        rows: late,
        columns: [
          { title: 'Numéro', value: (r) => r.number },
          { title: 'Délivré le', value: (r) => shortDate(r.issuedOn) },
          { title: 'Accrochage', value: (r) => accrochageStatusLabel(r.accrochageStatus) },
          { title: 'Preuves', value: (r) => proofOf(data, r.id) },
        ],
      }),
    ],
  });

  // 8. Insertion.
  sections.push({
    id: 'insertion',
    title: 'Insertion professionnelle des titulaires',
    proves:
      'Les taux d’insertion dans le métier visé et dans l’emploi, à 6 mois et à 2 ans, calculés selon les règles de France Compétences.',
    statements: data.insertion?.length
      ? data.insertion.map((l) => `${l.label} : ${l.value}.`)
      : ['Aucune enquête d’insertion n’est enregistrée pour cette certification sur la période.'],
    tables: [],
  });

  const scopeLines = [
    `Certification : ${certification.title} — ${certification.code}${certification.level ? ` — niveau ${certification.level}` : ''}`,
    `Enregistrement : ${certification.isActive ? 'active' : 'inactive'}${certification.endsOn ? `, jusqu’au ${shortDate(certification.endsOn)}` : ''}`,
    `Période : ${periodText(data.period)}`,
    ...(data.partner ? [`Partenaire : ${data.partner.name} (SIRET ${data.partner.siret})`] : []),
    `Organisme certificateur : ${data.certifier.name}${data.certifier.siret ? ` (SIRET ${data.certifier.siret})` : ''}`,
  ];
  return {
    title: data.partner ? 'Dossier de preuves — partenaire' : 'Dossier de preuves',
    subtitle: `${certification.code} — ${certification.title}`,
    certifierName: data.certifier.name,
    scopeLines,
    sections,
    evidence: data.evidence,
    audit: data.audit,
    generatedAt: data.generatedAt,
  };
}
