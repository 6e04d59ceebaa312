import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CertificationView } from '../../../core/certifications/certification.schema.js';
import { certifications } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';

const labelOf = (c: Pick<CertificationView, 'code' | 'title'>) => `${c.code} — ${c.title}`;

/** Picks one certification, searched on the server by code or title. */
export function CertificationPicker({
  label,
  placeholder,
  value,
  onChange,
  error,
  required,
  activeOnly,
  w,
}: {
  label: string;
  placeholder?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
  required?: boolean;
  activeOnly?: boolean;
  w?: number;
}) {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<CertificationView | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const q = selected && debounced === labelOf(selected) ? undefined : debounced || undefined;
  const query = { q, limit: 30, ...(activeOnly ? { active: 'true' as const } : {}) };
  const results = useQuery({
    queryKey: ['certifications', 'pick', query],
    queryFn: () => call(certifications.listCertifications, { query }),
    placeholderData: keepPreviousData,
  });
  // A value given from outside (the address, an edit) is shown by its label once known.
  const current = useQuery({
    queryKey: ['certifications', 'one', value],
    queryFn: () => call(certifications.getCertification, { params: { id: value ?? '' } }),
    enabled: value !== null && selected?.id !== value && !results.data?.items.some((c) => c.id === value),
    staleTime: 5 * 60_000,
  });
  const items = results.data?.items ?? [];
  const extra = [selected, current.data].filter(
    (c): c is CertificationView =>
      c !== null && c !== undefined && c.id === value && !items.some((i) => i.id === c.id),
  );
  const options = [...extra.slice(0, 1), ...items];
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      required={required}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options.map((c) => ({ value: c.id, label: labelOf(c) }))}
      value={value}
      onChange={(id) => {
        setSelected(options.find((c) => c.id === id) ?? null);
        onChange(id);
      }}
      error={error}
      nothingFoundMessage="—"
      clearable
      w={w}
      style={w ? undefined : { flex: 1, minWidth: 260 }}
    />
  );
}

/** Picks several active certifications (a certifier has a few hundred at most: one request lists them). */
export function CertificationMultiPicker({
  label,
  placeholder,
  value,
  onChange,
  error,
  required,
}: {
  label: string;
  placeholder?: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  required?: boolean;
}) {
  const query = { active: 'true' as const, limit: 200 };
  const list = useQuery({
    queryKey: ['certifications', 'pick-many', query],
    queryFn: () => call(certifications.listCertifications, { query }),
  });
  return (
    <MultiSelect
      label={label}
      placeholder={value.length ? undefined : placeholder}
      searchable
      required={required}
      data={(list.data?.items ?? []).map((c) => ({ value: c.id, label: labelOf(c) }))}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage="—"
      clearable
    />
  );
}
