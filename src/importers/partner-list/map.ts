import { certificationCode } from '../../core/certifications/certification.schema.js';
import { isoDate } from '../../core/common.schema.js';
import {
  findOverlappingHabilitation,
  type HabilitationScope,
} from '../../core/habilitations/habilitation.js';
import { periodError } from '../../core/habilitations/period.js';
import { type OrganisationData, organisationInput } from '../../core/organisations/organisation.schema.js';
import { compactIdentifier } from '../../core/validators/identifiers.js';
import { columnByKey, headerKey, type PartnerColumnKey } from './columns.js';
import type { CellValue, ImportIssue, PartnerRow } from './read.js';

/** One partner row, validated: the organisation, and the habilitation application when the row has one. */
export interface MappedPartner {
  line: number;
  organisation: OrganisationData;
  habilitation: {
    certificationCode: string;
    scope: HabilitationScope;
    startsOn: string;
    endsOn: string | null;
  } | null;
}

const issue = (line: number, key: PartnerColumnKey, message: string): ImportIssue => ({
  line,
  column: columnByKey[key].header,
  message,
});

/** Digits Excel took for a number lose their leading zeros: they are put back to the identifier's length. */
const padded: Partial<Record<PartnerColumnKey, number>> = { siret: 14, nda: 11, postalCode: 5 };

function textOf(key: PartnerColumnKey, value: CellValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') {
    const width = padded[key];
    const digits = Number.isInteger(value) ? String(value) : String(value);
    return width && /^\d+$/.test(digits) ? digits.padStart(width, '0') : digits;
  }
  return value;
}

/** Excel's day 0 of the 1900 date system (1899-12-30, the leap-year bug included). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date as people enter it: `2026-01-31`, `31/01/2026` (also with `-` or `.`), a date cell, or an Excel
 * serial number. Returns the ISO date, or an error message.
 */
export function parseDateCell(value: CellValue): { date: string } | { error: string } {
  let iso: string | null = null;
  if (value instanceof Date) iso = value.toISOString().slice(0, 10);
  else if (typeof value === 'number' && value > 0 && value < 2_958_466)
    iso = new Date(EXCEL_EPOCH + Math.round(value) * 86_400_000).toISOString().slice(0, 10);
  else if (typeof value === 'string') {
    const french = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value.trim());
    iso = french
      ? `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}`
      : value.trim().slice(0, 10);
  }
  if (iso && isoDate.safeParse(iso).success) return { date: iso };
  return { error: `"${String(value)}" is not a date (write 31/12/2026 or 2026-12-31)` };
}

const qualiopiWords: Record<string, OrganisationData['qualiopiStatus']> = {
  certified: 'certified',
  certifie: 'certified',
  oui: 'certified',
  yes: 'certified',
  notcertified: 'not_certified',
  noncertifie: 'not_certified',
  non: 'not_certified',
  no: 'not_certified',
  lapsed: 'lapsed',
  expire: 'lapsed',
  perime: 'lapsed',
  retire: 'lapsed',
  unknown: 'unknown',
  inconnu: 'unknown',
};

const scopeWords: Record<string, HabilitationScope> = {
  train: 'train',
  former: 'train',
  formation: 'train',
  habilitationformer: 'train',
  evaluate: 'evaluate',
  evaluer: 'evaluate',
  evaluation: 'evaluate',
  organiser: 'evaluate',
  organiserlevaluation: 'evaluate',
  habilitationorganiser: 'evaluate',
  both: 'both',
  lesdeux: 'both',
  formeretevaluer: 'both',
  formeretorganiser: 'both',
  formeretorganiserlevaluation: 'both',
  formationetevaluation: 'both',
  habilitationorgaform: 'both',
};

const organisationKeys = [
  'siret',
  'legalName',
  'nda',
  'addressLine',
  'postalCode',
  'city',
  'email',
  'phone',
  'qualiopiStatus',
  'qualiopiExpiresOn',
] as const satisfies readonly PartnerColumnKey[];

const habilitationKeys = [
  'certificationCode',
  'scope',
  'startsOn',
  'endsOn',
] as const satisfies readonly PartnerColumnKey[];

/**
 * Validates one row against the template: the organisation with the same rules as the API (SIRET and NDA
 * checksums, postal code, e-mail…), and the habilitation application when any of its columns is filled
 * (then the certification code, scope and start are required). Every problem names its line and column.
 */
export function mapPartnerRow(row: PartnerRow): {
  partner: MappedPartner | null;
  /** The row's habilitation when that part is valid, even if the organisation part is not. */
  habilitation: MappedPartner['habilitation'];
  issues: ImportIssue[];
} {
  const issues: ImportIssue[] = [];
  const { line, cells } = row;
  const input: Record<string, unknown> = {};
  for (const key of organisationKeys) {
    const value = textOf(key, cells[key]);
    if (value !== undefined) input[key] = value;
  }
  if (cells.qualiopiStatus !== undefined && cells.qualiopiStatus !== null) {
    const status = qualiopiWords[headerKey(String(cells.qualiopiStatus))];
    if (status) input.qualiopiStatus = status;
    else {
      delete input.qualiopiStatus;
      issues.push(
        issue(
          line,
          'qualiopiStatus',
          `"${cells.qualiopiStatus}" is not a Qualiopi status (certifié, non certifié, expiré, inconnu)`,
        ),
      );
    }
  }
  if (cells.qualiopiExpiresOn !== undefined && cells.qualiopiExpiresOn !== null) {
    const parsed = parseDateCell(cells.qualiopiExpiresOn);
    if ('date' in parsed) input.qualiopiExpiresOn = parsed.date;
    else {
      delete input.qualiopiExpiresOn;
      issues.push(issue(line, 'qualiopiExpiresOn', parsed.error));
    }
  }
  const organisation = organisationInput.safeParse(input);
  if (!organisation.success)
    for (const problem of organisation.error.issues) {
      const key = problem.path[0] as PartnerColumnKey | undefined;
      if (key && key in columnByKey) issues.push(issue(line, key, problem.message));
      else issues.push({ line, column: '(row)', message: problem.message });
    }

  let habilitation: MappedPartner['habilitation'] = null;
  if (habilitationKeys.some((k) => cells[k] !== undefined && cells[k] !== null)) {
    const codeText = textOf('certificationCode', cells.certificationCode);
    const code = codeText === undefined ? undefined : certificationCode.safeParse(codeText);
    if (code === undefined) issues.push(issue(line, 'certificationCode', 'required with a habilitation'));
    else if (!code.success) issues.push(issue(line, 'certificationCode', code.error.issues[0]!.message));
    const scopeText = textOf('scope', cells.scope);
    const scope = scopeText === undefined ? undefined : scopeWords[headerKey(scopeText)];
    if (scopeText === undefined) issues.push(issue(line, 'scope', 'required with a habilitation'));
    else if (!scope)
      issues.push(issue(line, 'scope', `"${scopeText}" is not a scope (former, évaluer, former et évaluer)`));
    const start =
      cells.startsOn === undefined || cells.startsOn === null ? undefined : parseDateCell(cells.startsOn);
    if (start === undefined) issues.push(issue(line, 'startsOn', 'required with a habilitation'));
    else if ('error' in start) issues.push(issue(line, 'startsOn', start.error));
    const end = cells.endsOn === undefined || cells.endsOn === null ? undefined : parseDateCell(cells.endsOn);
    if (end && 'error' in end) issues.push(issue(line, 'endsOn', end.error));
    if (start && 'date' in start && end && 'date' in end) {
      const problem = periodError({ startsOn: start.date, endsOn: end.date });
      if (problem) issues.push(issue(line, 'endsOn', `must not be before the start (${start.date})`));
    }
    if (code?.success && scope && start && 'date' in start && (!end || 'date' in end))
      habilitation = {
        certificationCode: code.data,
        scope,
        startsOn: start.date,
        endsOn: end ? end.date : null,
      };
  }
  if (issues.length || !organisation.success) return { partner: null, habilitation, issues };
  return { partner: { line, organisation: organisation.data, habilitation }, habilitation, issues };
}

/** A SIRET cell as the organisation schema will read it (spaces and dots removed), or null. */
function siretKey(value: CellValue | undefined): string | null {
  const text = textOf('siret', value);
  return text === undefined ? null : compactIdentifier(text);
}

/**
 * Completes rows before they are validated: a SIRET repeated on several rows (one per certification) takes
 * the organisation columns left empty from its first row, and a SIRET already registered needs no name
 * (`knownNames`: SIRET → registered name), since an existing organisation is left as it is.
 */
export function completeRows(
  rows: readonly PartnerRow[],
  knownNames: ReadonlyMap<string, string>,
): PartnerRow[] {
  const first = new Map<string, PartnerRow>();
  return rows.map((row) => {
    const siret = siretKey(row.cells.siret);
    if (siret === null) return row;
    const cells = { ...row.cells };
    const earlier = first.get(siret);
    if (earlier) {
      for (const key of organisationKeys)
        if (cells[key] === undefined || cells[key] === null) cells[key] = earlier.cells[key] ?? null;
    } else {
      first.set(siret, row);
    }
    const known = knownNames.get(siret);
    if (known !== undefined && (cells.legalName === undefined || cells.legalName === null))
      cells.legalName = known;
    return { line: row.line, cells };
  });
}

/** The SIRETs the rows name, as they will be compared with the registered ones. */
export const siretsOf = (rows: readonly PartnerRow[]): string[] => [
  ...new Set(rows.flatMap((r) => siretKey(r.cells.siret) ?? [])),
];

/**
 * Checks between rows: a SIRET may come back on several rows (one per certification) but its other
 * organisation columns must then be empty or say the same; two rows may not apply twice for overlapping
 * habilitations of the same partner and certification.
 */
export function crossRowIssues(
  partners: readonly MappedPartner[],
  rows: readonly PartnerRow[],
): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const firstBySiret = new Map<string, MappedPartner>();
  const cellsByLine = new Map(rows.map((r) => [r.line, r.cells]));
  const slots = new Map<
    string,
    { id: string; line: number; scope: HabilitationScope; startsOn: string; endsOn: string | null }[]
  >();
  for (const partner of partners) {
    const { siret } = partner.organisation;
    const first = firstBySiret.get(siret);
    if (!first) firstBySiret.set(siret, partner);
    else {
      const cells = cellsByLine.get(partner.line) ?? {};
      for (const key of organisationKeys) {
        if (key === 'siret' || cells[key] === undefined || cells[key] === null) continue;
        const mine = partner.organisation[key];
        const theirs = first.organisation[key];
        if (JSON.stringify(mine) !== JSON.stringify(theirs))
          issues.push(issue(partner.line, key, `differs from line ${first.line} for the same SIRET`));
      }
    }
    const h = partner.habilitation;
    if (!h) continue;
    const pair = `${siret}|${h.certificationCode}`;
    const existing = slots.get(pair) ?? [];
    const candidate = {
      id: String(partner.line),
      line: partner.line,
      scope: h.scope,
      startsOn: h.startsOn,
      endsOn: h.endsOn,
    };
    const other = findOverlappingHabilitation(
      { ...candidate, status: 'application' },
      existing.map((e) => ({ ...e, status: 'application' as const })),
    );
    if (other)
      issues.push(
        issue(
          partner.line,
          'startsOn',
          `overlaps the habilitation of line ${other.line} (same SIRET, certification and scope)`,
        ),
      );
    existing.push(candidate);
    slots.set(pair, existing);
  }
  return issues;
}
