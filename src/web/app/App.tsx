import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import 'dayjs/locale/fr';
import 'dayjs/locale/en-gb';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import type { Action } from '../../core/access/policy.js';
import { isApiError } from '../api/client.js';
import { AppLayout } from '../components/AppLayout.js';
import { AuditLogPage } from '../features/audit/AuditLogPage.js';
import { CertificationDetailPage } from '../features/certifications/CertificationDetailPage.js';
import { CertificationListPage } from '../features/certifications/CertificationListPage.js';
import { chainRoutes } from '../features/chain/routes.js';
import { CommunicationPage } from '../features/communication/CommunicationPage.js';
import { ControlPlanPage } from '../features/control-plan/ControlPlanPage.js';
import { ConventionDetailPage } from '../features/conventions/ConventionDetailPage.js';
import { ConventionListPage } from '../features/conventions/ConventionListPage.js';
import { DeclarationsPage } from '../features/declarations/DeclarationsPage.js';
import { HabilitationDetailPage } from '../features/habilitations/HabilitationDetailPage.js';
import { HabilitationFormPage } from '../features/habilitations/HabilitationFormPage.js';
import { HabilitationListPage } from '../features/habilitations/HabilitationListPage.js';
import { PartnerImportPage } from '../features/onboarding/PartnerImportPage.js';
import { OrganisationDetailPage } from '../features/organisations/OrganisationDetailPage.js';
import { OrganisationFormPage } from '../features/organisations/OrganisationFormPage.js';
import { OrganisationListPage } from '../features/organisations/OrganisationListPage.js';
import { HomePage } from '../features/portal/HomePage.js';
import { RequestDetailPage } from '../features/portal/RequestDetailPage.js';
import { RequestListPage } from '../features/portal/RequestListPage.js';
import { qualityRoutes } from '../features/quality/routes.js';
import { RegistryFichePage } from '../features/registry/RegistryFichePage.js';
import { RegistryFichesPage } from '../features/registry/RegistryFichesPage.js';
import { RegistryFindingsPage } from '../features/registry/RegistryFindingsPage.js';
import { RegistryImportPage } from '../features/registry/RegistryImportPage.js';
import { RegistryImportRunPage } from '../features/registry/RegistryImportRunPage.js';
import { RegistryImportsPage } from '../features/registry/RegistryImportsPage.js';
import { ReportsPage } from '../features/reports/ReportsPage.js';
import { SurveyPage } from '../features/reports/SurveyPage.js';
import { UsersPage } from '../features/users/UsersPage.js';
import { LoginPage } from '../pages/LoginPage.js';
import { SetupPage } from '../pages/SetupPage.js';
import { NotFoundPage } from '../pages/StatusPages.js';
import { UnderConstructionPage } from '../pages/UnderConstructionPage.js';
import { VerifyPage } from '../pages/verify/VerifyPage.js';
import { RequirePermission, RequireSession } from './guards.js';
import { navItem, plannedAreas } from './navigation.js';
import { SessionProvider } from './session.js';
import { theme } from './theme.js';

function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A refusal (4xx) will not change by asking again; a network hiccup or a 5xx might.
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
    },
  });
}

/** The certifications, habilitations and conventions screens, each behind the permission that opens it. */
const networkRoutes: ReadonlyArray<{ path: string; anyOf: readonly Action[]; element: ReactNode }> = [
  { path: 'certifications', anyOf: navItem('certifications').anyOf, element: <CertificationListPage /> },
  {
    path: 'certifications/:id',
    anyOf: navItem('certifications').anyOf,
    element: <CertificationDetailPage />,
  },
  { path: 'habilitations', anyOf: navItem('habilitations').anyOf, element: <HabilitationListPage /> },
  { path: 'habilitations/new', anyOf: ['habilitation.manage'], element: <HabilitationFormPage /> },
  { path: 'habilitations/:id', anyOf: navItem('habilitations').anyOf, element: <HabilitationDetailPage /> },
  { path: 'habilitations/:id/edit', anyOf: ['habilitation.manage'], element: <HabilitationFormPage /> },
  { path: 'conventions', anyOf: navItem('conventions').anyOf, element: <ConventionListPage /> },
  { path: 'declarations', anyOf: navItem('declarations').anyOf, element: <DeclarationsPage /> },
  { path: 'conventions/:id', anyOf: navItem('conventions').anyOf, element: <ConventionDetailPage /> },
  { path: 'registry', anyOf: navItem('registry').anyOf, element: <RegistryFichesPage /> },
  { path: 'registry/fiches/:code', anyOf: navItem('registry').anyOf, element: <RegistryFichePage /> },
  { path: 'registry/imports', anyOf: navItem('registry').anyOf, element: <RegistryImportsPage /> },
  { path: 'registry/imports/:id', anyOf: navItem('registry').anyOf, element: <RegistryImportRunPage /> },
  { path: 'registry/findings', anyOf: navItem('registry').anyOf, element: <RegistryFindingsPage /> },
  { path: 'registry/import', anyOf: ['certification.manage'], element: <RegistryImportPage /> },
];

function AppRoutes() {
  const organisations = navItem('organisations').anyOf;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/setup" element={<SetupPage />} />
      {/* Public: reached from the code printed on a certificate, without signing in. */}
      <Route path="/verify/:code" element={<VerifyPage />} />
      {/* Public: the personal link of an insertion survey e-mail. */}
      <Route path="/survey/:token" element={<SurveyPage />} />
      <Route element={<RequireSession />}>
        <Route element={<AppLayout />}>
          <Route index element={<HomePage />} />
          <Route
            path="requests"
            element={
              <RequirePermission anyOf={navItem('requests').anyOf}>
                <RequestListPage />
              </RequirePermission>
            }
          />
          <Route
            path="requests/:id"
            element={
              <RequirePermission anyOf={navItem('requests').anyOf}>
                <RequestDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="organisations"
            element={
              <RequirePermission anyOf={organisations}>
                <OrganisationListPage />
              </RequirePermission>
            }
          />
          <Route
            path="organisations/new"
            element={
              <RequirePermission anyOf={['organisation.create']}>
                <OrganisationFormPage />
              </RequirePermission>
            }
          />
          <Route
            path="organisations/import"
            element={
              <RequirePermission anyOf={['organisation.import']}>
                <PartnerImportPage />
              </RequirePermission>
            }
          />
          <Route
            path="organisations/:id"
            element={
              <RequirePermission anyOf={organisations}>
                <OrganisationDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="organisations/:id/edit"
            element={
              <RequirePermission anyOf={['organisation.update']}>
                <OrganisationFormPage />
              </RequirePermission>
            }
          />
          {chainRoutes.map(({ path, anyOf, element }) => (
            <Route
              key={path}
              path={path}
              element={<RequirePermission anyOf={anyOf}>{element}</RequirePermission>}
            />
          ))}
          {networkRoutes.map(({ path, anyOf, element }) => (
            <Route
              key={path}
              path={path}
              element={<RequirePermission anyOf={anyOf}>{element}</RequirePermission>}
            />
          ))}
          <Route
            path="evidence"
            element={
              <RequirePermission anyOf={navItem('evidence').anyOf}>
                <AuditLogPage />
              </RequirePermission>
            }
          />
          <Route
            path="communication"
            element={
              <RequirePermission anyOf={navItem('communication').anyOf}>
                <CommunicationPage />
              </RequirePermission>
            }
          />
          <Route
            path="reports"
            element={
              <RequirePermission anyOf={navItem('reports').anyOf}>
                <ReportsPage />
              </RequirePermission>
            }
          />
          <Route
            path="admin/users"
            element={
              <RequirePermission anyOf={navItem('admin').anyOf}>
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="control-plan"
            element={
              <RequirePermission anyOf={['control.read']}>
                <ControlPlanPage />
              </RequirePermission>
            }
          />
          {qualityRoutes.map(({ path, anyOf, element }) => (
            <Route
              key={path}
              path={path}
              element={<RequirePermission anyOf={anyOf}>{element}</RequirePermission>}
            />
          ))}
          {plannedAreas.map((area) => {
            const item = navItem(area);
            return (
              <Route
                key={area}
                path={item.path.slice(1)}
                element={
                  <RequirePermission anyOf={item.anyOf}>
                    <UnderConstructionPage area={area} />
                  </RequirePermission>
                }
              />
            );
          })}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

/** Providers (theme, dates in the UI language, notifications, server state, routing, session) and routes. */
export function App() {
  const [queryClient] = useState(newQueryClient);
  const { i18n } = useTranslation();
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider
        settings={{ locale: i18n.resolvedLanguage === 'en' ? 'en-gb' : 'fr', firstDayOfWeek: 1 }}
      >
        <Notifications position="bottom-right" autoClose={5000} />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <AppRoutes />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
