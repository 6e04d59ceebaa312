import { Button, Group, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useSession } from '../../app/session.js';
import { IconPlus } from '../../components/icons.js';
import { PageHeader } from '../../components/PageHeader.js';

export type RegistrySection = 'fiches' | 'imports' | 'findings';

const paths: Record<RegistrySection, string> = {
  fiches: '/registry',
  imports: '/registry/imports',
  findings: '/registry/findings',
};

/** The registry's header and its three sections (fiches, imports, declaration gaps) as tabs. */
export function RegistryHeader({ section, subtitle }: { section: RegistrySection; subtitle?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  return (
    <>
      <PageHeader
        title={t('registry.title')}
        subtitle={subtitle ?? t('registry.subtitle')}
        actions={
          can('certification.manage') && (
            <Group>
              <Button component={Link} to="/registry/import" leftSection={<IconPlus size={16} />}>
                {t('registry.importAction')}
              </Button>
            </Group>
          )
        }
      />
      <Tabs
        value={section}
        onChange={(value) => value && navigate(paths[value as RegistrySection])}
        mb="md"
        aria-label={t('registry.tabs.label')}
      >
        <Tabs.List>
          {(Object.keys(paths) as RegistrySection[]).map((key) => (
            <Tabs.Tab key={key} value={key}>
              {t(`registry.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
    </>
  );
}
