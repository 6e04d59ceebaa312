import { createHash } from 'node:crypto';
import type { DeclaredPartner, FicheCertifier, FicheRecord } from '../../core/registry/fiche.schema.js';
import { compressSnapshot } from './snapshot-codec.js';

/** The columns the registry indexes, taken from a record. */
export interface FicheColumnsOf {
  register: 'RNCP' | 'RS';
  title: string;
  level: number | null;
  state: string | null;
  isActive: boolean;
  /** DATE_DECISION, else DATE_EFFET, else DATE_DE_PUBLICATION: when the fiche was registered. */
  registeredOn: string | null;
  endsOn: string | null;
  skillBlockCount: number;
  partnerCount: number;
  activePartnerCount: number;
  certifierCount: number;
}

const partnerContent = (p: DeclaredPartner) => [
  p.siret,
  p.name,
  p.habilitationType,
  p.state,
  p.activeSince,
  p.stateChangedOn,
];

const certifierRow = (c: FicheCertifier) => ({ siret: c.siret, name: c.name, state: c.state });

/**
 * A fiche record in the form the registry stores and compares: a content hash, the few columns the
 * registry indexes, and, computed only when asked (for the fiches that are new or changed), its JSON
 * snapshot (the record without partners and line) and its partners and certifiers as JSON arrays. The
 * hash is the hash of the FICHE element when the XML flow gives one (cheaper than serialising every fiche
 * of a daily export that mostly did not change), else of the JSON content; line numbers are never part of
 * it, so a fiche that only moved in the file is unchanged.
 */
export class SerialisedFiche {
  readonly hash: string;
  readonly columns: FicheColumnsOf;
  private snapshot: string | undefined;
  private partners: string | undefined;
  private certifiers: string | undefined;

  constructor(
    readonly record: FicheRecord,
    sourceHash: string | null = null,
  ) {
    let activePartnerCount = 0;
    for (const p of record.partners) if (p.isActive) activePartnerCount++;
    this.columns = {
      register: record.register,
      title: record.title,
      level: record.level,
      state: record.state,
      isActive: record.isActive,
      registeredOn: record.decidedOn ?? record.effectiveOn ?? record.publishedOn,
      endsOn: record.endsOn,
      skillBlockCount: record.skillBlocks.length,
      partnerCount: record.partners.length,
      activePartnerCount,
      certifierCount: record.certifiers.length,
    };
    this.hash =
      sourceHash ??
      createHash('sha256')
        .update(this.snapshotJson)
        .update('\n')
        .update(JSON.stringify(record.partners.map(partnerContent)))
        .digest('hex');
  }

  get code(): string {
    return this.record.code;
  }

  /** Line of the FICHE element (or Standard row) in the file. */
  get line(): number {
    return this.record.line;
  }

  /** SIRETs of the certifiers, to tell which fiches a certifier owns. */
  get certifierSirets(): (string | null)[] {
    return this.record.certifiers.map((c) => c.siret);
  }

  /** JSON of the record without partners and line. */
  get snapshotJson(): string {
    this.snapshot ??= JSON.stringify({ ...this.record, partners: undefined, line: undefined });
    return this.snapshot;
  }

  /** The snapshot as the registry stores it (compressed; see snapshot-codec.ts). */
  get snapshotCompressed(): Buffer {
    return compressSnapshot(this.snapshotJson);
  }

  /** The stored snapshot in base64, as the JSON import path carries it. */
  get snapshotStored(): string {
    return this.snapshotCompressed.toString('base64');
  }

  /** JSON array of the declared partners, line numbers included. */
  get partnersJson(): string {
    this.partners ??= JSON.stringify(this.record.partners);
    return this.partners;
  }

  /** JSON array of the certifiers (`siret`, `name`, `state`). */
  get certifiersJson(): string {
    this.certifiers ??= JSON.stringify(this.record.certifiers.map(certifierRow));
    return this.certifiers;
  }
}

/**
 * The serialised form of a record (see SerialisedFiche).
 *
 * @example serialiseFiche(record).hash === serialiseFiche(sameRecordOnAnotherLine).hash // true
 */
export function serialiseFiche(record: FicheRecord, sourceHash: string | null = null): SerialisedFiche {
  return new SerialisedFiche(record, sourceHash);
}

/** The record of a serialised fiche. */
export function deserialiseFiche(fiche: SerialisedFiche): FicheRecord {
  return fiche.record;
}
