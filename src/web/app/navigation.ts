import type { Action } from '../../core/access/policy.js';

/**
 * The areas that have an under-construction text (underConstruction.descriptions), and those still under
 * construction: each has a page saying what it will do. Every area is built now; the list stays for the next.
 */
export type PlannedArea = 'communication';
export const plannedAreas: readonly PlannedArea[] = [];

export type NavKey =
  | 'dashboard'
  | 'certifications'
  | 'registry'
  | 'organisations'
  | 'habilitations'
  | 'conventions'
  | 'declarations'
  | 'requests'
  | 'sessions'
  | 'juries'
  | 'certificates'
  | 'accrochage'
  | 'controls'
  | 'controlPlan'
  | 'findings'
  | 'evidence'
  | 'reports'
  | 'admin'
  | 'communication'
  | PlannedArea;

export type NavGroup = 'network' | 'certification' | 'quality' | 'steering';

export interface NavItem {
  key: NavKey;
  path: string;
  group: NavGroup | null;
  /** Shown when the role has any of these permissions; always shown when empty. */
  anyOf: readonly Action[];
  /** Not built yet: the page says so. */
  planned: boolean;
}

/**
 * The product's areas in menu order, with the permission that opens each. The same table guards the
 * routes, so a hidden item cannot be reached by typing its address either.
 */
export const navigation: readonly NavItem[] = [
  { key: 'dashboard', path: '/', group: null, anyOf: [], planned: false },
  {
    key: 'certifications',
    path: '/certifications',
    group: 'network',
    anyOf: ['certification.read'],
    planned: false,
  },
  { key: 'registry', path: '/registry', group: 'network', anyOf: ['certifier.read'], planned: false },
  {
    key: 'organisations',
    path: '/organisations',
    group: 'network',
    anyOf: ['organisation.read'],
    planned: false,
  },
  {
    key: 'habilitations',
    path: '/habilitations',
    group: 'network',
    anyOf: ['habilitation.read'],
    planned: false,
  },
  { key: 'conventions', path: '/conventions', group: 'network', anyOf: ['convention.read'], planned: false },
  {
    key: 'declarations',
    path: '/declarations',
    group: 'network',
    anyOf: ['declaration.read'],
    planned: false,
  },
  // Requests to partners ("demandes") and their answers: the partner portal's inbox.
  { key: 'requests', path: '/requests', group: 'network', anyOf: ['request.read'], planned: false },
  { key: 'sessions', path: '/sessions', group: 'certification', anyOf: ['chain.read'], planned: false },
  { key: 'juries', path: '/juries', group: 'certification', anyOf: ['jury.read'], planned: false },
  {
    key: 'certificates',
    path: '/certificates',
    group: 'certification',
    anyOf: ['jury.read', 'chain.declare'],
    planned: false,
  },
  {
    key: 'accrochage',
    path: '/accrochage',
    group: 'certification',
    anyOf: ['jury.read', 'certificate.manage'],
    planned: false,
  },
  { key: 'controls', path: '/controls', group: 'quality', anyOf: ['control.read'], planned: false },
  { key: 'controlPlan', path: '/control-plan', group: 'quality', anyOf: ['control.read'], planned: false },
  { key: 'findings', path: '/findings', group: 'quality', anyOf: ['finding.read'], planned: false },
  { key: 'communication', path: '/communication', group: 'quality', anyOf: ['control.read'], planned: false },
  {
    key: 'evidence',
    path: '/evidence',
    group: 'steering',
    anyOf: ['evidence.read', 'audit.read'],
    planned: false,
  },
  { key: 'reports', path: '/reports', group: 'steering', anyOf: ['report.read'], planned: false },
  { key: 'admin', path: '/admin/users', group: 'steering', anyOf: ['user.read'], planned: false },
];

/** Whether a session with these permissions may open an item. */
export const mayOpen = (item: Pick<NavItem, 'anyOf'>, permissions: readonly string[]): boolean =>
  item.anyOf.length === 0 || item.anyOf.some((action) => permissions.includes(action));

/** The menu a role sees: only the areas its permissions open. */
export const visibleNavigation = (permissions: readonly string[]): NavItem[] =>
  navigation.filter((item) => mayOpen(item, permissions));

export function navItem(key: NavKey): NavItem {
  const item = navigation.find((i) => i.key === key);
  if (!item) throw new Error(`no navigation item ${key}`);
  return item;
}
