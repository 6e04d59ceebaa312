import { type Kysely, sql, type Transaction } from 'kysely';
import { type Actor, organisationScope, requireAccess } from '../core/access/policy.js';
import {
  type AssessmentResultUploadQuery,
  assessmentResultUploadQuery,
  type ChainUploadReport,
  type TrainingSessionUploadQuery,
  trainingSessionUploadQuery,
  type UploadIssueView,
  type UploadKind,
  uploadKinds,
} from '../core/contracts/chain-uploads.js';
import { AppError, isAppError, validationFailed } from '../core/errors.js';
import type { Database } from '../db/database.js';
import { CandidateRepository } from '../db/repositories/candidate.repository.js';
import { CertificationRepository } from '../db/repositories/certification.repository.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import type { DB } from '../db/schema.js';
import {
  type AssessmentResultUploadRow,
  assessmentResultColumns,
  columnOfField,
  firstFirstName,
  mapAssessmentResultRow,
  mapTrainingSessionRow,
  normaliseName,
  readUploadTable,
  sessionCellText,
  sessionColumnHeaders,
  type TrainingSessionUploadRow,
  templateCsv,
  templateXlsx,
  trainingSessionColumns,
  type UploadColumn,
  type UploadTable,
  type UploadTableOptions,
} from '../importers/chain-upload/index.js';
import { AssessmentService } from './assessment.service.js';
import { CandidateService } from './candidate.service.js';
import { declaringOrganisation } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { TrainingSessionService } from './training-session.service.js';
import { parseInput } from './validation.js';

/** An uploaded file, read whole (uploads are small: at most MAX_UPLOAD_BYTES). */
export interface UploadedFile {
  fileName: string;
  content: Uint8Array;
}

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The most results the assessment service records in one call. */
const RESULTS_PER_CALL = 2000;

/** Thrown inside the upload's transaction to undo it (dry run, or a file with errors); never leaves here. */
const ROLLBACK = Symbol('rollback');

/**
 * The upload's transaction as a database for the chain services: they run in it unchanged, and each of their
 * own `transaction()` calls becomes a savepoint, so one refused row is undone alone and the next rows are
 * still checked (a dry run reports every row), while the whole upload commits or rolls back as one.
 */
function savepointDatabase(trx: Transaction<DB>): Database {
  let savepoints = 0;
  const nested = () => ({
    async execute<R>(work: (t: Transaction<DB>) => Promise<R>): Promise<R> {
      const name = `upload_${++savepoints}`;
      await sql.raw(`savepoint ${name}`).execute(trx);
      try {
        const result = await work(trx);
        await sql.raw(`release savepoint ${name}`).execute(trx);
        return result;
      } catch (error) {
        await sql.raw(`rollback to savepoint ${name}`).execute(trx);
        throw error;
      }
    },
  });
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return nested;
      const value = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: its methods must run on the real object, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Kysely<DB>;
}

type RegisteredCandidate = { id: string; birthName: string; firstNames: string; birthDate: string | null };

/** The candidates of a session by id and by (normalised birth name, birth date): each row is found at once. */
interface RegisteredIndex {
  byId: Map<string, RegisteredCandidate>;
  byNameAndBirth: Map<string, RegisteredCandidate[]>;
}

const nameAndBirthKey = (birthName: string, birthDate: string | null) =>
  `${normaliseName(birthName)}|${birthDate ?? ''}`;

function indexRegistered(candidates: readonly RegisteredCandidate[]): RegisteredIndex {
  const byNameAndBirth = new Map<string, RegisteredCandidate[]>();
  for (const c of candidates) {
    const key = nameAndBirthKey(c.birthName, c.birthDate);
    byNameAndBirth.set(key, [...(byNameAndBirth.get(key) ?? []), c]);
  }
  return { byId: new Map(candidates.map((c) => [c.id, c])), byNameAndBirth };
}

/** The templates' download names: a file made from the wrong one is told by this name. */
const templateNames: Record<UploadKind, string> = {
  'training-sessions': 'modele-sessions-candidats',
  'assessment-results': 'modele-resultats-evaluation',
};

const templateColumns: Record<UploadKind, readonly UploadColumn[]> = {
  'training-sessions': trainingSessionColumns,
  'assessment-results': assessmentResultColumns,
};

/** What the reader needs to name the file, its template and the other template in file-level problems. */
const tableOptions = (kind: UploadKind, file: UploadedFile): UploadTableOptions => ({
  fileName: file.fileName,
  templateName: templateNames[kind],
  otherTemplates: uploadKinds
    .filter((k) => k !== kind)
    .map((k) => ({ name: templateNames[k], columns: templateColumns[k] })),
});

const emptySummary = () => ({
  sessions: 0,
  candidatesCreated: 0,
  candidatesReused: 0,
  enrolments: 0,
  results: 0,
});

/**
 * Declarations by upload: training sessions with their candidates, and assessment results, from the XLSX/CSV
 * templates (docs/chain-upload.md). Every row goes through the same services, hence the same rules, as the
 * API; the whole file is one transaction, committed only when no row has an error and it is not a dry run.
 */
export class ChainUploadService {
  readonly maxBytes = MAX_UPLOAD_BYTES;

  constructor(private readonly ctx: ServiceContext) {}

  /** The blank template of an upload, to download. */
  async template(
    actor: Actor,
    kind: UploadKind,
    format: 'xlsx' | 'csv',
  ): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
    requireAccess(actor, 'chain.read');
    const base = templateNames[kind];
    return format === 'xlsx'
      ? {
          fileName: `${base}.xlsx`,
          mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          content: await templateXlsx(kind),
        }
      : { fileName: `${base}.csv`, mediaType: 'text/csv; charset=utf-8', content: templateCsv(kind) };
  }

  /**
   * Training sessions and their candidates, one row per candidate. A candidate the organisation already has
   * (same birth name, first names and birth date) is enrolled as is; others are created. Rows with the same
   * session reference make one session, whose columns must agree on every row.
   */
  async uploadTrainingSessions(actor: Actor, query: unknown, file: UploadedFile): Promise<ChainUploadReport> {
    requireAccess(actor, 'chain.declare');
    const q: TrainingSessionUploadQuery = parseInput(trainingSessionUploadQuery, query);
    const organisationId = declaringOrganisation(actor, q.organisationId);
    if (organisationId === null)
      throw validationFailed([{ field: 'organisationId', message: 'name the partner the sessions are for' }]);
    if (!(await new ChainReferenceRepository(this.ctx.db).organisationExists(organisationId)))
      throw validationFailed([{ field: 'organisationId', message: `no organisation ${organisationId}` }]);

    const table = await readUploadTable(
      file.content,
      trainingSessionColumns,
      tableOptions('training-sessions', file),
    );
    const report = this.report('training-sessions', file, table, q.dryRun);
    if (table.issues.length) return this.finish(report);

    const groups = new Map<string, { rows: TrainingSessionUploadRow[]; first: number }>();
    const firstRowOf = new Map<string, (typeof table.rows)[number]>();
    for (const raw of table.rows) {
      const mapped = mapTrainingSessionRow(raw);
      report.errors.push(...mapped.issues);
      const reference = sessionCellText(raw, 'reference_session');
      if (!reference) continue;
      // The session's columns must say the same on every row of the session.
      const first = firstRowOf.get(reference);
      if (!first) firstRowOf.set(reference, raw);
      else
        for (const header of sessionColumnHeaders)
          if (sessionCellText(raw, header) !== sessionCellText(first, header))
            report.errors.push({
              line: raw.line,
              column: header,
              message: `differs from line ${first.line} of the same session (« ${sessionCellText(first, header)} »)`,
              code: 'session_cell_differs',
              params: { line: first.line, value: sessionCellText(first, header) },
            });
      if (!mapped.value) continue;
      const group = groups.get(reference) ?? { rows: [], first: raw.line };
      group.rows.push(mapped.value);
      groups.set(reference, group);
    }

    await this.inUploadTransaction(report, async (db, trx) => {
      const candidates = new CandidateService({ ...this.ctx, db });
      const sessions = new TrainingSessionService({ ...this.ctx, db });
      const certifications = new CertificationRepository(trx);
      for (const [reference, group] of groups) {
        const head = group.rows[0]!.session;
        const certification = await certifications.findByCode(head.certificationCode);
        if (!certification)
          report.errors.push({
            line: group.first,
            column: 'code_certification',
            message: `no certification ${head.certificationCode}`,
            code: 'unknown_certification',
            params: { code: head.certificationCode },
          });
        const blocks = certification ? await certifications.skillBlocksOf(certification.id) : [];
        const blockIds: string[] = [];
        for (const code of head.skillBlockCodes) {
          const block = blocks.find((b) => b.code === code);
          if (block) blockIds.push(block.id);
          else if (certification)
            report.errors.push({
              line: group.first,
              column: 'blocs',
              message: `${code} is not a skill block of ${certification.code}`,
              code: 'not_a_skill_block',
              params: { code, certification: certification.code },
            });
        }

        // The candidates first: each row alone, so that every refused row is reported.
        const enrolled = new Map<string, TrainingSessionUploadRow>();
        for (const row of group.rows) {
          const candidateId = await this.candidateFor(trx, candidates, actor, organisationId, row, report);
          if (!candidateId) continue;
          const twice = enrolled.get(candidateId);
          if (twice) {
            report.errors.push({
              line: row.line,
              column: 'nom_naissance',
              message: `the same candidate as line ${twice.line} of session ${reference}`,
              code: 'candidate_twice',
              params: { line: twice.line, reference },
            });
            continue;
          }
          enrolled.set(candidateId, row);
        }
        if (!certification || blockIds.length !== head.skillBlockCodes.length) continue;

        const lines = [...enrolled.values()].map((r) => r.line);
        const ids = [...enrolled.keys()];
        const undated = ids.filter((id) => enrolled.get(id)!.enrolledOn === null);
        try {
          const created = await sessions.create(actor, {
            organisationId,
            certificationId: certification.id,
            reference,
            startsOn: head.startsOn,
            endsOn: head.endsOn,
            hours: head.hours,
            modality: head.modality,
            site: head.site,
            trainers: head.trainers,
            funding: head.funding,
            skillBlockIds: blockIds,
            candidateIds: undated,
          });
          // Enrolment dates given in the file: one enrolment call per date.
          const byDate = new Map<string, string[]>();
          for (const [id, row] of enrolled)
            if (row.enrolledOn) byDate.set(row.enrolledOn, [...(byDate.get(row.enrolledOn) ?? []), id]);
          for (const [enrolledOn, candidateIds] of byDate)
            await sessions.enrol(actor, created.id, { candidateIds, enrolledOn });
          report.summary.sessions++;
          report.summary.enrolments += ids.length;
          report.trainingSessionIds.push(created.id);
        } catch (error) {
          report.errors.push(
            ...this.issuesOf(error, 'training-sessions', (field) => {
              const m = /^candidateIds\/(\d+)/.exec(field);
              return m ? (lines[ids.indexOf(undated[Number(m[1])]!)] ?? group.first) : group.first;
            }),
          );
        }
      }
    });
    return this.finish(report);
  }

  /**
   * Results of one assessment session, one row per candidate and skill block (by code) or task. Candidates
   * are found among those registered in the session, by id or by birth name, first names and birth date.
   */
  async uploadAssessmentResults(
    actor: Actor,
    query: unknown,
    file: UploadedFile,
  ): Promise<ChainUploadReport> {
    requireAccess(actor, 'assessment.record');
    const q: AssessmentResultUploadQuery = parseInput(assessmentResultUploadQuery, query);
    // The session must exist and be the actor's to see before the file is even read.
    const session = await new AssessmentService(this.ctx).get(actor, q.assessmentSessionId);

    const table = await readUploadTable(
      file.content,
      assessmentResultColumns,
      tableOptions('assessment-results', file),
    );
    const report = this.report('assessment-results', file, table, q.dryRun);
    if (table.issues.length) return this.finish(report);

    const registered = indexRegistered(
      await new CandidateRepository(this.ctx.db).findByIds(session.candidates.map((c) => c.candidateId)),
    );
    const blocks = await new ChainReferenceRepository(this.ctx.db).skillBlocksOf(session.certificationId);

    const rows: { row: AssessmentResultUploadRow; candidateId: string; skillBlockId: string | null }[] = [];
    const seen = new Map<string, number>();
    for (const raw of table.rows) {
      const mapped = mapAssessmentResultRow(raw);
      report.errors.push(...mapped.issues);
      const row = mapped.value;
      if (!row) continue;
      const candidate = this.findRegistered(registered, row);
      if (!candidate) {
        report.errors.push({
          line: row.line,
          column: row.candidateId ? 'id_candidat' : 'nom_naissance',
          message: `${row.firstNames} ${row.birthName}, born on ${row.birthDate}, is not registered in this assessment session`,
          code: 'not_registered',
          params: { name: `${row.firstNames} ${row.birthName}`, birthDate: row.birthDate },
        });
        continue;
      }
      let skillBlockId: string | null = null;
      if (row.skillBlockCode) {
        const block = blocks.find((b) => b.code === row.skillBlockCode);
        if (!block) {
          report.errors.push({
            line: row.line,
            column: 'code_bloc',
            message: `${row.skillBlockCode} is not a skill block of this certification`,
            code: 'not_a_skill_block',
            params: { code: row.skillBlockCode },
          });
          continue;
        }
        skillBlockId = block.id;
      }
      const key = `${candidate.id}|${skillBlockId ?? ''}|${row.assessmentTask ?? ''}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        report.errors.push({
          line: row.line,
          column: row.skillBlockCode ? 'code_bloc' : 'epreuve',
          message: `a second result for the same candidate and block or task (line ${earlier})`,
          code: 'duplicate_result',
          params: { line: earlier },
        });
        continue;
      }
      seen.set(key, row.line);
      rows.push({ row, candidateId: candidate.id, skillBlockId });
    }

    // Valid rows are recorded even when others have errors (then rolled back): the session's own refusals
    // (cancelled, not held yet, evaluator not assigned) are reported in the same answer.
    await this.inUploadTransaction(report, async (db) => {
      if (rows.length === 0) return;
      const assessments = new AssessmentService({ ...this.ctx, db });
      for (let start = 0; start < rows.length; start += RESULTS_PER_CALL) {
        const chunk = rows.slice(start, start + RESULTS_PER_CALL);
        try {
          const { items } = await assessments.recordResults(actor, q.assessmentSessionId, {
            results: chunk.map((r) => ({
              candidateId: r.candidateId,
              skillBlockId: r.skillBlockId,
              assessmentTask: r.row.assessmentTask,
              score: r.row.score,
              maxScore: r.row.maxScore,
              decision: r.row.decision,
            })),
          });
          report.summary.results += items.length;
        } catch (error) {
          report.errors.push(
            ...this.issuesOf(error, 'assessment-results', (field) => {
              const m = /^results\/(\d+)/.exec(field);
              return m ? (chunk[Number(m[1])]?.row.line ?? null) : null;
            }),
          );
          // A refusal of the session as a whole (cancelled, not held yet) would repeat for every chunk.
          return;
        }
      }
    });
    return this.finish(report);
  }

  private findRegistered(registered: RegisteredIndex, row: AssessmentResultUploadRow) {
    const sameName = (c: RegisteredCandidate) =>
      normaliseName(c.birthName) === normaliseName(row.birthName) && c.birthDate === row.birthDate;
    if (row.candidateId) {
      const byId = registered.byId.get(row.candidateId);
      // The id must be the person the row names: a wrong id must not put results on someone else.
      return byId && sameName(byId) ? byId : undefined;
    }
    const namesake = registered.byNameAndBirth.get(nameAndBirthKey(row.birthName, row.birthDate)) ?? [];
    const exact = namesake.filter((c) => normaliseName(c.firstNames) === normaliseName(row.firstNames));
    if (exact.length === 1) return exact[0];
    const loose = namesake.filter((c) => firstFirstName(c.firstNames) === firstFirstName(row.firstNames));
    return loose.length === 1 ? loose[0] : undefined;
  }

  /** The organisation's candidate for a row: the one it already has with this identity, or a new one. */
  private async candidateFor(
    trx: Database,
    candidates: CandidateService,
    actor: Actor,
    organisationId: string,
    row: TrainingSessionUploadRow,
    report: ChainUploadReport,
  ): Promise<string | null> {
    const existing = await new CandidateRepository(trx).findSameIdentity({
      organisationId,
      birthName: row.candidate.birthName,
      firstNames: row.candidate.firstNames,
      birthDate: row.candidate.birthDate,
    });
    if (existing) {
      report.summary.candidatesReused++;
      return existing.id;
    }
    try {
      // A partner's candidates are its own: naming its organisation is what the API would do too.
      const created = await candidates.create(actor, {
        ...row.candidate,
        organisationId: organisationScope(actor) ?? organisationId,
      });
      report.summary.candidatesCreated++;
      return created.id;
    } catch (error) {
      report.errors.push(...this.issuesOf(error, 'training-sessions', () => row.line));
      return null;
    }
  }

  /** A service's refusal as upload issues, each field on its column and on the line `lineOf` says. */
  private issuesOf(
    error: unknown,
    kind: UploadKind,
    lineOf: (field: string) => number | null,
  ): UploadIssueView[] {
    if (!isAppError(error) || error.code === 'internal') throw error;
    if (!error.fields?.length) return [{ line: lineOf(''), column: null, message: error.message }];
    return error.fields.map((f) => ({
      line: lineOf(f.field),
      column: columnOfField(kind, f.field),
      message: f.message,
    }));
  }

  /**
   * Runs the upload's writes in one transaction, committed only for a real run that found no error; the
   * services inside it see savepoints for their own transactions (see savepointDatabase).
   */
  private async inUploadTransaction(
    report: ChainUploadReport,
    work: (db: Database, trx: Database) => Promise<void>,
  ): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await work(savepointDatabase(trx), trx);
        if (report.dryRun || report.errors.length) throw ROLLBACK;
        report.committed = true;
      });
    } catch (error) {
      report.committed = false;
      if (error !== ROLLBACK) throw error;
    }
  }

  private report(
    kind: UploadKind,
    file: UploadedFile,
    table: UploadTable,
    dryRun: boolean,
  ): ChainUploadReport {
    return {
      kind,
      fileName: file.fileName,
      format: table.format,
      encoding: table.encoding,
      dryRun,
      committed: false,
      rowCount: table.rows.length,
      errors: [...table.issues],
      summary: emptySummary(),
      trainingSessionIds: [],
    };
  }

  /**
   * Errors in line order. A real run with errors is refused as a whole (import_rejected, the list in
   * details.errors); a dry run answers the list. A dry run reports what would have been written.
   */
  private finish(report: ChainUploadReport): ChainUploadReport {
    report.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (report.committed || report.dryRun) {
      if (report.dryRun) report.trainingSessionIds = [];
      return report;
    }
    if (report.errors.length === 0) return report;
    const shown = report.errors
      .slice(0, 5)
      .map(
        (e) => `${e.line === null ? '' : `line ${e.line}`}${e.column ? ` (${e.column})` : ''}: ${e.message}`,
      )
      .join('; ');
    throw new AppError(
      'import_rejected',
      `${file(report)} has ${report.errors.length} error(s), nothing was written: ${shown}${report.errors.length > 5 ? '; …' : ''}`,
      { details: { errors: report.errors, rowCount: report.rowCount } },
    );
  }
}

const file = (report: ChainUploadReport) => report.fileName || 'The file';
