import { Alert, Badge, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckpointResult } from '../../../core/controls/checklist.schema.js';
import type { ControlStatus } from '../../../core/controls/control.schema.js';
import type { Severity } from '../../../core/findings/finding.schema.js';
import type { FindingStatus } from '../../../core/findings/finding-status.js';
import type { SanctionLevel, SanctionStatus } from '../../../core/sanctions/sanction.schema.js';
import { isApiError } from '../../api/client.js';
import { errorMessage } from '../../components/feedback.js';
import { IconAlert } from '../../components/icons.js';

export const severityColors: Record<Severity, string> = { minor: 'yellow', major: 'orange', critical: 'red' };

const findingStatusColors: Record<FindingStatus, string> = {
  open: 'blue',
  qualified: 'indigo',
  action_requested: 'grape',
  action_submitted: 'cyan',
  verified: 'teal',
  closed: 'gray',
  escalated: 'red',
};

const controlStatusColors: Record<ControlStatus, string> = {
  planned: 'blue',
  in_progress: 'grape',
  done: 'teal',
  cancelled: 'gray',
};

export const resultColors: Record<CheckpointResult, string> = {
  conform: 'teal',
  minor: 'yellow',
  major: 'red',
  not_applicable: 'gray',
};

const levelColors: Record<SanctionLevel, string> = {
  observation: 'blue',
  warning: 'yellow',
  reinforced_watch: 'orange',
  suspension: 'red',
  withdrawal: 'dark',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <Badge color={severityColors[severity]} variant="light" radius="sm">
      {t(`quality.severity.${severity}`)}
    </Badge>
  );
}

export function FindingStatusBadge({ status }: { status: FindingStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={findingStatusColors[status]} variant="light" radius="sm">
      {t(`quality.findingStatus.${status}`)}
    </Badge>
  );
}

export function ControlStatusBadge({ status }: { status: ControlStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={controlStatusColors[status]} variant="light" radius="sm">
      {t(`quality.controlStatus.${status}`)}
    </Badge>
  );
}

export function SanctionLevelBadge({ level }: { level: SanctionLevel }) {
  const { t } = useTranslation();
  return (
    <Badge color={levelColors[level]} variant="light" radius="sm">
      {t(`quality.levels.${level}`)}
    </Badge>
  );
}

export function SanctionStatusBadge({ status }: { status: SanctionStatus }) {
  const { t } = useTranslation();
  const color = status === 'final' ? 'dark' : status === 'notified' ? 'orange' : 'gray';
  return (
    <Badge color={color} variant="outline" radius="sm">
      {t(`quality.sanctionStatus.${status}`)}
    </Badge>
  );
}

/**
 * A refused step: the UI's sentence for the error code, then the server's own explanation (which names the
 * rule that refused it, e.g. the statuses a finding may go to) and the fields concerned.
 */
export function StepError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const detail = isApiError(error) ? error.detail : null;
  const fields = isApiError(error) ? error.fields : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} role="alert" title={errorMessage(error, t)}>
      <Stack gap={2}>
        {detail && fields.length === 0 && <Text size="sm">{detail}</Text>}
        {fields.map((f) => (
          <Text size="sm" key={`${f.field}-${f.message}`}>
            {f.field} : {f.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** Whole days from one ISO day to another. */
export const daysFrom = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
