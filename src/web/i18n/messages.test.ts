import { describe, expect, it } from 'vitest';
import { roles } from '../../core/access/policy.js';
import { errorCodes } from '../../core/errors.js';
import { qualiopiCategories, qualiopiStatuses } from '../../core/organisations/organisation.schema.js';
import { navigation, plannedAreas } from '../app/navigation.js';
import { en } from './en.js';
import { fr } from './fr.js';

type Tree = { [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

describe('UI messages', () => {
  it('French and English have the same keys, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(fr).sort());
    for (const tree of [fr, en]) {
      const empty = keysOf(tree).filter(
        (k) => k.split('.').reduce<unknown>((t, p) => (t as Tree)[p], tree) === '',
      );
      expect(empty).toEqual([]);
    }
  });

  it('name every API error code, role, Qualiopi status and category', () => {
    for (const tree of [fr, en]) {
      for (const code of [...errorCodes, 'network_error']) expect(tree.errors.codes).toHaveProperty(code);
      for (const role of roles) expect(tree.roles).toHaveProperty(role);
      for (const status of qualiopiStatuses) expect(tree.organisations.qualiopi).toHaveProperty(status);
      for (const category of qualiopiCategories)
        expect(tree.organisations.categories).toHaveProperty(category);
    }
  });

  it('label every menu item and describe every area under construction', () => {
    for (const tree of [fr, en]) {
      for (const item of navigation) expect(tree.nav).toHaveProperty(item.key);
      for (const area of plannedAreas)
        expect(tree.underConstruction.descriptions[area].length).toBeGreaterThan(40);
    }
  });
});
