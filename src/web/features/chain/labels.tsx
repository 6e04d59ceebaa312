import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AssessmentSessionStatus } from '../../../core/chain/assessment.schema.js';
import type { DeliberationDecision, JuryStatus } from '../../../core/juries/jury.schema.js';

const assessmentColors: Record<AssessmentSessionStatus, string> = {
  planned: 'blue',
  held: 'teal',
  cancelled: 'gray',
};

export function AssessmentStatusBadge({ status }: { status: AssessmentSessionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={assessmentColors[status]} variant="light" radius="sm">
      {t(`chain.assessmentStatus.${status}`)}
    </Badge>
  );
}

const juryColors: Record<JuryStatus, string> = { planned: 'blue', deliberated: 'orange', signed: 'teal' };

export function JuryStatusBadge({ status }: { status: JuryStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={juryColors[status]} variant="light" radius="sm">
      {t(`chain.juryStatus.${status}`)}
    </Badge>
  );
}

const decisionColors: Record<DeliberationDecision, string> = {
  certified: 'teal',
  certified_by_blocks: 'cyan',
  failed: 'red',
  postponed: 'orange',
};

export function DecisionBadge({ decision }: { decision: DeliberationDecision }) {
  const { t } = useTranslation();
  return (
    <Badge color={decisionColors[decision]} variant="light" radius="sm">
      {t(`chain.decision.${decision}`)}
    </Badge>
  );
}

const resultColors = { passed: 'teal', failed: 'red', absent: 'gray' } as const;

export function ResultBadge({ decision }: { decision: keyof typeof resultColors }) {
  const { t } = useTranslation();
  return (
    <Badge color={resultColors[decision]} variant="light" radius="sm" size="sm">
      {t(`chain.result.${decision}`)}
    </Badge>
  );
}
