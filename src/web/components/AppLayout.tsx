import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { type NavGroup, type NavItem, type NavKey, visibleNavigation } from '../app/navigation.js';
import { useSession, useSignedIn } from '../app/session.js';
import {
  IconAlert,
  IconArchiveLock,
  IconAward,
  IconCalendarUsers,
  IconCertificate,
  IconChart,
  IconChevronDown,
  IconClipboardCheck,
  IconContract,
  IconDashboard,
  IconFileSend,
  IconInbox,
  IconLink,
  IconLogout,
  IconMegaphone,
  IconNetwork,
  IconRegistry,
  IconShieldCheck,
  IconTools,
  IconUsers,
  LogoMark,
} from './icons.js';
import { LanguageSwitch } from './LanguageSwitch.js';

const icons: Record<NavKey, ComponentType<{ size?: number }>> = {
  dashboard: IconDashboard,
  certifications: IconCertificate,
  registry: IconRegistry,
  organisations: IconNetwork,
  habilitations: IconShieldCheck,
  conventions: IconContract,
  declarations: IconFileSend,
  requests: IconInbox,
  sessions: IconCalendarUsers,
  juries: IconAward,
  certificates: IconCertificate,
  accrochage: IconLink,
  controls: IconClipboardCheck,
  controlPlan: IconTools,
  findings: IconAlert,
  communication: IconMegaphone,
  evidence: IconArchiveLock,
  reports: IconChart,
  admin: IconUsers,
};

const groups: NavGroup[] = ['network', 'certification', 'quality', 'steering'];

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');

function isActive(item: NavItem, pathname: string) {
  return item.path === '/'
    ? pathname === '/'
    : pathname === item.path || pathname.startsWith(`${item.path}/`);
}

function UserMenu() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const handleSignOut = async () => {
    try {
      await signOut();
    } finally {
      navigate('/login', { replace: true });
      notifications.show({ message: t('header.signedOut'), color: 'gray' });
    }
  };
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={session.user.displayName} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={34}>
              {initialsOf(session.user.displayName)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm">
              <Text size="sm" fw={600} lh={1.2}>
                {session.user.displayName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {t(`roles.${session.user.role}`)}
              </Text>
            </Stack>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session.user.email}</Menu.Label>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void handleSignOut()}>
          {t('header.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The signed-in frame: header (brand, language, user menu) and the navigation of the product's areas,
 * limited to what the role may open. Areas not built yet carry a "soon" badge and open an honest page.
 */
export function AppLayout() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const items = visibleNavigation(session.permissions);
  const isPartner = session.user.role === 'partner';

  const link = (item: NavItem) => {
    const Icon = icons[item.key];
    const label = item.key === 'organisations' && isPartner ? t('nav.myOrganisation') : t(`nav.${item.key}`);
    return (
      <NavLink
        key={item.key}
        component={Link}
        to={item.path}
        label={label}
        active={isActive(item, pathname)}
        leftSection={<Icon size={18} />}
        py={7}
        styles={{ label: { fontSize: 'var(--mantine-font-size-sm)', lineHeight: 1.3 } }}
        rightSection={
          item.planned ? (
            <Badge size="xs" variant="light" color="gray" radius="sm" fw={600} style={{ flexShrink: 0 }}>
              {t('nav.soon')}
            </Badge>
          ) : undefined
        }
        onClick={close}
        variant="light"
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      />
    );
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 300, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="xl"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('header.openNavigation')}
            />
            <UnstyledButton component={Link} to="/" aria-label={t('app.name')}>
              <Group gap={10} wrap="nowrap">
                <LogoMark />
                <Stack gap={0}>
                  <Text fw={700} size="lg" lh={1.1}>
                    {t('app.name')}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.1} visibleFrom="md">
                    {t('app.tagline')}
                  </Text>
                </Stack>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="lg" wrap="nowrap">
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label={t('nav.label')}>
            <Stack gap={2}>
              {items.filter((i) => i.group === null).map(link)}
              {groups.map((group) => {
                const inGroup = items.filter((i) => i.group === group);
                if (inGroup.length === 0) return null;
                return (
                  <Stack gap={2} key={group} mt="sm">
                    <Text
                      size="xs"
                      fw={700}
                      c="dimmed"
                      tt="uppercase"
                      px="sm"
                      mb={4}
                      style={{ letterSpacing: 0.6 }}
                    >
                      {t(`nav.groups.${group}`)}
                    </Text>
                    {inGroup.map(link)}
                  </Stack>
                );
              })}
            </Stack>
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
