import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roles } from '../access/policy.js';
import { accessRoutes } from '../candidates/candidate.schema.js';
import { accrochageStatuses } from '../certificates/certificate.schema.js';
import { assessmentDecisions, assessmentSessionStatuses } from '../chain/assessment.schema.js';
import { fundings, modalities } from '../chain/training-session.schema.js';
import { accrochageDeadlineStates } from '../contracts/accrochage.js';
import { controlPlanEntryView } from '../contracts/control-plans.js';
import { controlKinds, controlStatuses } from '../controls/control.schema.js';
import { planDepths } from '../controls/plan.js';
import { conventionStatuses } from '../conventions/convention.js';
import { cpfOfferVerdicts } from '../cpf-offers/communication.js';
import { cpfOfferModalities } from '../cpf-offers/cpf-offer.schema.js';
import { severities } from '../findings/finding.schema.js';
import { correctiveActionStatuses, findingStatuses } from '../findings/finding-status.js';
import { habilitationScopes } from '../habilitations/habilitation.js';
import { habilitationStatuses } from '../habilitations/lifecycle.js';
import { invitationStates } from '../invitations/invitation.schema.js';
import { deliberationDecisions, juryMemberRoles, juryStatuses } from '../juries/jury.schema.js';
import { organisationDirectory } from '../organisations/directory.schema.js';
import { requestDisplayStatuses, requestKinds } from '../partner-requests/partner-request.schema.js';
import { reconciliationRules } from '../registry/reconcile.js';
import { ficheChangeKinds, importRunStatuses } from '../registry/registry.schema.js';
import { riskLevels } from '../risk/risk-score.js';
import { sanctionLevels, sanctionStatuses } from '../sanctions/sanction.schema.js';
import { type CodeLabelTable, codeLabel, codeLabels, labelLanguages, yesNoLabel } from './code-labels.js';

/**
 * The audit-log actions the code writes: the `entity.verb` literals on the audit lines (`action: '…'`, the
 * audit helpers' arguments) of every source file that writes audit entries. Audit actions are plain strings
 * (no enum), so this scan is what makes a new action without a label fail here.
 */
function auditActionsInSource(): string[] {
  const root = join(import.meta.dirname, '../..');
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(join(root, f), 'utf8'))
    .filter(
      (text) => /recordAudit|AuditChange/.test(text) && !text.includes('export async function recordAudit'),
    );
  const actions = new Set<string>();
  for (const text of files)
    for (const line of text.split('\n')) {
      if (!/action|audit|insertInvitation\(/i.test(line) || /requireAccess|can\(|import |from '/.test(line))
        continue;
      for (const m of line.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) if (m[1]) actions.add(m[1]);
    }
  return [...actions];
}

/**
 * The kinds of a directory line: one per list of the organisation's directory (`contacts` → `contact`), so
 * that a new kind of entry added to the directory needs its label.
 */
const directoryEntryKinds = Object.keys(organisationDirectory.shape).map((list) => list.replace(/s$/, ''));

/**
 * Every table against the domain's own list of codes, taken from where the domain defines it (enums,
 * contracts, the audit writers): a code added later without a label fails here, and so does a label left
 * for a code that no longer exists.
 */
const domain: Record<Exclude<CodeLabelTable, 'yesNo'>, readonly string[]> = {
  modality: modalities,
  funding: fundings,
  accessRoute: accessRoutes,
  assessmentStatus: assessmentSessionStatuses,
  juryStatus: juryStatuses,
  decision: deliberationDecisions,
  result: assessmentDecisions,
  accrochageStatus: accrochageStatuses,
  habilitationStatus: habilitationStatuses,
  scope: habilitationScopes,
  conventionStatus: conventionStatuses,
  controlKind: controlKinds,
  controlStatus: controlStatuses,
  severity: severities,
  findingStatus: findingStatuses,
  actionStatus: correctiveActionStatuses,
  sanctionLevel: sanctionLevels,
  sanctionStatus: sanctionStatuses,
  requestStatus: requestDisplayStatuses,
  requestKind: requestKinds,
  cpfVerdict: cpfOfferVerdicts,
  cpfOfferModality: cpfOfferModalities,
  registryRunStatus: importRunStatuses,
  reconciliationRule: reconciliationRules.map((r) => r.replace(/^registry\./, '')),
  role: roles,
  // No list of user states exists to import: the export computes the state from three account flags.
  userState: ['invited', 'active', 'inactive', 'locked'],
  deadlineState: accrochageDeadlineStates,
  planDepth: planDepths,
  planEntryOrigin: controlPlanEntryView.shape.origin.options,
  directoryEntryKind: directoryEntryKinds,
  invitationState: invitationStates,
  ficheChangeKind: ficheChangeKinds,
  riskLevel: riskLevels,
  auditAction: auditActionsInSource(),
  juryMemberRole: juryMemberRoles,
};

describe('code labels', () => {
  it('label every code of the domain, in both languages, with no stray key', () => {
    for (const language of labelLanguages)
      for (const [table, codes] of Object.entries(domain)) {
        const labels = codeLabels[language][table as CodeLabelTable] as Record<string, string>;
        expect(Object.keys(labels).sort(), `${language}.${table}`).toEqual([...codes].sort());
        for (const code of codes) expect(labels[code], `${language}.${table}.${code}`).toBeTruthy();
      }
  });

  it('label every audit action the code writes, in French and English', () => {
    const written = auditActionsInSource();
    // The scan must see the writers (a moved file would otherwise pass with nothing to check).
    expect(written.length).toBeGreaterThan(50);
    for (const action of written)
      for (const language of labelLanguages)
        expect(
          (codeLabels[language].auditAction as Record<string, string>)[action],
          `${language}.auditAction.${action}`,
        ).toBeTruthy();
    expect(codeLabel('fr', 'auditAction', 'organisation.create')).toBe('Création d’organisme');
    expect(codeLabel('en', 'auditAction', 'control_plan.commit')).toBe('Control plan committed');
  });

  it('gives the label in the asked language, the code when unknown, a dash for none', () => {
    expect(codeLabel('fr', 'decision', 'certified_by_blocks')).toBe('Certifié par blocs');
    expect(codeLabel('en', 'decision', 'certified_by_blocks')).toBe('Certified by blocks');
    expect(codeLabel('fr', 'reconciliationRule', 'registry.not_declared')).toBe(
      'Habilité dans Habilis mais non déclaré',
    );
    expect(codeLabel('fr', 'modality', 'telepathy')).toBe('telepathy');
    expect(codeLabel('en', 'funding', null)).toBe('—');
    expect(yesNoLabel('fr', true)).toBe('Oui');
    expect(yesNoLabel('en', false)).toBe('No');
    expect(yesNoLabel('en', null)).toBeNull();
  });
});
