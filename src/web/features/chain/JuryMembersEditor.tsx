import { ActionIcon, Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { juryMemberRoles } from '../../../core/juries/jury.schema.js';
import { IconPlus } from '../../components/icons.js';
import type { FieldErrors } from '../../forms/field-errors.js';

export interface MemberValues {
  /** Identifies the row while it is edited; not sent. */
  key: string;
  fullName: string;
  role: (typeof juryMemberRoles)[number];
  hasConflictOfInterest: boolean;
  conflictNote: string;
  /** Kept as they were when an existing member is edited (the form does not show them). */
  userId?: string | null;
  organisationId?: string | null;
}

let rows = 0;

export const newMember = (role: MemberValues['role'] = 'member'): MemberValues => ({
  key: `member-${++rows}`,
  fullName: '',
  role,
  hasConflictOfInterest: false,
  conflictNote: '',
});

/** A member of a jury as the form edits it. */
export const memberValuesOf = (
  m: Omit<MemberValues, 'key' | 'conflictNote'> & { conflictNote: string | null },
) => ({
  key: `member-${++rows}`,
  fullName: m.fullName,
  role: m.role,
  hasConflictOfInterest: m.hasConflictOfInterest,
  conflictNote: m.conflictNote ?? '',
  userId: m.userId ?? null,
  organisationId: m.organisationId ?? null,
});

export const toMemberInput = (m: MemberValues) => ({
  fullName: m.fullName,
  role: m.role,
  hasConflictOfInterest: m.hasConflictOfInterest,
  conflictNote: m.hasConflictOfInterest ? m.conflictNote.trim() || null : null,
  ...(m.userId ? { userId: m.userId } : {}),
  ...(m.organisationId ? { organisationId: m.organisationId } : {}),
});

/** The members of a jury, each with a role and a conflict-of-interest declaration. Errors come as members/i/field. */
export function JuryMembersEditor({
  members,
  onChange,
  errors,
  prefix = 'members',
}: {
  members: MemberValues[];
  onChange: (members: MemberValues[]) => void;
  errors: FieldErrors;
  prefix?: string;
}) {
  const { t } = useTranslation();
  const set = (i: number, change: Partial<MemberValues>) =>
    onChange(members.map((m, j) => (j === i ? { ...m, ...change } : m)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('chain.jury.members')}
      </Text>
      {members.map((m, i) => (
        <Stack key={m.key} gap={4}>
          <Group align="flex-start" wrap="wrap">
            <TextInput
              aria-label={t('chain.jury.memberName')}
              placeholder={t('chain.jury.memberName')}
              value={m.fullName}
              onChange={(e) => set(i, { fullName: e.currentTarget.value })}
              error={errors[`${prefix}/${i}/fullName`]}
              w={240}
            />
            <Select
              aria-label={t('chain.jury.memberRole')}
              data={juryMemberRoles.map((r) => ({ value: r, label: t(`chain.memberRole.${r}`) }))}
              value={m.role}
              onChange={(v) => v && set(i, { role: v as MemberValues['role'] })}
              error={errors[`${prefix}/${i}/role`]}
              allowDeselect={false}
              w={230}
            />
            <Checkbox
              mt={8}
              label={t('chain.jury.conflict')}
              checked={m.hasConflictOfInterest}
              onChange={(e) => set(i, { hasConflictOfInterest: e.currentTarget.checked })}
            />
            <ActionIcon
              mt={4}
              variant="subtle"
              color="red"
              aria-label={t('chain.jury.removeMember')}
              onClick={() => onChange(members.filter((_, j) => j !== i))}
            >
              ×
            </ActionIcon>
          </Group>
          {m.hasConflictOfInterest && (
            <TextInput
              placeholder={t('chain.jury.conflictNote')}
              aria-label={t('chain.jury.conflictNote')}
              value={m.conflictNote}
              onChange={(e) => set(i, { conflictNote: e.currentTarget.value })}
              error={errors[`${prefix}/${i}/conflictNote`]}
              maw={720}
            />
          )}
        </Stack>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...members, newMember()])}
        >
          {t('chain.jury.addMember')}
        </Button>
      </Group>
    </Stack>
  );
}
