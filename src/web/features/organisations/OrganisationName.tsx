import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { organisations } from '../../../core/contracts/index.js';
import { call } from '../../api/client.js';

/** An organisation's name from its id (cached: the same organisation is fetched once). */
export function OrganisationName({ id }: { id: string }) {
  const organisation = useQuery({
    queryKey: ['organisations', 'one', id],
    queryFn: () => call(organisations.getOrganisation, { params: { id } }),
    staleTime: 5 * 60_000,
  });
  if (!organisation.data) {
    return (
      <Text size="sm" c="dimmed" ff="monospace">
        {id.slice(0, 8)}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={`/organisations/${id}`} size="sm">
      {organisation.data.legalName}
    </Anchor>
  );
}
