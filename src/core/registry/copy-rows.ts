/**
 * The rows of new fiches in PostgreSQL's COPY text format: the importer's parse worker builds them
 * (src/importers/france-competences/copy-rows.ts) and the registry repository copies them in, so the
 * import's thread only hands bytes to the database. One buffer per table; these column lists are the
 * order of the fields in each line.
 */
export const copyColumns = {
  fc_fiches:
    'code, register, title, level, state, is_active, registered_on, ends_on, skill_block_count, partner_count, ' +
    'active_partner_count, hash, snapshot, source_line, first_run_id, changed_run_id',
  fc_fiche_certifiers: 'fiche_code, position, siret, name, state',
  fc_declared_partners:
    'fiche_code, position, siret, name, habilitation_type, state, is_active, active_since, state_changed_on, ' +
    'source_line, source_run_id',
  fc_fiche_changes: 'run_id, fiche_code, kind, details',
} as const;

export type CopyTable = keyof typeof copyColumns;

/** The tables in the order their rows must be written (foreign keys point to fc_fiches). */
export const copyTables: readonly CopyTable[] = [
  'fc_fiches',
  'fc_fiche_certifiers',
  'fc_declared_partners',
  'fc_fiche_changes',
];

/** The COPY text of some new fiches, table by table (UTF-8), and how many fiches it holds. */
export type CopyRows = Record<CopyTable, Uint8Array> & { fiches: number };

/** Bytes in `rows`. */
export const copyRowsBytes = (rows: CopyRows): number =>
  copyTables.reduce((sum, table) => sum + rows[table].byteLength, 0);
