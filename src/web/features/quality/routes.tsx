import type { ReactNode } from 'react';
import type { Action } from '../../../core/access/policy.js';
import { navItem } from '../../app/navigation.js';
import { AuditSheetPage } from './AuditSheetPage.js';
import { ControlListPage } from './ControlListPage.js';
import { FindingDetailPage } from './FindingDetailPage.js';
import { FindingListPage } from './FindingListPage.js';
import { SanctionDetailPage, SanctionListPage } from './SanctionPages.js';

/** The quality area's screens (controls, audits, findings, sanctions), each behind its permission. */
export const qualityRoutes: ReadonlyArray<{ path: string; anyOf: readonly Action[]; element: ReactNode }> = [
  { path: 'controls', anyOf: navItem('controls').anyOf, element: <ControlListPage /> },
  { path: 'controls/:id', anyOf: navItem('controls').anyOf, element: <AuditSheetPage /> },
  { path: 'findings', anyOf: navItem('findings').anyOf, element: <FindingListPage /> },
  { path: 'findings/:id', anyOf: navItem('findings').anyOf, element: <FindingDetailPage /> },
  { path: 'sanctions', anyOf: ['sanction.read'], element: <SanctionListPage /> },
  { path: 'sanctions/:id', anyOf: ['sanction.read'], element: <SanctionDetailPage /> },
];
