import { type Actor, organisationScope, requireAccess } from '../core/access/policy.js';
import type { ExpiryAlert, ExpiryAlertList, ExpiryAlertQuery } from '../core/alerts/alert.schema.js';
import { expiryThresholdOf } from '../core/alerts/expiry.js';
import { daysBetween } from '../core/declarations/declaration.js';
import { calendarDay } from '../core/habilitations/period.js';
import { AlertRepository, type EndingRow, type SuccessorRow } from '../db/repositories/alert.repository.js';
import type { ServiceContext } from './service-context.js';

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Expiry and renewal alerts: signed conventions and granted habilitations that end within 90, 30 or 7
 * days, each with the renewal already recorded if there is one (a later convention of the partner, a later
 * habilitation of the same partner and certification). A partner user sees its own only. The reminders by
 * e-mail and the scheduler that sends them build on this list (not yet wired).
 */
export class AlertService {
  constructor(private readonly ctx: ServiceContext) {}

  async expiries(actor: Actor, query: ExpiryAlertQuery): Promise<ExpiryAlertList> {
    requireAccess(actor, 'convention.read');
    requireAccess(actor, 'habilitation.read');
    const scope = organisationScope(actor);
    const organisationIds =
      scope !== null
        ? query.organisationId && query.organisationId !== scope
          ? []
          : [scope]
        : query.organisationId
          ? [query.organisationId]
          : undefined;
    const today = query.on ?? calendarDay(this.ctx.now());
    const filter = { from: today, to: addDays(today, query.within), organisationIds };
    const repo = new AlertRepository(this.ctx.db);
    const [conventions, habilitations] = await Promise.all([
      query.kind === 'habilitation' ? [] : repo.conventionsEnding(filter),
      query.kind === 'convention' ? [] : repo.habilitationsEnding(filter),
    ]);
    const [conventionNext, habilitationNext] = await Promise.all([
      repo.conventionSuccessors([...new Set(conventions.map((c) => c.organisationId))]),
      repo.habilitationSuccessors([...new Set(habilitations.map((h) => h.organisationId))]),
    ]);
    const items = [
      ...conventions.map((row) => this.alert('convention', row, conventionNext, today)),
      ...habilitations.map((row) => this.alert('habilitation', row, habilitationNext, today)),
    ]
      .filter((a): a is ExpiryAlert => a !== null)
      .sort(
        (a, b) =>
          a.endsOn.localeCompare(b.endsOn) ||
          a.organisationName.localeCompare(b.organisationName, 'fr') ||
          a.label.localeCompare(b.label),
      );
    return {
      on: today,
      items,
      counts: {
        within7: items.filter((a) => a.threshold === 7).length,
        within30: items.filter((a) => a.threshold <= 30).length,
        within90: items.length,
      },
    };
  }

  private alert(
    kind: ExpiryAlert['kind'],
    row: EndingRow,
    successors: readonly SuccessorRow[],
    today: string,
  ): ExpiryAlert | null {
    const threshold = expiryThresholdOf(row.endsOn, today);
    if (threshold === null) return null;
    const next = successors.find(
      (s) =>
        s.id !== row.id &&
        s.organisationId === row.organisationId &&
        s.certificationId === row.certificationId &&
        s.startsOn > row.startsOn,
    );
    return {
      kind,
      id: row.id,
      organisationId: row.organisationId,
      organisationName: row.organisationName,
      label: row.label,
      status: row.status,
      endsOn: row.endsOn,
      daysLeft: daysBetween(today, row.endsOn),
      threshold,
      renewal: next ? { id: next.id, label: next.label, status: next.status, startsOn: next.startsOn } : null,
    };
  }
}
