import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { QualiopiStatus } from '../../../core/organisations/organisation.schema.js';

const colors: Record<QualiopiStatus, string> = {
  certified: 'teal',
  not_certified: 'red',
  lapsed: 'orange',
  unknown: 'gray',
};

export function QualiopiBadge({
  status,
  size = 'sm',
}: {
  status: QualiopiStatus;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Badge color={colors[status]} variant="light" size={size} radius="sm">
      {t(`organisations.qualiopi.${status}`)}
    </Badge>
  );
}
