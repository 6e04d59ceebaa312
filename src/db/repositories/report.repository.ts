import { sql } from 'kysely';
import type { Database } from '../database.js';

/** Reads of the reports (partner scorecard, audit report of a control, network overview). SQL only. */
export class ReportRepository {
  constructor(private readonly db: Database) {}

  certifierName() {
    return this.db.selectFrom('certifier').select(['name']).orderBy('id').executeTakeFirst();
  }

  organisation(id: string) {
    return this.db
      .selectFrom('organisations')
      .select([
        'id',
        'siret',
        'nda',
        'legalName',
        'tradeName',
        'addressLine',
        'postalCode',
        'city',
        'email',
        'phone',
        'qualiopiStatus',
        'qualiopiExpiresOn',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  habilitationsOf(organisationId: string) {
    return this.db
      .selectFrom('habilitations as h')
      .innerJoin('certifications as c', 'c.id', 'h.certificationId')
      .select(['h.id', 'c.code', 'c.title', 'h.scope', 'h.status', 'h.startsOn', 'h.endsOn'])
      .where('h.organisationId', '=', organisationId)
      .orderBy('c.code')
      .orderBy('h.startsOn')
      .execute();
  }

  conventionsOf(organisationId: string) {
    return this.db
      .selectFrom('conventions')
      .select(['id', 'reference', 'version', 'status', 'startsOn', 'endsOn', 'signedOn'])
      .where('organisationId', '=', organisationId)
      .orderBy('startsOn', 'desc')
      .execute();
  }

  controlsOf(organisationId: string) {
    return this.db
      .selectFrom('controls')
      .select(['id', 'kind', 'title', 'status', 'plannedOn', 'performedOn'])
      .where('organisationId', '=', organisationId)
      .orderBy(sql`coalesce(performed_on, planned_on)`, 'desc')
      .execute();
  }

  findingsOf(organisationId: string) {
    return this.db
      .selectFrom('findings')
      .select(['id', 'title', 'severity', 'status', 'openedAt', 'closedAt'])
      .where('organisationId', '=', organisationId)
      .orderBy('openedAt', 'desc')
      .execute();
  }

  sanctionsOf(organisationId: string) {
    return this.db
      .selectFrom('sanctions')
      .select(['id', 'level', 'reasons', 'decidedOn', 'status'])
      .where('organisationId', '=', organisationId)
      .orderBy('decidedOn', 'desc')
      .execute();
  }

  /** Presented and decided candidates of an organisation (or of all, by organisation), per certification. */
  async outcomes(organisationId: string | null) {
    const result = await sql<{
      organisationId: string;
      certificationCode: string;
      presented: number;
      deliberated: number;
      certified: number;
      certifiedByBlocks: number;
    }>`
      with decided as (
        select distinct on (j.certification_id, d.candidate_id) j.certification_id, d.candidate_id, d.decision
        from deliberations d join juries j on j.id = d.jury_id
        order by j.certification_id, d.candidate_id, d.decided_at desc, d.id
      ), presented as (
        select distinct s.certification_id, x.candidate_id
        from assessment_session_candidates x join assessment_sessions s on s.id = x.assessment_session_id
        where s.status <> 'cancelled'
      ), keys as (
        select certification_id, candidate_id from decided union select certification_id, candidate_id from presented
      )
      select c.organisation_id, cert.code as certification_code,
        count(p.candidate_id)::int as presented,
        count(*) filter (where d.decision in ('certified', 'certified_by_blocks', 'failed'))::int as deliberated,
        count(*) filter (where d.decision = 'certified')::int as certified,
        count(*) filter (where d.decision = 'certified_by_blocks')::int as certified_by_blocks
      from keys k
      join candidates c on c.id = k.candidate_id
      join certifications cert on cert.id = k.certification_id
      left join decided d on d.certification_id = k.certification_id and d.candidate_id = k.candidate_id
      left join presented p on p.certification_id = k.certification_id and p.candidate_id = k.candidate_id
      where c.organisation_id is not null and (${organisationId}::uuid is null or c.organisation_id = ${organisationId}::uuid)
      group by c.organisation_id, cert.code
      order by cert.code`.execute(this.db);
    return result.rows;
  }

  control(id: string) {
    return this.db
      .selectFrom('controls as c')
      .leftJoin('organisations as o', 'o.id', 'c.organisationId')
      .leftJoin('certifications as cert', 'cert.id', 'c.certificationId')
      .leftJoin('checklistTemplates as t', 't.id', 'c.checklistTemplateId')
      .leftJoin('users as u', 'u.id', 'c.performedBy')
      .select([
        'c.id',
        'c.kind',
        'c.title',
        'c.status',
        'c.plannedOn',
        'c.performedOn',
        'c.organisationId',
        'o.siret',
        'o.legalName',
        'cert.code as certificationCode',
        'cert.title as certificationTitle',
        't.title as checklistTitle',
        'u.displayName as performedBy',
      ])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  checkpointResults(controlId: string, templateId: string | null) {
    let q = this.db
      .selectFrom('checklistCheckpoints as p')
      .leftJoin('checkpointResults as r', (join) =>
        join.onRef('r.checkpointId', '=', 'p.id').on('r.controlId', '=', controlId),
      )
      .select([
        'p.position',
        'p.code',
        'p.question',
        'p.requirementFramework',
        'p.requirementRef',
        'r.result',
        'r.comment',
        'r.findingId',
      ]);
    q = templateId ? q.where('p.templateId', '=', templateId) : q.where('r.controlId', '=', controlId);
    return q.orderBy('p.position').execute();
  }

  checklistTemplateOf(controlId: string) {
    return this.db
      .selectFrom('controls')
      .select('checklistTemplateId')
      .where('id', '=', controlId)
      .executeTakeFirst();
  }

  findingsOfControl(controlId: string) {
    return this.db
      .selectFrom('findings as f')
      .select([
        'f.id',
        'f.title',
        'f.description',
        'f.severity',
        'f.status',
        'f.openedAt',
        (eb) =>
          eb
            .selectFrom('correctiveActions as a')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('a.findingId', '=', 'f.id')
            .as('actions'),
      ])
      .where('f.controlId', '=', controlId)
      .orderBy('f.openedAt')
      .execute();
  }

  evidenceOf(entityType: string, entityId: string) {
    return this.db
      .selectFrom('evidenceLinks as l')
      .innerJoin('evidenceFiles as e', 'e.id', 'l.evidenceId')
      .select(['e.fileName', 'e.sha256', 'e.sizeBytes', 'l.purpose'])
      .where('l.entityType', '=', entityType)
      .where('l.entityId', '=', entityId)
      .orderBy('e.uploadedAt')
      .execute();
  }

  /** One line per organisation that holds at least one habilitation. */
  async networkLines() {
    const result = await sql<{
      id: string;
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
    }>`
      select o.id, o.siret, o.legal_name, o.city, o.qualiopi_status,
        (select count(*) from habilitations h where h.organisation_id = o.id)::int as habilitations,
        (select count(*) from habilitations h where h.organisation_id = o.id and h.status in ('active', 'under_watch'))::int as active_habilitations,
        (select count(*) from conventions c where c.organisation_id = o.id and c.status = 'signed')::int as signed_conventions,
        (select count(*) from findings f where f.organisation_id = o.id and f.status not in ('closed', 'verified'))::int as open_findings,
        (select count(*) from findings f where f.organisation_id = o.id and f.status not in ('closed', 'verified') and f.severity <> 'minor')::int as severe_open_findings,
        (select count(*) from sanctions s where s.organisation_id = o.id and s.status <> 'cancelled')::int as sanctions,
        (select max(c.performed_on)::text from controls c where c.organisation_id = o.id and c.status = 'done') as last_control_on
      from organisations o
      where exists (select 1 from habilitations h where h.organisation_id = o.id) and o.archived_at is null
      order by o.legal_name, o.siret`.execute(this.db);
    return result.rows;
  }

  logo() {
    return this.db
      .selectFrom('reportSettings')
      .select(['logoSha256', 'logoMediaType', 'updatedAt'])
      .where('id', '=', 1)
      .executeTakeFirst();
  }

  setLogo(logo: { logoSha256: string | null; logoMediaType: string | null }) {
    return this.db
      .insertInto('reportSettings')
      .values({ id: 1, ...logo })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...logo, updatedAt: new Date() }))
      .execute();
  }
}
