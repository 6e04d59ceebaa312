import { sql } from 'kysely';
import type { Database } from '../database.js';

export class InsertionSurveyRepository {
  constructor(private readonly db: Database) {}

  certificationByCode(code: string) {
    return this.db
      .selectFrom('certifications')
      .select(['id', 'code', 'title'])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  findSurvey(certificationId: string, horizon: string, cohortYear: number) {
    return this.db
      .selectFrom('insertionSurveys')
      .select('id')
      .where('certificationId', '=', certificationId)
      .where('horizon', '=', horizon as '6_months')
      .where('cohortYear', '=', cohortYear)
      .executeTakeFirst();
  }

  insertSurvey(row: {
    certificationId: string;
    horizon: '6_months' | '2_years';
    cohortYear: number;
    closesOn: string;
    createdBy: string | null;
    internationalOccupation: boolean;
  }) {
    return this.db.insertInto('insertionSurveys').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * The holders of a cohort (live certificates of the certification issued that year) with the candidate's
   * e-mail and, where known, their language: the locale of a Habilis account at the same address (a holder
   * who is also a partner's user), else none.
   */
  holders(certificationId: string, cohortYear: number) {
    return this.db
      .selectFrom('certificates as x')
      .innerJoin('candidates as c', 'c.id', 'x.candidateId')
      .select(['x.id as certificateId', 'c.email'])
      .select((eb) =>
        eb
          .selectFrom('users as u')
          .select('u.locale')
          .where(sql<boolean>`lower(u.email) = lower(c.email)`)
          .orderBy('u.isActive', 'desc')
          .limit(1)
          .as('locale'),
      )
      .where('x.certificationId', '=', certificationId)
      .where('x.revokedAt', 'is', null)
      .where(sql<number>`extract(year from x.issued_on)::int`, '=', cohortYear)
      .orderBy('x.number')
      .execute();
  }

  insertInvitation(row: { surveyId: string; certificateId: string; email: string; tokenHash: string }) {
    return this.db
      .insertInto('insertionSurveyInvitations')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  markMailed(id: string, outcome: { mailedAt: Date | null; mailError: string | null }) {
    return this.db.updateTable('insertionSurveyInvitations').set(outcome).where('id', '=', id).execute();
  }

  invitationByTokenHash(tokenHash: string) {
    return this.db
      .selectFrom('insertionSurveyInvitations as i')
      .innerJoin('insertionSurveys as s', 's.id', 'i.surveyId')
      .innerJoin('certifications as c', 'c.id', 's.certificationId')
      .leftJoin('insertionSurveyResponses as r', 'r.invitationId', 'i.id')
      .select(['i.id', 's.horizon', 's.closesOn', 'c.code', 'c.title', 'r.situation'])
      .where('i.tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  async insertResponse(invitationId: string, situation: string): Promise<boolean> {
    const row = await this.db
      .insertInto('insertionSurveyResponses')
      .values({ invitationId, situation })
      .onConflict((oc) => oc.column('invitationId').doNothing())
      .returning('invitationId')
      .executeTakeFirst();
    return row !== undefined;
  }

  certifierName() {
    return this.db.selectFrom('certifier').select('name').orderBy('id').executeTakeFirst();
  }

  /** Campaigns with their counts (invited, mail failures, answers by situation). */
  async surveys(certificationId: string | null) {
    let q = this.db
      .selectFrom('insertionSurveys as s')
      .innerJoin('certifications as c', 'c.id', 's.certificationId')
      .select([
        's.id',
        'c.code as certificationCode',
        's.certificationId',
        's.horizon',
        's.cohortYear',
        's.closesOn',
        's.createdAt',
        's.internationalOccupation',
        (eb) =>
          eb
            .selectFrom('insertionSurveyInvitations as i')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('i.surveyId', '=', 's.id')
            .as('invited'),
        (eb) =>
          eb
            .selectFrom('insertionSurveyInvitations as i')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('i.surveyId', '=', 's.id')
            .where('i.mailError', 'is not', null)
            .as('mailFailures'),
      ]);
    if (certificationId) q = q.where('s.certificationId', '=', certificationId);
    const surveys = await q.orderBy('s.cohortYear', 'desc').orderBy('s.horizon').execute();
    const answers = surveys.length
      ? await this.db
          .selectFrom('insertionSurveyResponses as r')
          .innerJoin('insertionSurveyInvitations as i', 'i.id', 'r.invitationId')
          .select(['i.surveyId', 'r.situation', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'i.surveyId',
            'in',
            surveys.map((s) => s.id),
          )
          .groupBy(['i.surveyId', 'r.situation'])
          .execute()
      : [];
    return { surveys, answers };
  }
}
