import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The Caisse des Dépôts catalogue of CPF offers, as far as it names the certifier's certifications: one row
// per offer (its last known version, kept when it leaves the catalogue), each import run with its rejected
// rows, the change history per import (new, changed with the fields before/after, gone, back), the
// certif-info codes learnt from the catalogue, and the communication-control settings (forbidden claims).

const statements = [
  `create table cpf_offer_imports (
    id uuid primary key default gen_random_uuid(),
    file_name text not null,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint not null check (size_bytes >= 0),
    format text not null check (format in ('csv', 'json', 'ndjson')),
    encoding text not null,
    extracted_on date not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    rows_read integer not null check (rows_read >= 0),
    offers integer not null check (offers >= 0),
    matched integer not null check (matched >= 0),
    rejected_count integer not null check (rejected_count >= 0),
    warning_count integer not null check (warning_count >= 0),
    new_count integer not null,
    changed_count integer not null,
    gone_count integer not null,
    unchanged_count integer not null,
    findings jsonb not null default '{}',
    finding_changes jsonb not null default '{}',
    unknown_columns jsonb not null default '[]',
    -- The first warnings (a value ignored, the offer kept); their total is warning_count.
    warnings jsonb not null default '[]',
    actor_id uuid,
    actor_label text not null
  )`,
  `create index cpf_offer_imports_started_idx on cpf_offer_imports (started_at desc, id)`,

  // Every rejected row of an import, never dropped: line, column, stable code, message, offer id if read.
  `create table cpf_offer_import_rejects (
    import_id uuid not null references cpf_offer_imports (id) on delete cascade,
    position integer not null,
    line integer not null,
    column_name text,
    code text not null,
    message text not null,
    offer_key text,
    primary key (import_id, position)
  )`,

  // The last known version of each offer naming one of the certifier's certifications. No foreign keys to
  // the import runs, so a first import of hundreds of thousands of offers does not pay a check per row.
  `create table cpf_offers (
    offer_id text primary key,
    certification_id uuid not null references certifications (id),
    certification_code text,
    certif_info_code text,
    siret text not null check (siret ~ '^[0-9]{14}$'),
    siren text not null check (siren ~ '^[0-9]{9}$'),
    organisation_name text,
    organisation_id uuid references organisations (id),
    matched_by text check (matched_by in ('siret', 'siren')),
    -- What the import found about the seller for this certification (see core/cpf-offers/communication.ts).
    verdict text not null,
    title text not null,
    price_min numeric(12, 2),
    price_max numeric(12, 2),
    hours_min numeric(10, 2),
    hours_max numeric(10, 2),
    department_code text,
    region_name text,
    modality text,
    extracted_on date not null,
    -- sha256 of the offer's data without its extraction date: equal hash, unchanged offer.
    hash text not null,
    record text not null check (record like '{%'),
    source_line integer not null,
    first_import_id uuid not null,
    changed_import_id uuid not null,
    gone_import_id uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `alter table cpf_offers alter column record set storage external`,
  `create index cpf_offers_certification_idx on cpf_offers (certification_id, siret)`,
  `create index cpf_offers_siret_idx on cpf_offers (siret)`,
  `create index cpf_offers_organisation_idx on cpf_offers (organisation_id)`,

  `create table cpf_offer_changes (
    import_id uuid not null,
    offer_id text not null,
    kind text not null check (kind in ('new', 'changed', 'gone', 'back')),
    -- For 'changed': { field: { before, after } } of the fields that moved.
    fields jsonb,
    primary key (import_id, offer_id)
  )`,
  `create index cpf_offer_changes_offer_idx on cpf_offer_changes (offer_id)`,

  `create table cpf_certif_info_codes (
    code text primary key check (code ~ '^[0-9]{1,10}$'),
    certification_id uuid not null references certifications (id) on delete cascade,
    learnt_import_id uuid,
    created_at timestamptz not null default now()
  )`,

  `create table cpf_communication_settings (
    id integer primary key default 1 check (id = 1),
    forbidden_claims jsonb not null,
    updated_by uuid references users (id),
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'cpf_communication_settings',
    'cpf_certif_info_codes',
    'cpf_offer_changes',
    'cpf_offers',
    'cpf_offer_import_rejects',
    'cpf_offer_imports',
  ])
    await sql.raw(`drop table ${table}`).execute(db);
}
