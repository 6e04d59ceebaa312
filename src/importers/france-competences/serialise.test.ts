import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportEntry, openFranceCompetencesExport } from './export.js';
import { serialiseFiche } from './serialise.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const rsText = readFileSync(path.join(fixtures, 'rs-v4.1-fiches-sample.xml'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-fc-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function entries(xml: string): Promise<Map<string, ExportEntry>> {
  const target = path.join(mkdtempSync(path.join(dir, 'f-')), 'export.xml');
  writeFileSync(target, xml);
  const source = await openFranceCompetencesExport(target);
  const out = new Map<string, ExportEntry>();
  for await (const entry of source.entries()) out.set(entry.record.code, entry);
  return out;
}

describe('content hashes', () => {
  it('give a fiche the same hash wherever it is in the file and however the file is indented', async () => {
    const original = await entries(rsText);
    // Two blank lines before the first fiche, and no indentation at all.
    const moved = await entries(rsText.replace('<FICHES>', '<FICHES>\n\n').replace(/\n[ \t]+</g, '\n<'));
    for (const code of ['RS5000', 'RS5568', 'RS6604']) {
      expect(moved.get(code)!.record.line).not.toBe(original.get(code)!.record.line);
      expect(moved.get(code)!.sourceHash).toBe(original.get(code)!.sourceHash);
    }
    // The same for the hash of the JSON content (used for the CSV bundle).
    const a = serialiseFiche(original.get('RS5568')!.record);
    const b = serialiseFiche(moved.get('RS5568')!.record);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(original.get('RS5568')!.sourceHash);
  });

  it('change when any value of the fiche changes, partners included', async () => {
    const original = await entries(rsText);
    const changed = await entries(
      rsText.replace(
        '<ETAT_HABILITATION>Actif</ETAT_HABILITATION>\n        <DATE_DERNIERE_MODIFICATION_ETAT>07/10/2025',
        '<ETAT_HABILITATION>Inactif</ETAT_HABILITATION>\n        <DATE_DERNIERE_MODIFICATION_ETAT>07/10/2025',
      ),
    );
    expect(changed.get('RS5568')!.sourceHash).not.toBe(original.get('RS5568')!.sourceHash);
    expect(changed.get('RS5000')!.sourceHash).toBe(original.get('RS5000')!.sourceHash);
    expect(serialiseFiche(changed.get('RS5568')!.record).hash).not.toBe(
      serialiseFiche(original.get('RS5568')!.record).hash,
    );
  });

  it('serialise a record into its snapshot (no partners, no line), partners and certifiers', async () => {
    const { record } = (await entries(rsText)).get('RS6604')!;
    const fiche = serialiseFiche(record);
    expect(fiche.columns).toEqual({
      register: 'RS',
      title: 'Exploiter la blockchain dans le développement d’applications',
      level: null,
      state: 'Publiée',
      isActive: true,
      registeredOn: '2024-04-26',
      endsOn: '2029-04-26',
      skillBlockCount: 0,
      partnerCount: 1,
      activePartnerCount: 1,
      certifierCount: 1,
    });
    const snapshot = JSON.parse(fiche.snapshotJson);
    expect(snapshot).not.toHaveProperty('partners');
    expect(snapshot).not.toHaveProperty('line');
    expect(snapshot).toMatchObject({
      code: 'RS6604',
      predecessors: ['RS5000'],
      deliveryDeadline: '2029-10-26',
    });
    expect(JSON.parse(fiche.partnersJson)).toEqual([
      expect.objectContaining({ siret: '87920070700013', name: 'ACADEE', line: record.partners[0]!.line }),
    ]);
    expect(JSON.parse(fiche.certifiersJson)).toEqual([
      { siret: '79279132900016', name: 'SIMPLON.CO', state: 'Actif' },
    ]);
  });
});
