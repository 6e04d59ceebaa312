import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { type Actor, requireAccess } from '../../core/access/policy.js';
import {
  DOSSIER_FORMAT,
  type DossierManifest,
  type DossierQuery,
  type DossierSummary,
  dossierPaths,
  dossierQuery,
  type ManifestFile,
} from '../../core/dossier/dossier.schema.js';
import { AppError } from '../../core/errors.js';
import { cleanFileName } from '../../core/evidence/media-types.js';
import { insertionRates, type SurveySituation } from '../../core/statistics/insertion.js';
import { DossierRepository, type DossierScope } from '../../db/repositories/dossier.repository.js';
import { InsertionSurveyRepository } from '../../db/repositories/insertion-survey.repository.js';
import { ZipStreamWriter } from '../../exporters/zip/zip-stream.js';
import { entityTypeLabel, percent, shortDate } from '../../reports/dossier/labels.js';
import { type DossierData, type DossierEvidence, dossierView } from '../../reports/dossier/model.js';
import { dossierPdf, type ReportBranding } from '../../reports/dossier/pdf.js';
import { csvLines, type TableColumn } from '../../reports/tabular/tabular.js';
import { recordAudit } from '../audit.service.js';
import { reportBranding } from '../report-branding.js';
import type { ServiceContext } from '../service-context.js';
import { parseInput } from '../validation.js';
import { auditExtractLine } from './audit-extract.js';
import { verifyDossierZip } from './dossier-verify.js';

/** Days the CDC allows to transmit a holder (accrochage): three months. */
const ACCROCHAGE_DAYS = 92;

/** Where each kind of record's evidence goes in the ZIP, in the report's order. */
const evidenceFolders: [entityType: string, folder: string][] = [
  ['certification', 'certification'],
  ['organisation', 'organismes'],
  ['habilitation', 'habilitations'],
  ['declaration', 'declarations'],
  ['convention', 'conventions'],
  ['control', 'controles'],
  ['finding', 'constats'],
  ['corrective_action', 'actions-correctives'],
  ['sanction', 'sanctions'],
  ['training_session', 'sessions-formation'],
  ['assessment_session', 'sessions-evaluation'],
  ['jury', 'jurys'],
  ['certificate', 'certificats'],
];
const folderOrder = new Map(evidenceFolders.map(([type], i) => [type, i]));
const folderOf = new Map(evidenceFolders);

export interface DossierFiles {
  pdfPath: string;
  zipPath: string;
  summary: DossierSummary;
}

interface Gathered {
  data: DossierData;
  scope: DossierScope;
  /** Ids of the records the dossier is about (their audit entries go in full into the extract). */
  recordIds: Set<string>;
  firstAuditSeq: number | null;
  fileStem: string;
}

/** A readable that hashes and counts what passes, to check a stored file against its SHA-256 on the way. */
async function* hashed(
  source: AsyncIterable<Buffer>,
  into: { hash: ReturnType<typeof createHash>; size: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    into.hash.update(chunk);
    into.size += chunk.length;
    yield chunk;
  }
}

function* jsonChunks(manifest: DossierManifest): Generator<string> {
  const { files, ...head } = manifest;
  const headJson = JSON.stringify(head, null, 2);
  yield `${headJson.slice(0, -2)},\n  "files": [\n`;
  for (let i = 0; i < files.length; i++)
    yield `    ${JSON.stringify(files[i])}${i < files.length - 1 ? ',' : ''}\n`;
  yield '  ]\n}\n';
}

const readme = (data: DossierData, manifestName: string) =>
  [
    `Dossier de preuves — ${data.certification.code} ${data.certification.title}`,
    `Organisme certificateur : ${data.certifier.name}`,
    ...(data.partner ? [`Partenaire : ${data.partner.name} (SIRET ${data.partner.siret})`] : []),
    `Établi le ${shortDate(data.generatedAt)} par Habilis.`,
    '',
    'Contenu :',
    `  ${dossierPaths.report}            le rapport (sommaire, une section par exigence, index des pièces)`,
    `  ${manifestName}          chaque fichier : chemin, SHA-256, taille, ce qu'il prouve`,
    `  ${dossierPaths.auditLog}    extrait du journal d'audit chaîné (SHA-256)`,
    `  ${dossierPaths.lists}                listes complètes (CSV, séparateur ;)`,
    `  ${dossierPaths.evidence}               les pièces, rangées par type d'élément prouvé`,
    '',
    'Vérification : npx habilis dossier verify <ce fichier.zip>',
    '',
  ].join('\r\n');

/**
 * The evidence dossier of a certification (or of one partner for it): gathers the records of the period,
 * renders the PDF report, and writes the ZIP as a stream: the report, every evidence file (re-hashed on the
 * way: a stored file that no longer matches its SHA-256 stops the dossier), the full lists, the audit-log
 * extract and the manifest. The generation is itself recorded in the audit log with the manifest's hash.
 */
export class DossierService {
  constructor(private readonly ctx: ServiceContext) {}

  private repo() {
    return new DossierRepository(this.ctx.db);
  }

  private async gather(actor: Actor, query: DossierQuery): Promise<Gathered> {
    const repo = this.repo();
    const certification = await repo.certificationByCode(query.certification);
    if (!certification)
      throw new AppError(
        'not_found',
        `Certification ${query.certification} not found: import it from the France Compétences registry or create it first`,
        {
          details: { entity: 'certification', id: query.certification },
          fields: [{ field: 'certification', message: 'unknown certification' }],
        },
      );
    let partner: DossierData['partner'] = null;
    let organisationId: string | null = null;
    if (query.partner) {
      const org = await repo.organisationBySiret(query.partner);
      if (!org)
        throw new AppError('not_found', `No organisation with SIRET ${query.partner}`, {
          details: { entity: 'organisation', id: query.partner },
          fields: [{ field: 'partner', message: 'unknown SIRET' }],
        });
      partner = { siret: org.siret, name: org.legalName };
      organisationId = org.id;
    }
    const scope: DossierScope = {
      certificationId: certification.id,
      organisationId,
      period: { from: query.from ?? null, to: query.to ?? null },
    };
    const head = await repo.auditHead();
    const headSeq = head?.seq ?? 0;
    const [
      certifier,
      skillBlocks,
      habilitations,
      declared,
      fcSync,
      conventions,
      controls,
      findings,
      sanctions,
    ] = await Promise.all([
      repo.certifier(),
      repo.skillBlocks(certification.id),
      repo.habilitations(scope),
      query.partner ? Promise.resolve([]) : repo.declaredPartners(certification.code),
      repo.ficheSync(certification.code),
      repo.conventions(scope),
      repo.controls(scope),
      repo.findings(scope),
      repo.sanctions(scope),
    ]);
    const declaredPartners = query.partner
      ? (await repo.declaredPartners(certification.code)).filter((d) => d.siret === query.partner)
      : declared;
    const [trainingSessions, assessmentSessions, juries, certificates] = await Promise.all([
      repo.trainingSessions(scope),
      repo.assessmentSessions(scope),
      repo.juries(scope),
      repo.certificates(scope),
    ]);
    const period =
      query.from || query.to ? ` between ${query.from ?? 'the start'} and ${query.to ?? 'today'}` : '';
    if (
      !habilitations.length &&
      !conventions.length &&
      !controls.length &&
      !findings.length &&
      !sanctions.length &&
      !trainingSessions.length &&
      !assessmentSessions.length &&
      !juries.length &&
      !certificates.length
    )
      throw new AppError(
        'not_found',
        `Nothing is recorded for ${certification.code}${partner ? ` and partner ${partner.siret}` : ''}${period}: no habilitation, convention, control, finding, sanction, session, jury or certificate — there is nothing to prove`,
        {
          details: {
            entity: 'dossier',
            reason: 'empty_period',
            certification: certification.code,
            ...scope.period,
          },
        },
      );

    const habilitationIds = habilitations.map((h) => h.id);
    const [decisions, declarations, actions, sanctionFindings] = await Promise.all([
      repo.habilitationDecisions(habilitationIds),
      repo.declarations(habilitationIds),
      repo.correctiveActions(findings.map((f) => f.id)),
      repo.sanctionFindings(sanctions.map((s) => s.id)),
    ]);

    // What each record is, in words, for the manifest's "what it proves".
    const describe = new Map<string, string>();
    describe.set(certification.id, `${certification.code} ${certification.title}`);
    for (const h of habilitations) {
      describe.set(h.organisationId, `${h.legalName} (SIRET ${h.siret})`);
      describe.set(h.id, `${h.legalName} (SIRET ${h.siret}), du ${shortDate(h.startsOn)}`);
    }
    for (const c of conventions) describe.set(c.id, `${c.reference} v${c.version} — ${c.legalName}`);
    for (const c of controls) describe.set(c.id, `${c.title}${c.legalName ? ` — ${c.legalName}` : ''}`);
    for (const f of findings) describe.set(f.id, `${f.title}${f.legalName ? ` — ${f.legalName}` : ''}`);
    for (const a of actions)
      describe.set(a.id, `sur le constat « ${describe.get(a.findingId) ?? a.findingId} »`);
    for (const s of sanctions) describe.set(s.id, `${s.level} du ${shortDate(s.decidedOn)} — ${s.legalName}`);
    for (const t of trainingSessions)
      describe.set(t.id, `du ${shortDate(t.startsOn)} au ${shortDate(t.endsOn)}`);
    for (const a of assessmentSessions)
      describe.set(a.id, `du ${shortDate(a.startsAt)}${a.legalName ? ` — ${a.legalName}` : ''}`);
    for (const j of juries) describe.set(j.id, `du ${shortDate(j.meetsOn)}`);
    for (const c of certificates) describe.set(c.id, `n° ${c.number}`);

    const entities = new Map<string, string[]>([
      ['certification', [certification.id]],
      ['organisation', [...new Set(habilitations.map((h) => h.organisationId))]],
      ['habilitation', habilitationIds],
      ['convention', conventions.map((c) => c.id)],
      ['control', controls.map((c) => c.id)],
      ['finding', findings.map((f) => f.id)],
      ['corrective_action', actions.map((a) => a.id)],
      ['sanction', sanctions.map((s) => s.id)],
      ['training_session', trainingSessions.map((t) => t.id)],
      ['assessment_session', assessmentSessions.map((a) => a.id)],
      ['jury', juries.map((j) => j.id)],
      ['certificate', certificates.map((c) => c.id)],
    ]);
    const links = await repo.evidenceLinks(entities);
    // Files named by a record rather than linked: declarations' receipts, jury minutes.
    const direct: { evidenceId: string; entityType: string; entityId: string; purpose: string | null }[] = [
      ...declarations
        .filter((d) => d.evidenceId)
        .map((d) => ({
          evidenceId: d.evidenceId!,
          entityType: 'declaration',
          entityId: d.habilitationId,
          purpose: `déclaré le ${shortDate(d.declaredOn)}${d.reference ? `, référence ${d.reference}` : ''}`,
        })),
      ...juries
        .filter((j) => j.minutesId)
        .map((j) => ({
          evidenceId: j.minutesId!,
          entityType: 'jury',
          entityId: j.id,
          purpose: 'PV de jury',
        })),
    ];
    const linkedIds = new Set(links.map((l) => l.evidenceId));
    const directFiles = await repo.evidenceFiles(
      [...new Set(direct.map((d) => d.evidenceId))].filter((id) => !linkedIds.has(id)),
    );
    const files = new Map<
      string,
      {
        id: string;
        sha256: string;
        fileName: string;
        mediaType: string;
        sizeBytes: number;
        uploadedAt: Date;
        links: { entityType: string; entityId: string; purpose: string | null }[];
      }
    >();
    for (const l of links) {
      const f = files.get(l.evidenceId) ?? {
        id: l.evidenceId,
        sha256: l.sha256,
        fileName: l.fileName,
        mediaType: l.mediaType,
        sizeBytes: l.sizeBytes,
        uploadedAt: l.uploadedAt,
        links: [],
      };
      f.links.push({ entityType: l.entityType, entityId: l.entityId, purpose: l.purpose });
      files.set(l.evidenceId, f);
    }
    for (const f of directFiles) files.set(f.id, { ...f, links: [] });
    for (const d of direct) files.get(d.evidenceId)?.links.push(d);

    const rank = (f: { links: { entityType: string }[] }) =>
      Math.min(...f.links.map((l) => folderOrder.get(l.entityType) ?? 99));
    const ordered = [...files.values()].sort(
      (a, b) =>
        rank(a) - rank(b) || a.uploadedAt.getTime() - b.uploadedAt.getTime() || a.id.localeCompare(b.id),
    );
    const evidenceOf = new Map<string, string[]>();
    const width = Math.max(4, String(ordered.length).length);
    const evidence: DossierEvidence[] = ordered.map((f, i) => {
      const ref = `P${String(i + 1).padStart(width, '0')}`;
      const first = f.links.reduce((a, b) =>
        (folderOrder.get(b.entityType) ?? 99) < (folderOrder.get(a.entityType) ?? 99) ? b : a,
      );
      for (const l of f.links) evidenceOf.set(l.entityId, [...(evidenceOf.get(l.entityId) ?? []), ref]);
      return {
        ref,
        id: f.id,
        sha256: f.sha256,
        fileName: f.fileName,
        mediaType: f.mediaType,
        sizeBytes: f.sizeBytes,
        path: `${dossierPaths.evidence}${folderOf.get(first.entityType) ?? 'autres'}/${ref}-${cleanFileName(f.fileName).replace(/[/\\]/g, '_')}`,
        proves: f.links.map(
          (l) =>
            `${entityTypeLabel(l.entityType)} ${describe.get(l.entityId) ?? l.entityId}${l.purpose ? ` — ${l.purpose}` : ''}`,
        ),
      };
    });

    const recordIds = new Set<string>([...[...entities.values()].flat(), ...evidence.map((e) => e.id)]);
    const [auditSeqOf, firstAuditSeq] = await Promise.all([
      repo.lastAuditSeqs([...recordIds], headSeq),
      repo.firstAuditSeq([...recordIds], headSeq),
    ]);
    const findingsOfSanction = new Map<string, string[]>();
    for (const sf of sanctionFindings)
      findingsOfSanction.set(sf.sanctionId, [...(findingsOfSanction.get(sf.sanctionId) ?? []), sf.findingId]);
    const generatedAt = this.ctx.now().toISOString();
    const data: DossierData = {
      generatedAt,
      generatedBy: actor.label,
      certifier: { name: certifier?.name ?? 'Organisme certificateur', siret: certifier?.siret ?? null },
      certification: {
        code: certification.code,
        title: certification.title,
        level: certification.level,
        isActive: certification.isActive,
        registeredOn: certification.registeredOn,
        endsOn: certification.endsOn,
        skillBlocks,
      },
      partner,
      period: scope.period,
      fcSync: fcSync ? { at: fcSync.updatedAt.toISOString(), fileName: fcSync.fileName } : null,
      habilitations,
      decisions: decisions.map((d) => ({ ...d, decidedAt: d.decidedAt.toISOString() })),
      declaredPartners,
      declarations,
      conventions,
      controls,
      findings: findings.map((f) => ({
        ...f,
        openedAt: f.openedAt.toISOString(),
        closedAt: f.closedAt?.toISOString() ?? null,
      })),
      correctiveActions: actions.map((a) => ({ ...a, verifiedAt: a.verifiedAt?.toISOString() ?? null })),
      sanctions: sanctions.map((s) => ({
        ...s,
        repliedAt: s.repliedAt?.toISOString() ?? null,
        findingIds: findingsOfSanction.get(s.id) ?? [],
      })),
      trainingSessions: trainingSessions.map((t) => ({
        id: t.id,
        organisationId: t.organisationId,
        enrolled: Number(t.enrolled ?? 0),
      })),
      assessmentSessions: assessmentSessions.map((a) => ({
        id: a.id,
        startsAt: a.startsAt.toISOString(),
        place: a.place,
        organiser: a.legalName,
        status: a.status,
        candidates: Number(a.candidates ?? 0),
        evaluators: Number(a.evaluators ?? 0),
        results: Number(a.results ?? 0),
      })),
      juries: juries.map((j) => ({
        id: j.id,
        meetsOn: j.meetsOn,
        status: j.status,
        members: Number(j.members ?? 0),
        conflicts: Number(j.conflicts ?? 0),
        certified: Number(j.certified),
        certifiedByBlocks: Number(j.certifiedByBlocks),
        failed: Number(j.failed),
        postponed: Number(j.postponed),
        signedAt: j.signedAt?.toISOString() ?? null,
      })),
      certificates: certificates.map((c) => ({
        id: c.id,
        number: c.number,
        issuedOn: c.issuedOn,
        accrochageStatus: c.accrochageStatus,
        revoked: c.revokedAt !== null,
      })),
      insertion: await this.insertionLines(certification.id, scope.period),
      evidence,
      evidenceOf,
      auditSeqOf,
      audit: { headSeq: head?.seq ?? null, headHash: head?.hash ?? null },
      accrochageDays: ACCROCHAGE_DAYS,
    };
    const day = generatedAt.slice(0, 10);
    const fileStem = `dossier-${certification.code}${partner ? `-${partner.siret}` : ''}-${day}`;
    return { data, scope, recordIds, firstAuditSeq, fileStem };
  }

  /** The insertion survey campaigns of the certification whose cohort falls in the period. */
  private async insertionLines(certificationId: string, period: DossierScope['period']) {
    const { surveys, answers } = await new InsertionSurveyRepository(this.ctx.db).surveys(certificationId);
    const fromYear = period.from ? Number(period.from.slice(0, 4)) : 0;
    const toYear = period.to ? Number(period.to.slice(0, 4)) : 9999;
    const lines = surveys
      .filter((s) => s.cohortYear >= fromYear && s.cohortYear <= toYear)
      .map((s) => {
        const counts: Partial<Record<SurveySituation, number>> = {};
        for (const a of answers)
          if (a.surveyId === s.id) counts[a.situation as SurveySituation] = Number(a.n);
        const r = insertionRates(counts, Number(s.invited ?? 0), {
          internationalOccupation: s.internationalOccupation,
        });
        return {
          label: `Enquête à ${s.horizon === '6_months' ? '6 mois' : '2 ans'}, titulaires ${s.cohortYear}`,
          value: `${r.invited} interrogé(s), ${r.respondents} réponse(s) (${percent(r.respondents, r.invited)}) ; insertion dans le métier visé ${percent(r.employedTarget, r.base)}, dans l’emploi ${percent(r.employedAny, r.base)} (base ${r.base}, ${r.excluded} exclu(s) : poursuite d’études, alternance, inaptitude, emploi hors de France${s.internationalOccupation ? ' dans un autre métier ; le métier visé étant international, y travailler à l’étranger compte' : ''})`,
        };
      });
    return lines.length ? lines : null;
  }

  private async branding(data: DossierData): Promise<ReportBranding> {
    return { ...(await reportBranding(this.ctx)), certifierName: data.certifier.name };
  }

  /** The PDF report alone. */
  async pdf(actor: Actor, input: unknown): Promise<{ fileName: string; content: Buffer }> {
    requireAccess(actor, 'report.read');
    const query = parseInput(dossierQuery, input);
    const gathered = await this.gather(actor, query);
    const content = await dossierPdf(dossierView(gathered.data), await this.branding(gathered.data));
    return { fileName: `${gathered.fileStem}.pdf`, content };
  }

  /**
   * Writes the ZIP to `out` (ended when done) and returns what it holds. The PDF is rendered first (it is
   * also returned, for the CLI to write beside the ZIP).
   */
  async writeZip(
    actor: Actor,
    input: unknown,
    out: Writable,
  ): Promise<{ fileStem: string; pdf: Buffer; summary: DossierSummary }> {
    requireAccess(actor, 'report.read');
    const query = parseInput(dossierQuery, input);
    const gathered = await this.gather(actor, query);
    const { data } = gathered;
    const view = dossierView(data);
    const pdf = await dossierPdf(view, await this.branding(data));
    const zip = new ZipStreamWriter(out);
    const manifestFiles: ManifestFile[] = [];
    const modifiedAt = new Date(data.generatedAt);
    const addBuffer = async (
      name: string,
      bytes: Buffer,
      mediaType: string,
      proves: string[],
      deflate: boolean,
    ) => {
      await zip.addEntry(name, [bytes], { deflate, modifiedAt });
      manifestFiles.push({
        path: name,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sizeBytes: bytes.length,
        ref: null,
        evidenceId: null,
        mediaType,
        proves,
      });
    };
    const addText = async (
      name: string,
      chunks: Iterable<string> | AsyncIterable<string>,
      mediaType: string,
      proves: string[],
    ) => {
      const hash = createHash('sha256');
      let size = 0;
      async function* encoded() {
        for await (const chunk of chunks) {
          const bytes = Buffer.from(chunk, 'utf8');
          hash.update(bytes);
          size += bytes.length;
          yield bytes;
        }
      }
      await zip.addEntry(name, encoded(), { deflate: true, modifiedAt });
      manifestFiles.push({
        path: name,
        sha256: hash.digest('hex'),
        sizeBytes: size,
        ref: null,
        evidenceId: null,
        mediaType,
        proves,
      });
    };

    await addBuffer(
      dossierPaths.readme,
      Buffer.from(readme(data, dossierPaths.manifest), 'utf8'),
      'text/plain',
      ['Mode d’emploi du dossier'],
      true,
    );
    await addBuffer(dossierPaths.report, pdf, 'application/pdf', ['Rapport du dossier de preuves'], false);

    const store = this.ctx.config.filesDir;
    for (const e of data.evidence) {
      const file = path.join(store, e.sha256.slice(0, 2), e.sha256);
      const seen = { hash: createHash('sha256'), size: 0 };
      try {
        await zip.addEntry(e.path, hashed(createReadStream(file), seen), { deflate: false, modifiedAt });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new AppError(
            'internal',
            `Evidence ${e.ref} (${e.fileName}) is missing from the file store (${e.sha256})`,
            {
              details: { evidenceId: e.id, sha256: e.sha256 },
            },
          );
        throw error;
      }
      if (seen.hash.digest('hex') !== e.sha256)
        throw new AppError(
          'internal',
          `Evidence ${e.ref} (${e.fileName}) no longer matches its SHA-256 ${e.sha256}: the stored file was altered`,
          {
            details: { evidenceId: e.id, sha256: e.sha256 },
          },
        );
      manifestFiles.push({
        path: e.path,
        sha256: e.sha256,
        sizeBytes: seen.size,
        ref: e.ref,
        evidenceId: e.id,
        mediaType: e.mediaType,
        proves: e.proves,
      });
    }

    for (const section of view.sections)
      for (const t of section.tables as {
        csvPath: string;
        columns: readonly TableColumn<unknown>[];
        rows: readonly unknown[];
      }[])
        await addText(t.csvPath, csvLines(t.columns, t.rows), 'text/csv', [
          `Liste complète : ${section.title}`,
        ]);

    // The audit-log extract, streamed from the database.
    const repo = this.repo();
    let entries = 0;
    let fullEntries = 0;
    const headSeq = data.audit.headSeq;
    const firstSeq = gathered.firstAuditSeq ?? headSeq;
    const recordIds = gathered.recordIds;
    async function* auditLines() {
      if (firstSeq === null || headSeq === null) return;
      for await (const row of repo.auditRange(firstSeq, headSeq)) {
        const full = row.entityId !== null && recordIds.has(row.entityId);
        entries++;
        if (full) fullEntries++;
        yield `${auditExtractLine(row, full)}\n`;
      }
    }
    await addText(dossierPaths.auditLog, auditLines(), 'application/x-ndjson', [
      'Extrait du journal d’audit chaîné : historique de chaque élément du dossier',
    ]);

    const manifest: DossierManifest = {
      format: DOSSIER_FORMAT,
      generatedAt: data.generatedAt,
      generatedBy: data.generatedBy,
      certifier: data.certifier,
      certification: { code: data.certification.code, title: data.certification.title },
      partner: data.partner,
      period: data.period,
      auditLog: {
        path: dossierPaths.auditLog,
        firstSeq: entries ? firstSeq : null,
        lastSeq: entries ? headSeq : null,
        headHash: data.audit.headHash,
        entries,
        fullEntries,
      },
      files: manifestFiles,
    };
    const manifestHash = createHash('sha256');
    async function* manifestBytes() {
      for (const chunk of jsonChunks(manifest)) {
        const bytes = Buffer.from(chunk, 'utf8');
        manifestHash.update(bytes);
        yield bytes;
      }
    }
    await zip.addEntry(dossierPaths.manifest, manifestBytes(), { deflate: true, modifiedAt });
    await zip.finish();
    const manifestSha256 = manifestHash.digest('hex');

    const summary: DossierSummary = {
      certification: data.certification.code,
      partner: data.partner?.siret ?? null,
      files: manifestFiles.length,
      evidenceFiles: data.evidence.length,
      auditEntries: entries,
      headHash: data.audit.headHash,
      manifestSha256,
      pdfPages: null,
    };
    await this.ctx.db.transaction().execute((trx) =>
      recordAudit(
        trx,
        actor,
        {
          action: 'dossier.generate',
          entityType: 'certification',
          entityId: gathered.scope.certificationId,
          after: { ...summary, period: data.period },
        },
        this.ctx.now,
      ),
    );
    return { fileStem: gathered.fileStem, pdf, summary };
  }

  /**
   * The CLI's dossier: `<dir>/<stem>.pdf` and `<dir>/<stem>.zip`. Written under temporary names and
   * renamed at the end, so a failed dossier leaves nothing that looks complete.
   */
  async writeToDirectory(actor: Actor, input: unknown, dir: string): Promise<DossierFiles> {
    await mkdir(dir, { recursive: true });
    const tmpZip = path.join(dir, `.dossier-${randomUUID()}.zip.part`);
    const out = createWriteStream(tmpZip, { flags: 'wx' });
    const closed = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
    });
    try {
      const { fileStem, pdf, summary } = await this.writeZip(actor, input, out);
      await closed;
      const zipPath = path.join(dir, `${fileStem}.zip`);
      const pdfPath = path.join(dir, `${fileStem}.pdf`);
      const tmpPdf = `${pdfPath}.part`;
      await writeFile(tmpPdf, pdf);
      await rename(tmpPdf, pdfPath);
      await rename(tmpZip, zipPath);
      return { pdfPath, zipPath, summary };
    } catch (error) {
      // The stream opens its file asynchronously: wait until it is closed, or the file would appear after rm.
      out.destroy();
      await closed.catch(() => {});
      await rm(tmpZip, { force: true });
      throw error;
    }
  }

  /** Checks a dossier ZIP against its manifest and its audit-log extract (reads the file only). */
  verify(file: string) {
    return verifyDossierZip(file);
  }

  /** The ZIP for a download: written to a temporary file first (errors come before any byte is sent). */
  async zipFile(
    actor: Actor,
    input: unknown,
  ): Promise<{ fileName: string; content: Readable; sizeBytes: number }> {
    const dir = path.join(this.ctx.config.dataDir, 'tmp');
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `dossier-${randomUUID()}.zip`);
    const out = createWriteStream(tmp, { flags: 'wx' });
    const closed = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
    });
    try {
      const { fileStem } = await this.writeZip(actor, input, out);
      await closed;
      const { size } = await stat(tmp);
      const content = createReadStream(tmp);
      content.once('close', () => void rm(tmp, { force: true }));
      return { fileName: `${fileStem}.zip`, content, sizeBytes: size };
    } catch (error) {
      out.destroy();
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
