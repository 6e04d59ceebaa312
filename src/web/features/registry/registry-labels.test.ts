import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconciliationRules } from '../../../core/registry/reconcile.js';
import { ficheChangeKinds } from '../../../core/registry/registry.schema.js';
import { en } from '../../i18n/en.js';
import { fr } from '../../i18n/fr.js';
import { describeChange, failurePlace, ruleKey } from './registry-labels.js';

let t: TFunction<'translation'>;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: 'fr',
    resources: { fr: { translation: fr }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
  t = i18n.t as TFunction<'translation'>;
});

describe('registry labels', () => {
  it('names every change kind and every reconciliation rule in both languages', () => {
    for (const tree of [fr, en]) {
      for (const kind of ficheChangeKinds) expect(tree.registry.changes.kinds).toHaveProperty(kind);
      for (const rule of reconciliationRules)
        expect(tree.registry.findings.rules).toHaveProperty(ruleKey(rule));
    }
  });

  it('tells a changed field with its values, dates in French', () => {
    const lines = describeChange(
      {
        kind: 'changed',
        details: {
          fields: [
            { field: 'endsOn', before: '2026-01-31', after: '2028-12-31' },
            { field: 'level', before: null, after: 6 },
            { field: 'skillBlocks', before: null, after: { added: ['RNCP1BC03'], removed: [], changed: [] } },
          ],
        },
      },
      t,
      'fr',
    );
    expect(lines).toEqual([
      'endsOn : 31 janv. 2026 → 31 déc. 2028',
      'level : vide → 6',
      'skillBlocks : RNCP1BC03 ajouté(s), 0 retiré(s), 0 modifié(s)',
    ]);
  });

  it('tells which partner changed and how', () => {
    expect(
      describeChange(
        {
          kind: 'partner_changed',
          details: {
            siret: '52875765100013',
            name: 'ISCOD',
            habilitationType: 'HABILITATION_FORMER',
            changes: { state: { before: 'Actif', after: 'Inactif' } },
          },
        },
        t,
        'fr',
      ),
    ).toEqual(['ISCOD (52875765100013), Former', 'state : Actif → Inactif']);
    expect(
      describeChange(
        {
          kind: 'partner_removed',
          details: { siret: null, name: 'X', habilitationType: 'HABILITATION_ORGA_FORM', state: 'Actif' },
        },
        t,
        'fr',
      ),
    ).toEqual(['X (vide), Former et organiser l’évaluation', 'état : Actif']);
    expect(describeChange({ kind: 'new', details: { title: 'Vétérinaire' } }, t, 'fr')).toEqual([
      '« Vétérinaire »',
    ]);
  });

  it('names the file, line and column of a failed import, and the zip entry', () => {
    expect(
      failurePlace(
        {
          code: 'import_rejected',
          message: '…',
          details: {
            file: 'export.zip',
            entry: 'export_fiches_RNCP_V4_1_2026-08-16.xml',
            line: 12,
            column: 7,
          },
        },
        'upload.zip',
        t,
      ),
    ).toBe('Fichier export.zip, ligne 12, colonne 7 dans export_fiches_RNCP_V4_1_2026-08-16.xml');
    expect(failurePlace({ code: 'import_rejected', message: '…' }, 'upload.zip', t)).toBe(
      'Fichier upload.zip',
    );
  });
});
