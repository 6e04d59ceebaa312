import { Badge, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConventionStatus } from '../../../core/conventions/convention.js';
import type { HabilitationStatus } from '../../../core/habilitations/lifecycle.js';
import { formatDate } from '../../i18n/format.js';
import { habilitationStatusColors } from '../habilitations/habilitation-labels.js';
import { parseTypedDate } from '../organisations/organisation-form.js';

/** A labelled value of a detail card; an empty value shows a dash. */
export function InfoItem({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation();
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      {empty ? (
        <Text c="dimmed">{t('common.none')}</Text>
      ) : typeof children === 'string' ? (
        <Text>{children}</Text>
      ) : (
        children
      )}
    </Stack>
  );
}

/** "1 janv. 2026 → 31 déc. 2027", or "à partir du 1 janv. 2026" when open-ended. */
export function formatPeriod(
  startsOn: string,
  endsOn: string | null,
  t: TFunction<'translation'>,
  language: string,
): string {
  const start = formatDate(startsOn, language);
  return endsOn
    ? t('habilitations.period', { start, end: formatDate(endsOn, language) })
    : t('habilitations.periodFrom', { start });
}

export function HabilitationStatusBadge({
  status,
  size = 'sm',
}: {
  status: HabilitationStatus;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Badge color={habilitationStatusColors[status]} variant="light" size={size} radius="sm">
      {t(`habilitations.status.${status}`)}
    </Badge>
  );
}

const conventionColors: Record<ConventionStatus, string> = {
  draft: 'gray',
  sent: 'blue',
  signed: 'teal',
  expired: 'orange',
  terminated: 'red',
};

export function ConventionStatusBadge({
  status,
  size = 'sm',
}: {
  status: ConventionStatus;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Badge color={conventionColors[status]} variant="light" size={size} radius="sm">
      {t(`conventions.status.${status}`)}
    </Badge>
  );
}

/** A calendar day typed the French way (JJ/MM/AAAA) or picked; the value is an ISO date. */
export function DateField({
  label,
  value,
  onChange,
  error,
  description,
  required,
  clearable,
  name,
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  description?: string | undefined;
  required?: boolean;
  clearable?: boolean;
  name?: string;
}) {
  const { t } = useTranslation();
  return (
    <DateInput
      label={label}
      name={name}
      description={description}
      placeholder={t('organisations.form.datePlaceholder')}
      valueFormat="DD/MM/YYYY"
      dateParser={parseTypedDate}
      value={value}
      onChange={onChange}
      clearable={clearable}
      required={required}
      error={error}
    />
  );
}

/** Today in the certifier's time zone, as an ISO date (the server decides "on the day" the same way). */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}
