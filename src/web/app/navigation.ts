import type { Action } from '../../core/access/policy.js';

/** The areas of the product under construction: each has a page saying what it will do. */
export const plannedAreas = [
  'sessions',
  'juries',
  'controls',
  'findings',
  'communication',
  'reports',
] as const;
export type PlannedArea = (typeof plannedAreas)[number];

export type NavKey =
  | 'dashboard'
  | 'certifications'
  | 'organisations'
  | 'habilitations'
  | 'conventions'
  | 'evidence'
  | 'admin'
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
  { key: 'sessions', path: '/sessions', group: 'certification', anyOf: ['chain.read'], planned: true },
  { key: 'juries', path: '/juries', group: 'certification', anyOf: ['chain.read'], planned: true },
  { key: 'controls', path: '/controls', group: 'quality', anyOf: ['control.read'], planned: true },
  { key: 'findings', path: '/findings', group: 'quality', anyOf: ['finding.read'], planned: true },
  { key: 'communication', path: '/communication', group: 'quality', anyOf: ['control.read'], planned: true },
  {
    key: 'evidence',
    path: '/evidence',
    group: 'steering',
    anyOf: ['evidence.read', 'audit.read'],
    planned: false,
  },
  { key: 'reports', path: '/reports', group: 'steering', anyOf: ['certifier.read'], planned: true },
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
