import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import type {
  ControlRuleCatalogue,
  ControlRuleRunSummary,
  ControlRunSummary,
} from '../core/contracts/control-rules.js';
import { controlRunInput } from '../core/contracts/control-rules.js';
import { validationFailed } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import { ControlRepository } from '../db/repositories/control.repository.js';
import {
  ControlRulesRepository,
  controlRuleQueryIds,
  type NewRuleFinding,
} from '../db/repositories/control-rules.repository.js';
import { controlRules } from '../rules/controls/index.js';
import type { ControlDefinition, RuleContext } from '../rules/engine/control-definition.js';
import { ControlRegistry } from '../rules/engine/registry.js';
import { findSubjects, type PlannedSubject, planFindingChanges } from '../rules/engine/run.js';
import { type AuditChange, recordAuditBatch } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** What a finding of a rule keeps in its source: the rule, the run that saw it last, and the evidence. */
function sourceOf(
  rule: ControlDefinition,
  controlId: string,
  subject: PlannedSubject,
  firstControlId: string | null,
) {
  return {
    rule: { id: rule.id, severity: rule.severity, sources: rule.sources.map((s) => s.reference) },
    firstControlId: firstControlId ?? controlId,
    lastControlId: controlId,
    evidence: subject.evidence,
  };
}

function toNewFinding(
  rule: ControlDefinition,
  controlId: string,
  subject: PlannedSubject,
  firstControlId: string | null,
): NewRuleFinding {
  return {
    subjectKey: subject.subjectKey,
    organisationId: subject.organisationId,
    certificationId: subject.certificationId,
    title: subject.title.slice(0, 300),
    description: subject.description,
    severity: subject.severity,
    source: sourceOf(rule, controlId, subject, firstControlId),
  };
}

/**
 * Runs the automated controls (src/rules/controls): each rule in its own transaction, recorded as a
 * control of kind `rule` (with what it read in the audit log), its findings deduplicated (one live
 * finding per rule and subject, refreshed when found again) and closed automatically when their
 * condition is gone; every opened, changed and resolved finding has its audit-log entry.
 */
export class ControlRunService {
  private readonly registry: ControlRegistry;

  constructor(
    private readonly ctx: ServiceContext,
    rules: readonly ControlDefinition[] = controlRules,
  ) {
    this.registry = new ControlRegistry(rules);
    const missing = this.registry.ids().filter((id) => !controlRuleQueryIds.includes(id));
    if (missing.length)
      throw new Error(`rules without a query in control-rules.repository: ${missing.join(', ')}`);
  }

  /** The rules, what they enforce, and each one's last run and live findings. */
  async catalogue(actor: Actor): Promise<ControlRuleCatalogue> {
    requireAccess(actor, 'control.read');
    const stats = await new ControlRulesRepository(this.ctx.db).ruleStatistics();
    const lastRun = new Map(stats.lastRuns.map((r) => [r.ruleId, r]));
    const open = new Map(stats.openFindings.map((r) => [r.ruleId, r.n]));
    return {
      items: this.registry.all().map((rule) => {
        const run = lastRun.get(rule.id);
        return {
          id: rule.id,
          title: rule.title,
          rationale: rule.rationale,
          sources: rule.sources.map((s) => ({ kind: s.kind, reference: s.reference })),
          severity: rule.severity,
          checks: rule.checks,
          parameters: { ...rule.parameters },
          lastRun: run
            ? { controlId: run.controlId, performedOn: run.performedOn, at: run.createdAt.toISOString() }
            : null,
          openFindings: open.get(rule.id) ?? 0,
        };
      }),
    };
  }

  /** Runs every rule, or the one named by `ruleId`. */
  async run(actor: Actor, input: unknown = {}): Promise<ControlRunSummary> {
    requireAccess(actor, 'control.manage');
    const { ruleId } = parseInput(controlRunInput, input);
    let rules = this.registry.all();
    if (ruleId) {
      const rule = this.registry.find(ruleId);
      if (!rule) throw validationFailed([{ field: 'ruleId', message: `unknown rule ${ruleId}` }]);
      rules = [rule];
    }
    const asOf = calendarDay(this.ctx.now());
    const summary: ControlRunSummary = { asOf, rules: [], findings: { opened: 0, updated: 0, resolved: 0 } };
    // What the rules read, counted once for the whole run (a count of a large table is a full scan).
    const tables = [...new Set(rules.flatMap((r) => r.reads))];
    const counts = await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ControlRulesRepository(trx);
      await repo.tuneTransaction();
      return repo.countRows(tables);
    });
    for (const rule of rules) {
      // Keyed by the table's name in camelCase: the audit log is read back through the CamelCasePlugin,
      // which renames nested keys too, and the chain must hash what it reads (`training_sessions` would
      // come back as `trainingSessions` and break the entry's hash).
      const dataset = Object.fromEntries(rule.reads.map((t) => [camelCase(t), counts[t] ?? 0]));
      const result = await this.runRule(actor, rule, asOf, dataset);
      summary.rules.push(result);
      summary.findings.opened += result.findings.opened;
      summary.findings.updated += result.findings.updated;
      summary.findings.resolved += result.findings.resolved;
    }
    return summary;
  }

  private runRule(
    actor: Actor,
    rule: ControlDefinition,
    asOf: string,
    dataset: Record<string, number>,
  ): Promise<ControlRuleRunSummary> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.now();
      const repo = new ControlRulesRepository(trx);
      await repo.tuneTransaction();
      const controlId = await new ControlRepository(trx).insert({
        kind: 'rule',
        ruleId: rule.id,
        title: `Contrôle automatique : ${rule.title.fr}`.slice(0, 300),
        status: 'done',
        plannedOn: asOf,
        performedOn: asOf,
        performedBy: actorId(actor),
      });
      const context: RuleContext = { asOf, parameters: rule.parameters };
      const subjects = await findSubjects(rule, repo, context);
      const open = await repo.openFindingsOf(rule.id);
      const plan = planFindingChanges(open, subjects);

      const openedIds = await repo.insertFindings(
        rule.id,
        controlId,
        now,
        plan.open.map((s) => toNewFinding(rule, controlId, s, null)),
      );
      const firstRuns = new Map(open.map((f) => [f.id, f.firstControlId]));
      await repo.refreshFindings(
        controlId,
        plan.refresh.map(({ finding, subject }) => ({
          id: finding.id,
          ...toNewFinding(rule, controlId, subject, firstRuns.get(finding.id) ?? null),
        })),
      );
      await repo.resolveFindings(
        plan.resolve.map((f) => f.id),
        controlId,
        now,
      );

      const findings = {
        opened: plan.open.length,
        updated: plan.refresh.length,
        resolved: plan.resolve.length,
      };
      // One lock of the audit chain and multi-row inserts for the whole rule: the run, then each finding
      // opened, changed or resolved, chained in that order.
      const changes: AuditChange[] = [
        {
          action: 'control.run',
          entityType: 'control',
          entityId: controlId,
          after: {
            ruleId: rule.id,
            asOf,
            parameters: rule.parameters,
            dataset,
            subjects: subjects.length,
            findings,
          },
        },
      ];
      for (const s of plan.open)
        changes.push({
          action: 'finding.open',
          entityType: 'finding',
          entityId: openedIds.get(s.subjectKey) ?? null,
          after: {
            ruleId: rule.id,
            subjectKey: s.subjectKey,
            controlId,
            severity: s.severity,
            title: s.title,
          },
        });
      for (const { finding, subject, changed } of plan.refresh) {
        if (!changed) continue;
        changes.push({
          action: 'finding.refresh',
          entityType: 'finding',
          entityId: finding.id,
          before: { title: finding.title, description: finding.description, severity: finding.severity },
          after: {
            title: subject.title,
            description: subject.description,
            severity: finding.status === 'open' ? subject.severity : finding.severity,
            controlId,
          },
        });
      }
      for (const f of plan.resolve)
        changes.push({
          action: 'finding.resolve',
          entityType: 'finding',
          entityId: f.id,
          before: { status: f.status },
          after: { status: 'closed', controlId, reason: 'condition no longer found by the rule' },
        });
      await recordAuditBatch(trx, actor, changes, this.ctx.now);
      return {
        id: rule.id,
        title: rule.title.fr,
        source: rule.sources.map((s) => s.reference).join(' ; '),
        severity: rule.severity,
        controlId,
        subjects: subjects.length,
        findings,
      };
    });
  }
}
