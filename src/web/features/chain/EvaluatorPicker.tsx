import { MultiSelect } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { users } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';

/**
 * The evaluators of an assessment session: active users with the evaluator role. Used where a session is
 * declared and where its evaluators are changed; only shown to who may list users (certifier staff).
 * An evaluator already chosen who is no longer active stays listed, so it can be removed.
 */
export function EvaluatorPicker({
  value,
  onChange,
  error,
  current = [],
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  /** The evaluators the session has, shown even when their account was deactivated since. */
  current?: readonly { userId: string; displayName: string }[];
}) {
  const { t } = useTranslation();
  const evaluators = useQuery({
    queryKey: ['users', 'evaluators'],
    queryFn: () => call(users.listUsers, { query: { limit: 200 } }),
  });
  const active = (evaluators.data?.items ?? [])
    .filter((u) => u.role === 'evaluator' && u.isActive)
    .map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` }));
  const kept = current
    .filter((c) => !active.some((a) => a.value === c.userId))
    .map((c) => ({ value: c.userId, label: c.displayName }));
  return (
    <MultiSelect
      label={t('chain.assessment.evaluators')}
      description={t('chain.assessment.evaluatorsHelp')}
      data={[...active, ...kept]}
      value={value}
      onChange={onChange}
      error={error}
      searchable
      data-testid="evaluators"
    />
  );
}
