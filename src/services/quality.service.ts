import { type Actor, requireAccess } from '../core/access/policy.js';
import { type AuditKind, auditKinds } from '../core/controls/checklist.schema.js';
import { type Severity, severities } from '../core/findings/finding.schema.js';
import { funnelZone } from '../core/quality/funnel.js';
import { ageBucketOf, type QualityOverview } from '../core/quality/overview.schema.js';
import { QualityRepository } from '../db/repositories/quality.repository.js';
import { todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';

/**
 * The network dashboard of the quality manager: live findings by severity and age, the year's audit plan
 * and its progress, and the success-rate funnel plot per certification. Partners by risk come from the
 * risk service (GET /api/risk-scores), not from here.
 */
export class QualityService {
  constructor(private readonly ctx: ServiceContext) {}

  async overview(actor: Actor): Promise<QualityOverview> {
    requireAccess(actor, 'control.read');
    const asOf = todayOf(this.ctx.now);
    const year = Number(asOf.slice(0, 4));
    const repo = new QualityRepository(this.ctx.db);
    const [ages, plan, counts] = await Promise.all([
      repo.findingAges(asOf),
      repo.planProgress(year, asOf),
      repo.successCounts(asOf),
    ]);

    const bySeverity = severities.map((severity) => {
      const rows = ages.filter((r) => r.severity === severity);
      const buckets = { d30: 0, d90: 0, d180: 0, older: 0 };
      for (const r of rows) buckets[ageBucketOf(r.days)] += r.n;
      return { severity: severity as Severity, total: rows.reduce((t, r) => t + r.n, 0), ages: buckets };
    });

    const count = (status?: string) =>
      plan.filter((r) => status === undefined || r.status === status).reduce((t, r) => t + r.n, 0);

    const certifications = new Map<string, QualityOverview['funnel'][number]>();
    for (const r of counts) {
      const c = certifications.get(r.certificationId) ?? {
        certificationId: r.certificationId,
        code: r.code,
        title: r.title,
        presented: 0,
        passed: 0,
        partners: [],
      };
      c.presented += r.presented;
      c.passed += r.passed;
      c.partners.push({
        organisationId: r.organisationId,
        legalName: r.legalName,
        presented: r.presented,
        passed: r.passed,
        zone: 'inside',
      });
      certifications.set(r.certificationId, c);
    }
    const funnel = [...certifications.values()].map((c) => {
      const p = c.presented ? c.passed / c.presented : 0;
      return {
        ...c,
        partners: c.partners.map((x) => ({ ...x, zone: funnelZone(p, x.presented, x.passed) })),
      };
    });

    return {
      asOf,
      findings: {
        live: ages.reduce((t, r) => t + r.n, 0),
        late: ages.reduce((t, r) => t + r.late, 0),
        escalated: ages.reduce((t, r) => t + r.escalated, 0),
        bySeverity,
      },
      plan: {
        year,
        total: count(),
        done: count('done'),
        inProgress: count('in_progress'),
        planned: count('planned'),
        cancelled: count('cancelled'),
        overdue: plan.reduce((t, r) => t + r.overdue, 0),
        byKind: auditKinds
          .map((kind) => ({
            kind: kind as AuditKind,
            total: plan
              .filter((r) => r.kind === kind && r.status !== 'cancelled')
              .reduce((t, r) => t + r.n, 0),
            done: plan.filter((r) => r.kind === kind && r.status === 'done').reduce((t, r) => t + r.n, 0),
          }))
          .filter((k) => k.total > 0),
      },
      funnel,
    };
  }
}
