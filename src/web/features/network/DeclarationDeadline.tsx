import { Badge, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { declarations } from '../../../core/contracts/index.js';
import type { DeclarationChangeView } from '../../../core/declarations/declaration.schema.js';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { formatDate } from '../../i18n/format.js';

const statusColors = { declared: 'teal', overdue: 'red', due_soon: 'orange', pending: 'blue' } as const;

/**
 * The changes of one habilitation to declare to France Compétences (décret 2025-500: within two months of
 * each change), by decision id. Empty for a role that does not follow declarations.
 */
export function useDeclarationChanges(habilitation: {
  id: string;
  organisationId: string;
  certificationId: string;
}): Map<string, DeclarationChangeView> {
  const { can } = useSession();
  const query = {
    organisationId: habilitation.organisationId,
    certificationId: habilitation.certificationId,
    limit: 200,
  };
  const changes = useQuery({
    queryKey: ['declarations', 'changes', query],
    queryFn: () => call(declarations.listDeclarationChanges, { query }),
    enabled: can('declaration.read'),
  });
  return new Map(
    (changes.data?.items ?? [])
      .filter((c) => c.habilitationId === habilitation.id)
      .map((c) => [c.changeId.replace(/^decision:/, ''), c]),
  );
}

/** "À déclarer avant le 23/01/2027" (coloured by how close), or "Déclaré à France Compétences le …". */
export function DeclarationDeadline({ change }: { change: DeclarationChangeView }) {
  const { t, i18n } = useTranslation();
  const label =
    change.status === 'declared' && change.declaredOn
      ? t('networkList.declaration.declared', { date: formatDate(change.declaredOn, i18n.language) })
      : t('networkList.declaration.dueOn', { date: formatDate(change.dueOn, i18n.language) });
  return (
    <Tooltip label={t(`networkList.declaration.hint.${change.status}`, { count: Math.abs(change.daysLeft) })}>
      <Badge color={statusColors[change.status]} variant="light" radius="sm" tt="none">
        {label}
      </Badge>
    </Tooltip>
  );
}
