import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { FindingListQuery } from '../../core/findings/finding.schema.js';
import type { Database } from '../database.js';
import type { CorrectiveActionsTable, FindingRemindersTable, FindingsTable } from '../schema.js';

export type FindingRow = Selectable<FindingsTable> & { organisationName: string | null };
export type CorrectiveActionRow = Selectable<CorrectiveActionsTable>;

export class FindingRepository {
  constructor(private readonly db: Database) {}

  private selectFindings() {
    return this.db
      .selectFrom('findings')
      .leftJoin('organisations', 'organisations.id', 'findings.organisationId')
      .selectAll('findings')
      .select('organisations.legalName as organisationName');
  }

  findById(id: string): Promise<FindingRow | undefined> {
    return this.selectFindings().where('findings.id', '=', id).executeTakeFirst();
  }

  /** The live (not closed) finding a rule already opened on the same subject, if any. */
  findOpenBySubject(ruleId: string, subjectKey: string): Promise<FindingRow | undefined> {
    return this.selectFindings()
      .where('findings.ruleId', '=', ruleId)
      .where('findings.subjectKey', '=', subjectKey)
      .where('findings.status', '<>', 'closed')
      .executeTakeFirst();
  }

  /** `scope`: only findings about this organisation (a partner's view); null: all. */
  async list(query: FindingListQuery, scope: string | null) {
    let base = this.db.selectFrom('findings');
    if (scope !== null) base = base.where('organisationId', '=', scope);
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.controlId) base = base.where('controlId', '=', query.controlId);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.severity) base = base.where('severity', '=', query.severity);
    if (query.live === 'true') base = base.where('status', '<>', 'closed');
    if (query.live === 'false') base = base.where('status', '=', 'closed');
    const [items, count] = await Promise.all([
      this.selectFindings()
        .where('findings.id', 'in', base.select('id'))
        .orderBy('findings.openedAt', 'desc')
        .orderBy('findings.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  async insert(row: Insertable<FindingsTable>): Promise<FindingRow> {
    const { id } = await this.db.insertInto('findings').values(row).returning('id').executeTakeFirstOrThrow();
    return this.getById(id);
  }

  async update(id: string, changes: Updateable<FindingsTable>): Promise<FindingRow> {
    await this.db
      .updateTable('findings')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
    return this.getById(id);
  }

  private async getById(id: string): Promise<FindingRow> {
    const row = await this.findById(id);
    if (!row) throw new Error(`finding ${id} vanished`);
    return row;
  }

  /** Locks the finding's row for the rest of the transaction (concurrent steps on one finding queue up). */
  async lock(id: string): Promise<void> {
    await this.db.selectFrom('findings').select('id').where('id', '=', id).forUpdate().execute();
  }

  remindersOf(findingId: string) {
    return this.db
      .selectFrom('findingReminders')
      .selectAll()
      .where('findingId', '=', findingId)
      .orderBy('sentOn')
      .orderBy('createdAt')
      .execute();
  }

  async insertReminder(row: Insertable<FindingRemindersTable>): Promise<void> {
    await this.db.insertInto('findingReminders').values(row).execute();
  }

  /**
   * Findings that may be late: waiting for the partner (a request, or accepted actions not done yet), with
   * the due date that applies and the day of their last reminder.
   */
  lateCandidates(asOf: string) {
    return this.db
      .selectFrom('findings')
      .select((eb) => [
        'findings.id',
        'findings.organisationId',
        'findings.title',
        'findings.status',
        'findings.actionDueOn',
        eb
          .selectFrom('correctiveActions')
          .select((e) => e.fn.min('correctiveActions.dueOn').as('d'))
          .whereRef('correctiveActions.findingId', '=', 'findings.id')
          .where('correctiveActions.status', '=', 'accepted')
          .as('actionDueOnOfPlan'),
        eb
          .selectFrom('findingReminders')
          .select((e) => e.fn.max('findingReminders.sentOn').as('d'))
          .whereRef('findingReminders.findingId', '=', 'findings.id')
          .as('lastSentOn'),
      ])
      .where('findings.status', 'in', ['action_requested', 'action_submitted'])
      .where((eb) =>
        eb.or([
          eb('findings.actionDueOn', '<', asOf),
          eb.exists(
            eb
              .selectFrom('correctiveActions')
              .select('correctiveActions.id')
              .whereRef('correctiveActions.findingId', '=', 'findings.id')
              .where('correctiveActions.status', '=', 'accepted')
              .where('correctiveActions.dueOn', '<', asOf),
          ),
        ]),
      )
      .orderBy('findings.id')
      .execute();
  }

  /** The partner's active users (the reminder's recipients), with the language they read. */
  partnerRecipients(organisationId: string): Promise<{ email: string; locale: string }[]> {
    return this.db
      .selectFrom('users')
      .select(['email', 'locale'])
      .where('organisationId', '=', organisationId)
      .where('role', '=', 'partner')
      .where('isActive', '=', true)
      .orderBy('email')
      .execute();
  }

  async setReminderChannel(findingId: string, sentOn: string, channel: 'mail' | 'recorded'): Promise<void> {
    await this.db
      .updateTable('findingReminders')
      .set({ channel })
      .where('findingId', '=', findingId)
      .where('sentOn', '=', sentOn)
      .execute();
  }

  /** The finding's own audit-log entries, oldest first (its timeline). */
  timelineOf(findingId: string, actionIds: readonly string[]) {
    return this.db
      .selectFrom('auditLog')
      .select(['at', 'action', 'actorLabel', 'after', 'seq'])
      .where((eb) =>
        eb.or([
          eb.and([eb('entityType', '=', 'finding'), eb('entityId', '=', findingId)]),
          ...(actionIds.length
            ? [eb.and([eb('entityType', '=', 'corrective_action'), eb('entityId', 'in', [...actionIds])])]
            : []),
        ]),
      )
      .orderBy('seq')
      .execute();
  }

  correctiveActionsOf(findingId: string): Promise<CorrectiveActionRow[]> {
    return this.db
      .selectFrom('correctiveActions')
      .selectAll()
      .where('findingId', '=', findingId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  findCorrectiveAction(findingId: string, id: string): Promise<CorrectiveActionRow | undefined> {
    return this.db
      .selectFrom('correctiveActions')
      .selectAll()
      .where('findingId', '=', findingId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertCorrectiveAction(row: Insertable<CorrectiveActionsTable>): Promise<CorrectiveActionRow> {
    return this.db.insertInto('correctiveActions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  updateCorrectiveAction(
    id: string,
    changes: Updateable<CorrectiveActionsTable>,
  ): Promise<CorrectiveActionRow> {
    return this.db
      .updateTable('correctiveActions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
