import { Alert, Badge, Group, List, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { certificates } from '../../../core/contracts/index.js';
import { call, isApiError } from '../../api/client.js';
import { AuthFrame } from '../../components/AuthFrame.js';
import { formatDate } from '../../i18n/format.js';
import { verifyTextsFor } from './verify-texts.js';

/**
 * The public page a printed certificate points to (`/verify/:code`), no sign-in: it shows what the API
 * reveals to anyone holding the code — number, valid or revoked, certification, date, the holder's initials
 * (the full name when the holder agreed to it).
 */
export function VerifyPage() {
  const { code = '' } = useParams();
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'fr';
  const t = verifyTextsFor(language);
  const check = useQuery({
    queryKey: ['certificate-verification', code],
    queryFn: () => call(certificates.verifyCertificate, { params: { code } }),
    retry: false,
  });

  return (
    <AuthFrame title={t.title} intro={t.intro}>
      {check.isPending && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t.loading}</Text>
        </Group>
      )}
      {check.isError && (
        <Alert
          color={isApiError(check.error) && check.error.code === 'not_found' ? 'orange' : 'red'}
          role="alert"
        >
          {isApiError(check.error) && ['not_found', 'validation_failed'].includes(check.error.code)
            ? t.notFound
            : t.failed}
        </Alert>
      )}
      {check.data && (
        <Stack gap="md">
          <Badge
            size="lg"
            color={check.data.status === 'valid' ? 'green' : 'red'}
            data-testid="verification-status"
          >
            {check.data.status === 'valid' ? t.valid : t.revoked}
          </Badge>
          {check.data.status === 'revoked' && (
            <Alert color="red" role="alert">
              {t.revokedText}
            </Alert>
          )}
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t.number}</Table.Th>
                <Table.Td>{check.data.number}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t.holder}</Table.Th>
                <Table.Td>{check.data.holderName}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t.certification}</Table.Th>
                <Table.Td>
                  {check.data.certificationTitle} ({check.data.certificationCode})
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t.issuedOn}</Table.Th>
                <Table.Td>{formatDate(check.data.issuedOn, language)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {check.data.skillBlocks.length > 0 && (
            <Stack gap={4}>
              <Text fw={600}>{t.blocks}</Text>
              <List size="sm">
                {check.data.skillBlocks.map((b) => (
                  <List.Item key={b.code}>
                    {b.code} — {b.title}
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
          <Text size="xs" c="dimmed">
            {t.code} : {code}
          </Text>
        </Stack>
      )}
    </AuthFrame>
  );
}
