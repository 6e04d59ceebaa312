// Issue #5 benchmark: export the accrochage flux for 100,000 holders through the streaming writer (each record
// checked against the holder-record schema, written as it comes), as a ratio to a naive baseline measured in
// the same run: the same XML text built from an in-memory array of records and written in one go. Both outputs
// are compared byte for byte, so the two write the same thing. Goals: ratio ≤ 3×, peak RSS of the streaming
// export ≤ 300 MB. Then the written file is checked against the XSD (chunked validation), time and peak RSS
// reported, next to a validation of the whole file in one xmllint run for comparison. Each measurement runs in its own process so that peak RSS is its own; the two exports alternate
// over BENCH_ROUNDS rounds and the best time of each counts (the machine is shared, times are noisy).
// Environment: BENCH_SCALE (default 1 = 100,000 holders; 0.05 for a quick run), BENCH_ROUNDS (default 2),
// BENCH_KEEP=1 to keep the files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHolderRecord } from '../src/core/accrochage/holder-record.fixture.js';
import type { AccrochageHolderRecordInput } from '../src/core/accrochage/holder-record.schema.js';
import { accrochageIdTechnique } from '../src/core/accrochage/id-technique.js';
import { writeAccrochageFlux } from '../src/exporters/accrochage/accrochage-writer.js';
import { validateAccrochageFile, validateAccrochageXml } from '../src/exporters/accrochage/validate.js';
import { escapeXml } from '../src/exporters/accrochage/xml-text.js';

const issuer = { clientId: '99ZZZ001', contractId: 'MCFCER999999' };
const options = { fluxId: 'bench', timestamp: new Date('2026-03-02T09:15:00Z') };

/** The n-th record of the run: four fifths of one RNCP certification, then an RS one (grouped, as sorted). */
function record(n: number, total: number): AccrochageHolderRecordInput {
  return buildHolderRecord(n, { certificationCode: n <= total * 0.8 ? 'RNCP37674' : 'RS5568' });
}

// ---- the naive baseline: every record in memory, one string, one write ----------------------------------

const ACCESS: Record<string, string> = {
  vae: 'VAE',
  continuing_training: 'FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION',
};
const e = (name: string, v: string) => `<cpf:${name}>${escapeXml(v)}</cpf:${name}>\n`;
const nil = (name: string) => `<cpf:${name} xsi:nil="true"/>\n`;

/** The fixture's records as XML, written plainly for the fields the fixture uses (no checks). */
function naivePassage(r: AccrochageHolderRecordInput): string {
  const h = r.holder;
  const a = r.assessment!;
  const [y, m, d] = h.birthDate.split('-');
  const abroad = !h.birthPlaceCode;
  return (
    '<cpf:passageCertification>\n' +
    e('idTechnique', accrochageIdTechnique({ id: r.certificateId, number: r.certificateNumber })) +
    e('urlPreuve', r.proofUrl!) +
    e('obtentionCertification', 'PAR_ADMISSION') +
    e('donneeCertifiee', 'true') +
    e('dateDebutExamen', a.startsOn!) +
    e('dateFinExamen', a.endsOn!) +
    e('modalitePassageExamen', 'EN_PRESENTIEL') +
    e('codePostalCentreExamen', a.centrePostalCode!) +
    e('dateDebutValidite', r.awardedOn) +
    nil('dateFinValidite') +
    e('presenceNiveauLangueEuro', 'false') +
    e('presenceNiveauNumeriqueEuro', 'false') +
    nil('scoring') +
    (r.honours ? e('mentionValidee', 'MENTION_BIEN') : nil('mentionValidee')) +
    '<cpf:modalitesInscription>\n' +
    e('modaliteAcces', ACCESS[r.accessRoute!]!) +
    (r.vaeRoute ? e('voieAccessVAE', 'VAE_CLASSIQUE') : '') +
    e('initiativeInscription', 'CERTIFIE') +
    e('dateInscription', r.registration!.registeredOn!) +
    '</cpf:modalitesInscription>\n<cpf:identificationTitulaire>\n<cpf:titulaire>\n' +
    e('nomNaissance', h.birthName) +
    (h.usageName ? e('nomUsage', h.usageName) : nil('nomUsage')) +
    h.firstNames.map((f, i) => e(`prenom${i + 1}`, f)).join('') +
    e('anneeNaissance', y!) +
    e('moisNaissance', String(Number(m))) +
    e('jourNaissance', String(Number(d))) +
    e('sexe', h.sex) +
    '<cpf:codeCommuneNaissance>\n<cpf:codeInseeNaissance>\n' +
    e('codeInsee', abroad ? h.birthCountryCode! : h.birthPlaceCode!) +
    '</cpf:codeInseeNaissance>\n</cpf:codeCommuneNaissance>\n' +
    (abroad ? '' : e('libelleCommuneNaissance', h.birthPlaceName!)) +
    e('codePaysNaissance', abroad ? h.birthCountryCode!.slice(2) : '100') +
    e('libellePaysNaissance', abroad ? h.birthCountryName! : 'FRANCE') +
    '</cpf:titulaire>\n</cpf:identificationTitulaire>\n</cpf:passageCertification>\n'
  );
}

function naiveExport(file: string, total: number): void {
  const records: AccrochageHolderRecordInput[] = [];
  for (let n = 1; n <= total; n++) records.push(record(n, total));
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<cpf:flux xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      e('idFlux', 'bench') +
      e('horodatage', '2026-03-02T10:15:00+01:00') +
      '<cpf:emetteur>\n' +
      e('idClient', issuer.clientId) +
      '<cpf:certificateurs>\n<cpf:certificateur>\n' +
      e('idClient', issuer.clientId) +
      e('idContrat', issuer.contractId) +
      '<cpf:certifications>\n',
  ];
  let code = '';
  for (const r of records) {
    if (r.certificationCode !== code) {
      if (code) parts.push('</cpf:passageCertifications>\n</cpf:certification>\n');
      code = r.certificationCode;
      parts.push(
        `<cpf:certification>\n${e('type', code.startsWith('RNCP') ? 'RNCP' : 'RS')}${e('code', code)}` +
          `${e('natureDeposant', 'CERTIFICATEUR')}<cpf:passageCertifications>\n`,
      );
    }
    parts.push(naivePassage(r));
  }
  parts.push(
    '</cpf:passageCertifications>\n</cpf:certification>\n</cpf:certifications>\n</cpf:certificateur>\n' +
      '</cpf:certificateurs>\n</cpf:emetteur>\n</cpf:flux>\n',
  );
  writeFileSync(file, parts.join(''));
}

// ---- the streaming export ----------------------------------------------------------------------------------

async function streamingExport(file: string, total: number): Promise<void> {
  async function* records() {
    for (let n = 1; n <= total; n++) yield record(n, total);
  }
  const result = await writeAccrochageFlux(createWriteStream(file), issuer, records(), {
    ...options,
    maxBytes: Number.MAX_SAFE_INTEGER,
    maxPassages: Number.MAX_SAFE_INTEGER,
  });
  if (result.passages !== total || result.leftOut.length > 0)
    throw new Error(
      `expected ${total} passages, wrote ${result.passages}: ${result.leftOut[0]?.messages[0]}`,
    );
}

// ---- one measurement per process --------------------------------------------------------------------------

interface Measure {
  ms: number;
  peakRssMb: number;
  valid?: boolean;
  errors?: number;
}

async function child(mode: string, file: string, total: number): Promise<void> {
  const start = performance.now();
  let extra: Partial<Measure> = {};
  if (mode === 'naive') naiveExport(file, total);
  else if (mode === 'stream') await streamingExport(file, total);
  else if (mode === 'validate-whole') {
    const v = await validateAccrochageXml(readFileSync(file));
    extra = { valid: v.valid, errors: v.errors.length };
  } else {
    const v = await validateAccrochageFile(file);
    extra = { valid: v.valid, errors: v.errors.length };
  }
  const measure: Measure = {
    ms: performance.now() - start,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

function run(mode: string, file: string, total: number): Measure {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, mode, file, String(total)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Measure;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const [mode, file, total] = process.argv.slice(2);
  if (mode) return child(mode, file!, Number(total));

  const holders = Math.max(1, Math.round(100_000 * Number(process.env.BENCH_SCALE ?? 1)));
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
  const dir = mkdtempSync(path.join(tmpdir(), 'habilis-bench-accrochage-'));
  const naiveFile = path.join(dir, 'naive.xml');
  const streamFile = path.join(dir, 'stream.xml');
  try {
    console.log(`accrochage export: ${holders.toLocaleString('en')} holders, ${rounds} round(s)`);
    const naive: Measure[] = [];
    const stream: Measure[] = [];
    for (let i = 0; i < rounds; i++) {
      naive.push(run('naive', naiveFile, holders));
      stream.push(run('stream', streamFile, holders));
    }
    const [a, b] = await Promise.all([sha256(naiveFile), sha256(streamFile)]);
    if (a !== b) throw new Error('the streaming export and the baseline did not write the same bytes');
    const size = statSync(streamFile).size;
    const best = (ms: Measure[]) => Math.min(...ms.map((m) => m.ms));
    const peak = (ms: Measure[]) => Math.max(...ms.map((m) => m.peakRssMb));
    const ratio = best(stream) / best(naive);
    const validation = run('validate', streamFile, holders);
    const whole = run('validate-whole', streamFile, holders);

    const fmt = (n: number) => n.toFixed(0).padStart(7);
    console.log(`file: ${(size / 1e6).toFixed(1)} MB, identical bytes from both writers`);
    console.log('                               time (ms)   peak RSS (MB)');
    console.log(`naive (in-memory array)        ${fmt(best(naive))}   ${fmt(peak(naive))}`);
    console.log(`streaming writer               ${fmt(best(stream))}   ${fmt(peak(stream))}`);
    console.log(
      `XSD validation (file)          ${fmt(validation.ms)}   ${fmt(validation.peakRssMb)}   valid: ${validation.valid}`,
    );
    console.log(
      `  for comparison, whole file   ${fmt(whole.ms)}   ${fmt(whole.peakRssMb)}   valid: ${whole.valid} (one xmllint run)`,
    );
    const ratioOk = ratio <= 3;
    const rssOk = peak(stream) <= 300;
    console.log(`ratio streaming / naive: ${ratio.toFixed(2)}× (goal ≤ 3×) ${ratioOk ? 'OK' : 'MISSED'}`);
    console.log(
      `streaming peak RSS: ${peak(stream).toFixed(0)} MB (goal ≤ 300 MB) ${rssOk ? 'OK' : 'MISSED'}`,
    );
    if (!validation.valid) throw new Error('the exported file did not pass the XSD');
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
