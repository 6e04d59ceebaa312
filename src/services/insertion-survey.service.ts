import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import { AppError, conflict, notFound } from '../core/errors.js';
import type { LabelLanguage } from '../core/labels/code-labels.js';
import {
  insertionRates,
  type SurveyQuestion,
  type SurveySituation,
  type SurveyView,
  surveyAnswerInput,
  surveyCreateInput,
  surveyTokenParam,
} from '../core/statistics/insertion.js';
import { InsertionSurveyRepository } from '../db/repositories/insertion-survey.repository.js';
import { recordAudit } from './audit.service.js';
import { newToken, tokenHash } from './auth/tokens.js';
import { surveyMail } from './insertion-survey-mail.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/** The public address of a survey link. */
export const surveyLink = (publicUrl: string, token: string, language: LabelLanguage = 'fr') =>
  `${publicUrl.replace(/\/+$/, '')}/survey/${token}${language === 'en' ? '?lang=en' : ''}`;

/**
 * Insertion surveys of holders: a campaign invites by e-mail every holder of a cohort (certificates issued in
 * a year), each through a personal link; the holder answers one question about their situation; the
 * campaign's answers give the response rate and France Compétences' two insertion rates.
 */
export class InsertionSurveyService {
  constructor(private readonly ctx: ServiceContext) {}

  async create(actor: Actor, input: unknown): Promise<SurveyView> {
    requireAccess(actor, 'report.read');
    requireAccess(actor, 'certificate.manage');
    const data = parseInput(surveyCreateInput, input);
    const repo = new InsertionSurveyRepository(this.ctx.db);
    const certification = await repo.certificationByCode(data.certification);
    if (!certification) throw notFound('certification', data.certification);
    if (await repo.findSurvey(certification.id, data.horizon, data.cohortYear))
      throw conflict(
        `A ${data.horizon} survey of the ${data.cohortYear} cohort of ${certification.code} already exists`,
        [{ field: 'cohortYear', message: 'already surveyed at this horizon' }],
      );
    const holders = await repo.holders(certification.id, data.cohortYear);
    if (!holders.length)
      throw new AppError(
        'not_found',
        `No certificate of ${certification.code} was issued in ${data.cohortYear}: nobody to survey`,
        {
          details: { entity: 'cohort', id: String(data.cohortYear) },
          fields: [{ field: 'cohortYear', message: 'no holder in this cohort' }],
        },
      );
    const certifierName = (await repo.certifierName())?.name ?? null;
    const links: { id: string; email: string; token: string; language: LabelLanguage }[] = [];
    const survey = await this.ctx.db.transaction().execute(async (trx) => {
      const tx = new InsertionSurveyRepository(trx);
      const row = await tx.insertSurvey({
        certificationId: certification.id,
        horizon: data.horizon,
        cohortYear: data.cohortYear,
        closesOn: data.closesOn,
        createdBy: actorId(actor),
        internationalOccupation: data.internationalOccupation,
      });
      for (const h of holders) {
        if (!h.email) continue;
        const token = newToken();
        const { id } = await tx.insertInvitation({
          surveyId: row.id,
          certificateId: h.certificateId,
          email: h.email,
          tokenHash: tokenHash(token),
        });
        links.push({ id, email: h.email, token, language: h.locale === 'en' ? 'en' : 'fr' });
      }
      await recordAudit(
        trx,
        actor,
        {
          action: 'insertion_survey.create',
          entityType: 'insertion_survey',
          entityId: row.id,
          after: { ...data, invited: links.length },
        },
        this.ctx.now,
      );
      return row;
    });
    // Mail after the commit: a message never points to a link that does not exist.
    for (const link of links) {
      // English holders open the page in English too (the link carries the language; the page can switch).
      const url = surveyLink(this.ctx.config.publicUrl, link.token, link.language);
      const outcome = this.ctx.mailer
        ? await this.ctx.mailer.send(
            surveyMail({
              to: link.email,
              language: link.language,
              certifierName,
              certificationTitle: certification.title,
              certificationCode: certification.code,
              horizon: data.horizon,
              closesOn: data.closesOn,
              link: url,
            }),
          )
        : ({ delivered: false, via: 'outbox', error: 'no mailer configured' } as const);
      await new InsertionSurveyRepository(this.ctx.db).markMailed(
        link.id,
        outcome.delivered
          ? { mailedAt: this.ctx.now(), mailError: null }
          : { mailedAt: null, mailError: outcome.error.slice(0, 500) },
      );
    }
    const views = await this.list(actor, { certification: certification.code });
    const view = views.find((v) => v.id === survey.id)!;
    return { ...view, withoutEmail: holders.length - links.length };
  }

  async list(actor: Actor, query: { certification?: string | undefined }): Promise<SurveyView[]> {
    requireAccess(actor, 'report.read');
    const repo = new InsertionSurveyRepository(this.ctx.db);
    let certificationId: string | null = null;
    if (query.certification) {
      const c = await repo.certificationByCode(query.certification.trim().toUpperCase());
      if (!c) throw notFound('certification', query.certification);
      certificationId = c.id;
    }
    const { surveys, answers } = await repo.surveys(certificationId);
    return surveys.map((s) => {
      const counts: Partial<Record<SurveySituation, number>> = {};
      for (const a of answers) if (a.surveyId === s.id) counts[a.situation as SurveySituation] = Number(a.n);
      return {
        id: s.id,
        certificationCode: s.certificationCode,
        horizon: s.horizon,
        cohortYear: s.cohortYear,
        closesOn: s.closesOn,
        createdAt: s.createdAt.toISOString(),
        internationalOccupation: s.internationalOccupation,
        withoutEmail: 0,
        mailFailures: Number(s.mailFailures ?? 0),
        answers: counts as Record<string, number>,
        rates: insertionRates(counts, Number(s.invited ?? 0), {
          internationalOccupation: s.internationalOccupation,
        }),
      };
    });
  }

  /** What the link shows (public). An unknown token is not_found. */
  async question(params: unknown): Promise<SurveyQuestion> {
    const { token } = parseInput(surveyTokenParam, params);
    const repo = new InsertionSurveyRepository(this.ctx.db);
    const row = await repo.invitationByTokenHash(tokenHash(token));
    if (!row) throw notFound('survey');
    return {
      certificationCode: row.code,
      certificationTitle: row.title,
      certifierName: (await repo.certifierName())?.name ?? '',
      horizon: row.horizon,
      answered: row.situation !== null,
      closed: row.closesOn < this.ctx.now().toISOString().slice(0, 10),
    };
  }

  /** Records the holder's answer (public, once: a second answer is a conflict). */
  async answer(params: unknown, input: unknown): Promise<SurveyQuestion> {
    const { token } = parseInput(surveyTokenParam, params);
    const { situation } = parseInput(surveyAnswerInput, input);
    const repo = new InsertionSurveyRepository(this.ctx.db);
    const row = await repo.invitationByTokenHash(tokenHash(token));
    if (!row) throw notFound('survey');
    if (row.closesOn < this.ctx.now().toISOString().slice(0, 10))
      throw conflict('This survey is closed', [{ field: 'situation', message: 'the survey is closed' }]);
    const inserted = await this.ctx.db.transaction().execute(async (trx) => {
      const ok = await new InsertionSurveyRepository(trx).insertResponse(row.id, situation);
      if (ok)
        await recordAudit(
          trx,
          { kind: 'system', label: 'holder (survey link)' },
          {
            action: 'insertion_survey.answer',
            entityType: 'insertion_survey_invitation',
            entityId: row.id,
            after: { situation },
          },
          this.ctx.now,
        );
      return ok;
    });
    if (!inserted)
      throw conflict('This survey was already answered', [
        { field: 'situation', message: 'already answered' },
      ]);
    return this.question(params);
  }
}
