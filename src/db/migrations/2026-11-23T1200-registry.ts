import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The France Compétences registry (RNCP and RS fiches as published), kept apart from the certifier's
// working copy (certifications, skill_blocks): every fiche of the imported exports with its normalised
// snapshot and a hash to skip unchanged fiches, its certifiers and declared partners (one row per
// PARTENAIRE, with the line it came from), the import runs, and a change history per fiche.

const statements = [
  // When the working copy was last refreshed from the registry (null: entered by hand only).
  `alter table certifications add column registry_synced_at timestamptz`,

  `create table fc_import_runs (
    id uuid primary key default gen_random_uuid(),
    file_name text not null,
    format text not null check (format in ('xml', 'csv')),
    entry_name text,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint not null check (size_bytes >= 0),
    flow_version text,
    certifier_siret text check (certifier_siret ~ '^[0-9]{14}$'),
    status text not null check (status in ('running', 'changed', 'unchanged')),
    started_at timestamptz not null,
    finished_at timestamptz,
    summary jsonb not null default '{}',
    rejected jsonb not null default '[]',
    rejected_count integer not null default 0,
    unknown_elements jsonb not null default '{}',
    actor_id uuid,
    actor_label text not null
  )`,
  `create index fc_import_runs_started_idx on fc_import_runs (started_at desc, id)`,

  `create table fc_fiches (
    code text primary key check (code ~ '^(RNCP|RS)[1-9][0-9]{0,5}$'),
    register text not null check (register in ('RNCP', 'RS')),
    title text not null,
    level smallint check (level between 1 and 8),
    state text,
    is_active boolean not null,
    registered_on date,
    ends_on date,
    skill_block_count integer not null default 0,
    partner_count integer not null default 0,
    active_partner_count integer not null default 0,
    -- sha256 of the normalised record (partners included, line numbers not): equal hash, unchanged fiche.
    hash text not null,
    -- The normalised record without its partners (they are rows of fc_declared_partners), as JSON text.
    snapshot text not null check (snapshot like '{%'),
    source_line integer not null,
    -- Runs are never deleted; no foreign key, so a bulk load does not pay a check per row.
    first_run_id uuid not null,
    changed_run_id uuid not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  // Stored as JSON text, uncompressed: an export carries ~400 MB of snapshots, and parsing them into jsonb
  // and compressing them doubled the import time (measured; nothing queries inside a snapshot).
  `alter table fc_fiches alter column snapshot set storage external`,

  `create table fc_fiche_certifiers (
    fiche_code text not null references fc_fiches (code) on delete cascade,
    position smallint not null,
    siret text check (siret ~ '^[0-9]{14}$'),
    name text not null,
    state text,
    primary key (fiche_code, position)
  )`,
  `create index fc_fiche_certifiers_siret_idx on fc_fiche_certifiers (siret)`,

  `create table fc_declared_partners (
    fiche_code text not null references fc_fiches (code) on delete cascade,
    position integer not null,
    siret text check (siret ~ '^[0-9]{14}$'),
    name text not null,
    habilitation_type text not null
      check (habilitation_type in ('HABILITATION_FORMER', 'HABILITATION_ORGANISER', 'HABILITATION_ORGA_FORM')),
    state text,
    is_active boolean not null,
    active_since date,
    state_changed_on date,
    -- Line of the PARTENAIRE element (or CSV row) in the file of source_run_id.
    source_line integer not null,
    source_run_id uuid not null,
    primary key (fiche_code, position)
  )`,
  `create index fc_declared_partners_siret_idx on fc_declared_partners (siret)`,

  `create table fc_fiche_changes (
    id bigint generated always as identity primary key,
    run_id uuid not null,
    fiche_code text not null references fc_fiches (code) on delete cascade,
    kind text not null check (kind in
      ('new', 'changed', 'became_inactive', 'became_active', 'partner_added', 'partner_removed', 'partner_changed')),
    details jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`,
  `create index fc_fiche_changes_fiche_idx on fc_fiche_changes (fiche_code, id)`,
  `create index fc_fiche_changes_run_idx on fc_fiche_changes (run_id, id)`,

  // Reconciliation findings are looked up by rule family and certification on every import.
  `create index findings_rule_certification_idx on findings (rule_id, certification_id) where rule_id is not null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index findings_rule_certification_idx',
    'drop table fc_fiche_changes',
    'drop table fc_declared_partners',
    'drop table fc_fiche_certifiers',
    'drop table fc_fiches',
    'drop table fc_import_runs',
    'alter table certifications drop column registry_synced_at',
  ])
    await sql.raw(statement).execute(db);
}
