import { candidateInput } from '../../core/candidates/candidate.schema.js';
import { assessmentResultInput } from '../../core/chain/assessment.schema.js';
import type { UploadIssueCode, UploadIssueParams } from '../../core/chain/upload-issue-codes.js';
import type { CellValue, UploadIssue, UploadRow } from './read-table.js';

/**
 * Rows of an upload → the inputs the chain services take, with every problem of a row named by line and
 * column. Only what can be judged from the row itself is checked here (formats, enumerations, the candidate's
 * identity, a score within its maximum); what needs the database (certification, habilitation, enrolment)
 * is left to the services, which the upload calls exactly as the API does.
 */

/**
 * Records a problem of a row. The `code` (with its `params`) is given where a client may word the problem
 * itself; a message without a code (a rule of the shared schemas) is shown as it is.
 */
const rowProblem =
  (issues: UploadIssue[], line: number) =>
  (column: string, message: string, code?: UploadIssueCode, params?: UploadIssueParams) =>
    issues.push({ line, column, message, ...(code ? { code } : {}), ...(params ? { params } : {}) });

// --- cell conversions -----------------------------------------------------------------------------------

type Converted<T> =
  | { ok: true; value: T }
  | { ok: false; message: string; code: UploadIssueCode; params: UploadIssueParams };

const isoOf = (d: Date) => d.toISOString().slice(0, 10);

/** Trimmed text, or null when empty. Typed cells are written back as text (dates as YYYY-MM-DD). */
export function textOf(cell: CellValue | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return isoOf(cell);
  const text = String(cell).trim();
  return text === '' ? null : text;
}

/** A calendar day from `YYYY-MM-DD`, `JJ/MM/AAAA` (or with `-` / `.`), or a date cell of a workbook. */
/**
 * An XLSX date cell whose format the reader could not apply arrives as its serial number (days since
 * 1899-12-30, Excel's and LibreOffice's epoch): the streaming reader meets the sheet before the styles in
 * workbooks that store them after it, and custom date formats are not all recognised. In a date column a
 * number can only be that. Serials from 61 on (1900-03-01) are exact; nothing earlier is a plausible date here.
 */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_EXCEL_SERIAL = 2_958_465; // 9999-12-31

export function dateOf(cell: CellValue | undefined): Converted<string | null> {
  if (cell instanceof Date) return { ok: true, value: isoOf(cell) };
  if (typeof cell === 'number' && cell >= 61 && cell <= MAX_EXCEL_SERIAL)
    return { ok: true, value: isoOf(new Date(EXCEL_EPOCH_MS + Math.floor(cell) * 86_400_000)) };
  const text = textOf(cell);
  if (text === null) return { ok: true, value: null };
  let iso: string | null = null;
  const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) iso = text;
  else if (french) iso = `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}`;
  if (iso) {
    const d = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && isoOf(d) === iso) return { ok: true, value: iso };
    return {
      ok: false,
      message: `« ${text} » is not a calendar date`,
      code: 'not_a_calendar_date',
      params: { value: text },
    };
  }
  return {
    ok: false,
    message: `« ${text} » is not a date: write YYYY-MM-DD or DD/MM/YYYY`,
    code: 'not_a_date',
    params: { value: text },
  };
}

/** A decimal number; a comma is accepted as the decimal separator (`14,5`). */
export function decimalOf(cell: CellValue | undefined): Converted<number | null> {
  if (typeof cell === 'number') return { ok: true, value: cell };
  const text = textOf(cell);
  if (text === null) return { ok: true, value: null };
  const normalised = text.replace(/\s/g, '').replace(',', '.');
  const n = Number(normalised);
  if (!/^[-+]?\d+(\.\d+)?$/.test(normalised) || !Number.isFinite(n))
    return {
      ok: false,
      message: `« ${text} » is not a number`,
      code: 'not_a_number',
      params: { value: text },
    };
  return { ok: true, value: n };
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** One of the values a column takes, given in French (as in the template) or by the code's name. */
function enumOf<T extends string>(
  cell: CellValue | undefined,
  aliases: Record<string, T>,
): Converted<T | null> {
  const text = textOf(cell);
  if (text === null) return { ok: true, value: null };
  const found = aliases[fold(text)];
  if (found) return { ok: true, value: found };
  const allowed = Object.keys(aliases).join(', ');
  return {
    ok: false,
    message: `« ${text} » is not one of: ${allowed}`,
    code: 'not_one_of',
    params: { value: text, allowed },
  };
}

/** A list written in one cell, separated by commas or semicolons. */
const listOf = (cell: CellValue | undefined): string[] =>
  (textOf(cell) ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const modalityAliases = {
  presentiel: 'in_person',
  in_person: 'in_person',
  distanciel: 'distance',
  distance: 'distance',
  a_distance: 'distance',
  mixte: 'blended',
  blended: 'blended',
} as const;

export const fundingAliases = {
  cpf: 'cpf',
  apprentissage: 'apprenticeship',
  apprenticeship: 'apprenticeship',
  employeur: 'employer',
  employer: 'employer',
  personnel: 'personal',
  personal: 'personal',
  public: 'public',
  autre: 'other',
  other: 'other',
} as const;

export const accessRouteAliases = {
  formation_initiale: 'initial_training',
  initial_training: 'initial_training',
  formation_continue: 'continuing_training',
  continuing_training: 'continuing_training',
  apprentissage: 'apprenticeship',
  apprenticeship: 'apprenticeship',
  contrat_professionnalisation: 'professionalisation_contract',
  contrat_de_professionnalisation: 'professionalisation_contract',
  professionalisation_contract: 'professionalisation_contract',
  vae: 'vae',
  candidature_individuelle: 'individual_application',
  individual_application: 'individual_application',
} as const;

export const sexAliases = { f: 'F', m: 'M', h: 'M' } as const;

export const decisionAliases = {
  admis: 'passed',
  passed: 'passed',
  valide: 'passed',
  ajourne: 'failed',
  non_admis: 'failed',
  failed: 'failed',
  absent: 'absent',
} as const;

/** An INSEE code a spreadsheet stored as a number (01053 → 1053) gets its leading zeros back. */
function inseeCodeOf(cell: CellValue | undefined): string | null {
  if (typeof cell === 'number' && Number.isInteger(cell)) return String(cell).padStart(5, '0');
  return textOf(cell)?.toUpperCase() ?? null;
}

// --- columns of input fields ------------------------------------------------------------------------------

const trainingFieldColumns: Record<string, string> = {
  reference: 'reference_session',
  certificationId: 'code_certification',
  skillBlockIds: 'blocs',
  startsOn: 'date_debut',
  endsOn: 'date_fin',
  hours: 'heures',
  modality: 'modalite',
  site: 'lieu',
  trainers: 'formateurs',
  funding: 'financement',
  birthName: 'nom_naissance',
  usageName: 'nom_usage',
  firstNames: 'prenoms',
  sex: 'sexe',
  birthDate: 'date_naissance',
  birthPlaceCode: 'lieu_naissance',
  birthCountryCode: 'lieu_naissance',
  email: 'email',
  accessRoute: 'voie_acces',
  enrolledOn: 'date_inscription',
};

const resultFieldColumns: Record<string, string> = {
  candidateId: 'nom_naissance',
  skillBlockId: 'code_bloc',
  assessmentTask: 'epreuve',
  score: 'note',
  maxScore: 'note_max',
  decision: 'decision',
};

/**
 * The template column an input field (as a service names it in an error: `endsOn`, `skillBlockIds/0`,
 * `results/3/score`) comes from; null for what no column fills (the session as a whole).
 */
export function columnOfField(
  kind: 'training-sessions' | 'assessment-results',
  field: string,
): string | null {
  const parts = field.split('/').filter((p) => !/^\d+$/.test(p) && p !== 'results');
  const name = parts[0] ?? '';
  return (kind === 'training-sessions' ? trainingFieldColumns : resultFieldColumns)[name] ?? null;
}

// --- training sessions ------------------------------------------------------------------------------------

export interface SessionColumns {
  reference: string;
  certificationCode: string;
  skillBlockCodes: string[];
  startsOn: string;
  endsOn: string;
  hours: number | null;
  modality: 'in_person' | 'distance' | 'blended';
  site: string | null;
  trainers: string[];
  funding: (typeof fundingAliases)[keyof typeof fundingAliases] | null;
}

export interface TrainingSessionUploadRow {
  line: number;
  session: SessionColumns;
  /** The candidate as the candidate service takes it (already checked against its schema). */
  candidate: {
    birthName: string;
    usageName: string | null;
    firstNames: string;
    sex: 'M' | 'F';
    birthDate: string;
    birthPlaceCode: string | null;
    birthCountryCode: string | null;
    email: string | null;
    accessRoute: (typeof accessRouteAliases)[keyof typeof accessRouteAliases];
  };
  enrolledOn: string | null;
}

/** The session columns of a row, compared between rows of one session (they must say the same). */
export const sessionColumnHeaders = [
  'code_certification',
  'blocs',
  'date_debut',
  'date_fin',
  'heures',
  'modalite',
  'lieu',
  'formateurs',
  'financement',
] as const;

/** Reads one row of the training-session template; `issues` names every problem of the row. */
export function mapTrainingSessionRow(row: UploadRow): {
  value?: TrainingSessionUploadRow;
  issues: UploadIssue[];
} {
  const issues: UploadIssue[] = [];
  const c = row.cells;
  const problem = rowProblem(issues, row.line);
  const required = (column: string): string => {
    const v = textOf(c[column]);
    if (v === null) problem(column, 'required', 'required');
    return v ?? '';
  };
  const take = <T>(column: string, r: Converted<T>): T | null => {
    if (r.ok) return r.value;
    problem(column, r.message, r.code, r.params);
    return null;
  };

  const reference = required('reference_session');
  const certificationCode = required('code_certification').toUpperCase();
  const startsOn = take('date_debut', dateOf(c.date_debut));
  const endsOn = take('date_fin', dateOf(c.date_fin));
  if (textOf(c.date_debut) === null && !(c.date_debut instanceof Date))
    problem('date_debut', 'required', 'required');
  if (textOf(c.date_fin) === null && !(c.date_fin instanceof Date))
    problem('date_fin', 'required', 'required');
  if (startsOn && endsOn && endsOn < startsOn)
    problem('date_fin', `must not be before date_debut (${startsOn})`, 'not_before_start', {
      start: startsOn,
    });
  const hours = take('heures', decimalOf(c.heures));
  if (hours !== null && (hours < 0 || hours > 99_999.99))
    problem('heures', 'must be between 0 and 99999.99', 'out_of_range', { min: 0, max: 99_999.99 });
  const modality = take('modalite', enumOf(c.modalite, modalityAliases));
  if (textOf(c.modalite) === null) problem('modalite', 'required', 'required');
  const funding = take('financement', enumOf(c.financement, fundingAliases));
  const enrolledOn = take('date_inscription', dateOf(c.date_inscription));

  const sex = take('sexe', enumOf(c.sexe, sexAliases));
  const accessRoute = take('voie_acces', enumOf(c.voie_acces, accessRouteAliases));
  const birthDate = take('date_naissance', dateOf(c.date_naissance));
  const place = inseeCodeOf(c.lieu_naissance);
  const candidate = {
    birthName: textOf(c.nom_naissance) ?? '',
    usageName: textOf(c.nom_usage),
    firstNames: textOf(c.prenoms) ?? '',
    sex: sex ?? undefined,
    birthDate: birthDate ?? undefined,
    birthPlaceCode: place && !place.startsWith('99') ? place : null,
    birthCountryCode: place?.startsWith('99') ? place : null,
    email: textOf(c.email),
    accessRoute: accessRoute ?? undefined,
  };
  const parsed = candidateInput.safeParse(candidate);
  if (!parsed.success) {
    const already = new Set(issues.map((i) => i.column));
    for (const issue of parsed.error.issues) {
      const column = trainingFieldColumns[String(issue.path[0])] ?? null;
      // A value already refused for its format is not refused again as missing.
      if (column && already.has(column)) continue;
      const missing = issue.code === 'invalid_type' || issue.code === 'invalid_value';
      const message = missing ? 'required' : issue.message;
      if (!issues.some((i) => i.column === column && i.message === message))
        issues.push({ line: row.line, column, message, ...(missing ? { code: 'required' as const } : {}) });
    }
  }
  if (issues.length || !parsed.success) return { issues };
  return {
    issues,
    value: {
      line: row.line,
      session: {
        reference,
        certificationCode,
        skillBlockCodes: listOf(c.blocs).map((s) => s.toUpperCase()),
        startsOn: startsOn!,
        endsOn: endsOn!,
        hours,
        modality: modality!,
        site: textOf(c.lieu),
        trainers: listOf(c.formateurs),
        funding,
      },
      candidate: {
        birthName: parsed.data.birthName,
        usageName: parsed.data.usageName ?? null,
        firstNames: parsed.data.firstNames,
        sex: parsed.data.sex,
        birthDate: parsed.data.birthDate,
        birthPlaceCode: parsed.data.birthPlaceCode ?? null,
        birthCountryCode: parsed.data.birthCountryCode ?? null,
        email: parsed.data.email ?? null,
        accessRoute: parsed.data.accessRoute,
      },
      enrolledOn,
    },
  };
}

/** The text a session column holds on a row, to compare rows of one session. */
export const sessionCellText = (row: UploadRow, header: string): string => {
  const v = row.cells[header];
  if (v instanceof Date) return isoOf(v);
  return textOf(v ?? null) ?? '';
};

// --- assessment results -----------------------------------------------------------------------------------

export interface AssessmentResultUploadRow {
  line: number;
  candidateId: string | null;
  birthName: string;
  firstNames: string;
  birthDate: string;
  skillBlockCode: string | null;
  assessmentTask: string | null;
  score: number | null;
  maxScore: number | null;
  decision: 'passed' | 'failed' | 'absent';
}

/** Reads one row of the results template: identity of the candidate, block or task, score, decision. */
export function mapAssessmentResultRow(row: UploadRow): {
  value?: AssessmentResultUploadRow;
  issues: UploadIssue[];
} {
  const issues: UploadIssue[] = [];
  const c = row.cells;
  const problem = rowProblem(issues, row.line);
  const take = <T>(column: string, r: Converted<T>): T | null => {
    if (r.ok) return r.value;
    problem(column, r.message, r.code, r.params);
    return null;
  };
  const candidateId = textOf(c.id_candidat);
  if (
    candidateId !== null &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(candidateId)
  )
    problem('id_candidat', `« ${candidateId} » is not a candidate id`, 'not_a_candidate_id', {
      value: candidateId,
    });
  const birthName = textOf(c.nom_naissance);
  const firstNames = textOf(c.prenoms);
  if (!birthName) problem('nom_naissance', 'required', 'required');
  if (!firstNames) problem('prenoms', 'required', 'required');
  const birthDate = take('date_naissance', dateOf(c.date_naissance));
  if (textOf(c.date_naissance) === null && !(c.date_naissance instanceof Date))
    problem('date_naissance', 'required', 'required');
  const skillBlockCode = textOf(c.code_bloc)?.toUpperCase() ?? null;
  const assessmentTask = textOf(c.epreuve);
  const score = take('note', decimalOf(c.note));
  const maxScore = take('note_max', decimalOf(c.note_max));
  const decision = take('decision', enumOf(c.decision, decisionAliases));
  if (textOf(c.decision) === null) problem('decision', 'required', 'required');
  if (issues.length) return { issues };
  // The service's own rules of a result (block or task, score within its maximum, no score when absent),
  // checked on the row with a stand-in id: the real one is known once the candidate is found.
  const check = assessmentResultInput.safeParse({
    candidateId: '00000000-0000-4000-8000-000000000000',
    skillBlockId: skillBlockCode ? '00000000-0000-4000-8000-000000000000' : null,
    assessmentTask,
    score,
    maxScore,
    decision,
  });
  if (!check.success)
    for (const issue of check.error.issues) {
      const column =
        issue.path[0] === 'skillBlockId' && !skillBlockCode && !assessmentTask
          ? 'code_bloc'
          : (resultFieldColumns[String(issue.path[0])] ?? 'note');
      if (issue.path[0] === 'skillBlockId')
        problem(column, 'give the skill block code or the assessment task', 'block_or_task_required');
      else problem(column, issue.message);
    }
  if (issues.length) return { issues };
  return {
    issues,
    value: {
      line: row.line,
      candidateId,
      birthName: birthName!,
      firstNames: firstNames!,
      birthDate: birthDate!,
      skillBlockCode,
      assessmentTask,
      score,
      maxScore,
      decision: decision!,
    },
  };
}
