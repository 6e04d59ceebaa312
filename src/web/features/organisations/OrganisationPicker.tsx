import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { organisations } from '../../../core/contracts/index.js';
import type { OrganisationView } from '../../../core/organisations/organisation.schema.js';
import { call } from '../../api/client.js';
import { formatSiret } from '../../i18n/format.js';

const labelOf = (o: OrganisationView) => `${o.legalName} · ${formatSiret(o.siret)}`;

/** Picks one organisation, searched on the server (name, SIRET, city) so it scales to a large network. */
export function OrganisationPicker({
  label,
  placeholder,
  value,
  onChange,
  error,
  required,
}: {
  label: string;
  placeholder?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
  required?: boolean;
}) {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<OrganisationView | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const q = selected && debounced === labelOf(selected) ? undefined : debounced || undefined;
  const results = useQuery({
    queryKey: ['organisations', 'pick', q],
    queryFn: () => call(organisations.listOrganisations, { query: { q, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
  const items = results.data?.items ?? [];
  // A value given from outside (the address, an edit) is shown by its label once known.
  const current = useQuery({
    queryKey: ['organisations', 'one', value],
    queryFn: () => call(organisations.getOrganisation, { params: { id: value ?? '' } }),
    enabled: value !== null && selected?.id !== value && !items.some((o) => o.id === value),
    staleTime: 5 * 60_000,
  });
  const known = selected ?? (current.data?.id === value ? current.data : null);
  const options = [...(known && !items.some((o) => o.id === known.id) ? [known] : []), ...items];
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      required={required}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered; the labels (with spaced SIRETs) must not be filtered again.
      filter={({ options: all }) => all}
      data={options.map((o) => ({ value: o.id, label: labelOf(o) }))}
      value={value}
      onChange={(id) => {
        setSelected(options.find((o) => o.id === id) ?? null);
        onChange(id);
      }}
      error={error}
      nothingFoundMessage="—"
      clearable
    />
  );
}
