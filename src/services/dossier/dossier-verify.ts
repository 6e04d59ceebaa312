import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import {
  DOSSIER_FORMAT,
  type DossierManifest,
  type DossierProblem,
  type DossierVerification,
  dossierPaths,
} from '../../core/dossier/dossier.schema.js';
import { AppError } from '../../core/errors.js';
import { AuditExtractChecker } from './audit-extract.js';

/** Manifests larger than this are refused (a 10,000-file manifest is about 4 MB). */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

const notADossier = (file: string, message: string, cause?: unknown) =>
  new AppError('validation_failed', `${file} is not an evidence dossier: ${message}`, {
    fields: [{ field: 'file', message }],
    ...(cause === undefined ? {} : { cause }),
  });

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    ),
  );
}

const openEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry) =>
  new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
  );

async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    rest += (chunk as Buffer).toString('utf8');
    let nl = rest.indexOf('\n');
    while (nl !== -1) {
      yield rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  if (rest) yield rest;
}

/**
 * Verifies an evidence dossier ZIP in one streaming pass: every file is re-hashed and compared with the
 * manifest (a changed, missing or added file is named), the audit-log extract is re-chained (sequence,
 * previous hashes, and the hash of every full entry), its last hash must be the chain head the manifest
 * states, and each evidence file's SHA-256 must be the one its chained `evidence.upload` entry recorded.
 */
export async function verifyDossierZip(file: string): Promise<DossierVerification> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `${file} does not exist`, { details: { entity: 'file', id: file } });
    throw notADossier(file, `not a readable ZIP (${(error as Error).message})`, error);
  }
  const seen = new Map<string, { sha256: string; size: number }>();
  const problems: DossierProblem[] = [];
  const audit = new AuditExtractChecker(dossierPaths.auditLog);
  let manifestText: string | null = null;
  let manifestSha256: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          if (entry.fileName.endsWith('/')) return;
          if (seen.has(entry.fileName))
            problems.push({ path: entry.fileName, message: 'appears twice in the ZIP' });
          const stream = await openEntry(zip, entry);
          const hash = createHash('sha256');
          let size = 0;
          if (entry.fileName === dossierPaths.manifest) {
            if (entry.uncompressedSize > MAX_MANIFEST_BYTES)
              throw notADossier(file, 'manifest.json is too large');
            const parts: Buffer[] = [];
            for await (const chunk of stream) {
              parts.push(chunk as Buffer);
              hash.update(chunk as Buffer);
            }
            const bytes = Buffer.concat(parts);
            manifestText = bytes.toString('utf8');
            manifestSha256 = hash.digest('hex');
            return;
          }
          if (entry.fileName === dossierPaths.auditLog) {
            const counted = (async function* () {
              for await (const chunk of stream) {
                hash.update(chunk as Buffer);
                size += (chunk as Buffer).length;
                yield chunk as Buffer;
              }
            })();
            for await (const line of lines(counted)) audit.push(line);
          } else {
            for await (const chunk of stream) {
              hash.update(chunk as Buffer);
              size += (chunk as Buffer).length;
            }
          }
          seen.set(entry.fileName, { sha256: hash.digest('hex'), size });
        })().then(
          () => zip.readEntry(),
          (error: unknown) => reject(error),
        );
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notADossier(file, `the ZIP is damaged (${(error as Error).message})`, error);
  } finally {
    zip.close();
  }

  if (manifestText === null) throw notADossier(file, 'it holds no manifest.json');
  let manifest: DossierManifest;
  try {
    manifest = JSON.parse(manifestText) as DossierManifest;
  } catch (error) {
    throw notADossier(file, 'manifest.json is not valid JSON (it was altered)', error);
  }
  if (manifest.format !== DOSSIER_FORMAT || !Array.isArray(manifest.files))
    throw notADossier(file, `manifest.json is not of the format ${DOSSIER_FORMAT}`);

  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const found = seen.get(f.path);
    if (!found) problems.push({ path: f.path, message: 'listed in the manifest but missing from the ZIP' });
    else if (found.sha256 !== f.sha256)
      problems.push({
        path: f.path,
        message: `its SHA-256 is ${found.sha256}, the manifest says ${f.sha256}: the file was altered`,
      });
    else if (found.size !== f.sizeBytes)
      problems.push({
        path: f.path,
        message: `its size is ${found.size} bytes, the manifest says ${f.sizeBytes}`,
      });
    if (f.evidenceId) {
      const chained = audit.uploadedSha256.get(f.evidenceId);
      if (chained && chained !== f.sha256)
        problems.push({
          path: f.path,
          message: `the audit log recorded SHA-256 ${chained} when this file was uploaded, the manifest says ${f.sha256}`,
        });
    }
  }
  for (const name of seen.keys())
    if (!listed.has(name))
      problems.push({ path: name, message: 'in the ZIP but not listed in the manifest (added)' });

  problems.push(...audit.problems);
  const declared = manifest.auditLog;
  if (declared) {
    if (audit.entries !== declared.entries)
      problems.push({
        path: dossierPaths.auditLog,
        message: `holds ${audit.entries} entries, the manifest says ${declared.entries}`,
      });
    if (declared.entries && audit.lastHash !== declared.headHash)
      problems.push({
        path: dossierPaths.auditLog,
        message: `ends on hash ${audit.lastHash ?? '(none)'}, the manifest's chain head is ${declared.headHash}`,
      });
    if (declared.entries && audit.lastSeq !== declared.lastSeq)
      problems.push({
        path: dossierPaths.auditLog,
        message: `ends on entry ${audit.lastSeq}, the manifest says ${declared.lastSeq}`,
      });
  }
  return {
    ok: problems.length === 0,
    manifestSha256,
    files: manifest.files.length,
    auditEntries: audit.entries,
    headHash: declared?.headHash ?? null,
    problems,
  };
}
