import { describe, expect, it } from 'vitest';
import { permissions, type Role } from '../../core/access/policy.js';
import { mayOpen, navItem, navigation, plannedAreas, visibleNavigation } from './navigation.js';

const menuOf = (role: Role) => visibleNavigation([...permissions[role]]).map((i) => i.key);

describe('navigation', () => {
  it('shows an admin every area of the product', () => {
    expect(menuOf('admin')).toEqual(navigation.map((i) => i.key));
    expect(menuOf('admin')).toHaveLength(19);
  });

  it('hides from a partner what belongs to the certifier', () => {
    const menu = menuOf('partner');
    expect(menu).toContain('organisations');
    expect(menu).toContain('habilitations');
    expect(menu).toContain('evidence');
    for (const hidden of ['admin', 'controls', 'communication', 'reports', 'declarations'] as const)
      expect(menu).not.toContain(hidden);
  });

  it('gives an evaluator only the certification chain', () => {
    // The sessions it evaluates; juries, certificates and the accrochage are the certifier staff's.
    expect(menuOf('evaluator')).toEqual(['dashboard', 'certifications', 'sessions']);
  });

  it('opens administration only with user.read', () => {
    expect(mayOpen(navItem('admin'), ['organisation.read'])).toBe(false);
    expect(mayOpen(navItem('admin'), ['user.read'])).toBe(true);
    expect(mayOpen(navItem('dashboard'), [])).toBe(true);
  });

  it('marks every planned area as not built, and only those', () => {
    expect(navigation.filter((i) => i.planned).map((i) => i.key)).toEqual([...plannedAreas]);
  });
});
