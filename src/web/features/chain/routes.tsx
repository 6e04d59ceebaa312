import type { ReactNode } from 'react';
import type { Action } from '../../../core/access/policy.js';
import { navItem } from '../../app/navigation.js';
import { AccrochagePage } from './AccrochagePage.js';
import { AssessmentSessionDetailPage } from './AssessmentSessionDetailPage.js';
import { AssessmentSessionFormPage } from './AssessmentSessionFormPage.js';
import { CertificateListPage } from './CertificateListPage.js';
import { CertifierSettingsPage } from './CertifierSettingsPage.js';
import { JuryDetailPage } from './JuryDetailPage.js';
import { JuryListPage } from './JuryListPage.js';
import { SessionsPage } from './SessionsPage.js';
import { SessionUploadPage } from './SessionUploadPage.js';
import { TrainingSessionDetailPage } from './TrainingSessionDetailPage.js';
import { TrainingSessionFormPage } from './TrainingSessionFormPage.js';

/** The chain's screens (sessions, juries, certificates, accrochage, certifier settings), each behind its permission. */
export const chainRoutes: ReadonlyArray<{ path: string; anyOf: readonly Action[]; element: ReactNode }> = [
  { path: 'sessions', anyOf: navItem('sessions').anyOf, element: <SessionsPage /> },
  { path: 'sessions/upload', anyOf: ['chain.declare'], element: <SessionUploadPage /> },
  { path: 'sessions/training/new', anyOf: ['chain.declare'], element: <TrainingSessionFormPage /> },
  {
    path: 'sessions/training/:id',
    anyOf: ['chain.declare', 'jury.read'],
    element: <TrainingSessionDetailPage />,
  },
  { path: 'sessions/training/:id/edit', anyOf: ['chain.declare'], element: <TrainingSessionFormPage /> },
  { path: 'sessions/assessments/new', anyOf: ['chain.declare'], element: <AssessmentSessionFormPage /> },
  {
    path: 'sessions/assessments/:id',
    anyOf: navItem('sessions').anyOf,
    element: <AssessmentSessionDetailPage />,
  },
  { path: 'juries', anyOf: navItem('juries').anyOf, element: <JuryListPage /> },
  { path: 'juries/:id', anyOf: navItem('juries').anyOf, element: <JuryDetailPage /> },
  { path: 'certificates', anyOf: navItem('certificates').anyOf, element: <CertificateListPage /> },
  { path: 'accrochage', anyOf: navItem('accrochage').anyOf, element: <AccrochagePage /> },
  { path: 'admin/settings', anyOf: ['certifier.read'], element: <CertifierSettingsPage /> },
];
