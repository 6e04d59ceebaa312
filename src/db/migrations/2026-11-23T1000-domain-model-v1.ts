import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code. Enumerations are text columns with CHECK
// constraints, so that a later migration can widen them without PostgreSQL's enum restrictions.

const statements = [
  // The certifier that runs this Habilis instance: exactly one row (id = 1).
  `create table certifier (
    id smallint primary key default 1 check (id = 1),
    name text not null,
    siret text check (siret ~ '^[0-9]{14}$'),
    siren text check (siren ~ '^[0-9]{9}$'),
    nda text check (nda ~ '^[0-9]{11}$'),
    address text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,

  `create table organisations (
    id uuid primary key default gen_random_uuid(),
    siret text not null unique check (siret ~ '^[0-9]{14}$'),
    siren text not null check (siren ~ '^[0-9]{9}$'),
    nda text check (nda ~ '^[0-9]{11}$'),
    legal_name text not null check (length(legal_name) between 1 and 300),
    trade_name text,
    address_line text,
    postal_code text,
    city text,
    region text,
    email text,
    phone text,
    website text,
    qualiopi_status text not null default 'unknown'
      check (qualiopi_status in ('certified', 'not_certified', 'lapsed', 'unknown')),
    qualiopi_categories text[] not null default '{}',
    qualiopi_expires_on date,
    qualiopi_checked_at timestamptz,
    notes text,
    archived_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index organisations_siren_idx on organisations (siren)`,
  `create index organisations_legal_name_idx on organisations (lower(legal_name), id)`,

  `create table organisation_contacts (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id) on delete cascade,
    full_name text not null,
    role text,
    email text,
    phone text,
    created_at timestamptz not null default now()
  )`,
  `create index organisation_contacts_org_idx on organisation_contacts (organisation_id)`,

  `create table organisation_sites (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id) on delete cascade,
    label text not null,
    address_line text,
    postal_code text,
    city text,
    created_at timestamptz not null default now()
  )`,
  `create index organisation_sites_org_idx on organisation_sites (organisation_id)`,

  `create table certifications (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^(RNCP|RS)[1-9][0-9]{0,5}$'),
    register text not null check (register in ('RNCP', 'RS')),
    title text not null,
    level text,
    state text,
    is_active boolean not null default true,
    is_owned boolean not null default false,
    registered_on date,
    ends_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,

  `create table skill_blocks (
    id uuid primary key default gen_random_uuid(),
    certification_id uuid not null references certifications (id) on delete cascade,
    code text not null unique,
    title text not null,
    competences text,
    assessment_rules text,
    created_at timestamptz not null default now()
  )`,
  `create index skill_blocks_certification_idx on skill_blocks (certification_id)`,

  `create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    display_name text not null,
    password_hash text,
    role text not null check (role in ('admin', 'quality_manager', 'auditor', 'evaluator', 'partner', 'read_only')),
    organisation_id uuid references organisations (id),
    locale text not null default 'fr' check (locale in ('fr', 'en')),
    is_active boolean not null default true,
    failed_login_count integer not null default 0,
    locked_until timestamptz,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((role = 'partner') = (organisation_id is not null))
  )`,
  `create unique index users_email_idx on users (lower(email))`,

  `create table sessions (
    id text primary key,
    user_id uuid not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    ip text,
    user_agent text
  )`,
  `create index sessions_user_idx on sessions (user_id)`,
  `create index sessions_expires_idx on sessions (expires_at)`,

  `create table setup_tokens (
    token_hash text primary key,
    purpose text not null check (purpose in ('first_admin', 'password_reset', 'invitation')),
    user_id uuid references users (id) on delete cascade,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,

  `create table evidence_files (
    id uuid primary key default gen_random_uuid(),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    file_name text not null,
    media_type text not null,
    size_bytes bigint not null check (size_bytes >= 0),
    description text,
    organisation_id uuid references organisations (id),
    uploaded_by uuid references users (id),
    uploaded_at timestamptz not null default now()
  )`,
  `create index evidence_files_sha_idx on evidence_files (sha256)`,
  `create index evidence_files_org_idx on evidence_files (organisation_id)`,

  `create table habilitations (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id),
    certification_id uuid not null references certifications (id),
    scope text not null check (scope in ('train', 'evaluate', 'both')),
    covers_all_skill_blocks boolean not null default true,
    territory text,
    starts_on date not null,
    ends_on date,
    status text not null default 'application'
      check (status in ('application', 'review', 'active', 'under_watch', 'suspended', 'withdrawn', 'expired', 'ended')),
    conditions jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_on is null or ends_on >= starts_on)
  )`,
  `create index habilitations_org_idx on habilitations (organisation_id)`,
  `create index habilitations_certification_idx on habilitations (certification_id, status)`,

  `create table habilitation_skill_blocks (
    habilitation_id uuid not null references habilitations (id) on delete cascade,
    skill_block_id uuid not null references skill_blocks (id),
    primary key (habilitation_id, skill_block_id)
  )`,

  `create table habilitation_decisions (
    id uuid primary key default gen_random_uuid(),
    habilitation_id uuid not null references habilitations (id),
    from_status text,
    to_status text not null,
    reasons text not null,
    decided_by uuid references users (id),
    decided_at timestamptz not null default now()
  )`,
  `create index habilitation_decisions_hab_idx on habilitation_decisions (habilitation_id, decided_at)`,

  `create table conventions (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id),
    reference text not null unique,
    version integer not null default 1 check (version >= 1),
    status text not null default 'draft' check (status in ('draft', 'sent', 'signed', 'expired', 'terminated')),
    starts_on date not null,
    ends_on date,
    signed_on date,
    fee_per_candidate_cents integer check (fee_per_candidate_cents >= 0),
    annual_fee_cents integer check (annual_fee_cents >= 0),
    clauses jsonb not null default '{}',
    document_id uuid references evidence_files (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_on is null or ends_on >= starts_on),
    check (status <> 'signed' or signed_on is not null)
  )`,
  `create index conventions_org_idx on conventions (organisation_id)`,

  `create table convention_certifications (
    convention_id uuid not null references conventions (id) on delete cascade,
    certification_id uuid not null references certifications (id),
    primary key (convention_id, certification_id)
  )`,

  `create table candidates (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid references organisations (id),
    birth_name text not null,
    usage_name text,
    first_names text not null,
    sex text check (sex in ('M', 'F')),
    birth_date date,
    birth_place_code text check (birth_place_code ~ '^[0-9][0-9AB][0-9]{3}$'),
    birth_country_code text check (birth_country_code ~ '^99[0-9]{3}$'),
    email text,
    access_route text check (access_route in
      ('initial_training', 'continuing_training', 'apprenticeship', 'professionalisation_contract', 'vae', 'individual_application')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index candidates_org_idx on candidates (organisation_id)`,
  `create index candidates_identity_idx on candidates (lower(birth_name), birth_date)`,

  `create table training_sessions (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id),
    certification_id uuid not null references certifications (id),
    reference text,
    starts_on date not null,
    ends_on date not null,
    hours numeric(7, 2) check (hours >= 0),
    modality text not null check (modality in ('in_person', 'distance', 'blended')),
    site text,
    trainers text[] not null default '{}',
    funding text check (funding in ('cpf', 'apprenticeship', 'employer', 'personal', 'public', 'other')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_on >= starts_on)
  )`,
  `create index training_sessions_org_idx on training_sessions (organisation_id, starts_on)`,
  `create index training_sessions_cert_idx on training_sessions (certification_id, starts_on)`,

  `create table training_session_skill_blocks (
    training_session_id uuid not null references training_sessions (id) on delete cascade,
    skill_block_id uuid not null references skill_blocks (id),
    primary key (training_session_id, skill_block_id)
  )`,

  `create table training_enrolments (
    training_session_id uuid not null references training_sessions (id) on delete cascade,
    candidate_id uuid not null references candidates (id),
    enrolled_on date,
    primary key (training_session_id, candidate_id)
  )`,
  `create index training_enrolments_candidate_idx on training_enrolments (candidate_id)`,

  `create table assessment_sessions (
    id uuid primary key default gen_random_uuid(),
    certification_id uuid not null references certifications (id),
    organiser_id uuid references organisations (id),
    starts_at timestamptz not null,
    place text,
    modality text not null default 'in_person' check (modality in ('in_person', 'distance', 'blended')),
    status text not null default 'planned' check (status in ('planned', 'held', 'cancelled')),
    declared_at timestamptz not null default now(),
    incidents text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index assessment_sessions_cert_idx on assessment_sessions (certification_id, starts_at)`,
  `create index assessment_sessions_org_idx on assessment_sessions (organiser_id, starts_at)`,

  `create table assessment_session_candidates (
    assessment_session_id uuid not null references assessment_sessions (id) on delete cascade,
    candidate_id uuid not null references candidates (id),
    primary key (assessment_session_id, candidate_id)
  )`,

  `create table assessment_session_evaluators (
    assessment_session_id uuid not null references assessment_sessions (id) on delete cascade,
    user_id uuid not null references users (id),
    primary key (assessment_session_id, user_id)
  )`,

  `create table assessment_results (
    id uuid primary key default gen_random_uuid(),
    assessment_session_id uuid not null references assessment_sessions (id),
    candidate_id uuid not null references candidates (id),
    skill_block_id uuid references skill_blocks (id),
    assessment_task text,
    score numeric(6, 2),
    max_score numeric(6, 2),
    decision text not null check (decision in ('passed', 'failed', 'absent')),
    recorded_by uuid references users (id),
    recorded_at timestamptz not null default now(),
    check (score is null or (score >= 0 and (max_score is null or score <= max_score)))
  )`,
  `create index assessment_results_session_idx on assessment_results (assessment_session_id)`,
  `create index assessment_results_candidate_idx on assessment_results (candidate_id)`,

  `create table juries (
    id uuid primary key default gen_random_uuid(),
    certification_id uuid not null references certifications (id),
    meets_on date not null,
    place text,
    status text not null default 'planned' check (status in ('planned', 'deliberated', 'signed')),
    minutes_id uuid references evidence_files (id),
    signed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index juries_cert_idx on juries (certification_id, meets_on)`,

  `create table jury_members (
    id uuid primary key default gen_random_uuid(),
    jury_id uuid not null references juries (id) on delete cascade,
    full_name text not null,
    role text not null check (role in ('president', 'member', 'professional', 'certifier_representative')),
    user_id uuid references users (id),
    organisation_id uuid references organisations (id),
    has_conflict_of_interest boolean not null default false,
    conflict_note text
  )`,
  `create index jury_members_jury_idx on jury_members (jury_id)`,

  `create table deliberations (
    id uuid primary key default gen_random_uuid(),
    jury_id uuid not null references juries (id),
    candidate_id uuid not null references candidates (id),
    decision text not null check (decision in ('certified', 'certified_by_blocks', 'failed', 'postponed')),
    note text,
    decided_at timestamptz not null default now(),
    unique (jury_id, candidate_id)
  )`,
  `create index deliberations_candidate_idx on deliberations (candidate_id)`,

  `create table deliberation_skill_blocks (
    deliberation_id uuid not null references deliberations (id) on delete cascade,
    skill_block_id uuid not null references skill_blocks (id),
    primary key (deliberation_id, skill_block_id)
  )`,

  `create table certificates (
    id uuid primary key default gen_random_uuid(),
    number text not null unique,
    deliberation_id uuid not null references deliberations (id),
    candidate_id uuid not null references candidates (id),
    certification_id uuid not null references certifications (id),
    issued_on date not null,
    verification_code text not null unique,
    accrochage_status text not null default 'pending'
      check (accrochage_status in ('pending', 'sent', 'accepted', 'rejected')),
    accrochage_message text,
    revoked_at timestamptz,
    revocation_reason text,
    created_at timestamptz not null default now(),
    check ((revoked_at is null) = (revocation_reason is null))
  )`,
  `create index certificates_cert_idx on certificates (certification_id, issued_on)`,

  `create table controls (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in
      ('rule', 'documentary', 'on_site', 'observation', 'mystery_shop', 'communication_review', 'self_assessment')),
    rule_id text,
    title text not null,
    organisation_id uuid references organisations (id),
    certification_id uuid references certifications (id),
    status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'cancelled')),
    planned_on date,
    performed_on date,
    performed_by uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((kind = 'rule') = (rule_id is not null))
  )`,
  `create index controls_org_idx on controls (organisation_id, planned_on)`,

  `create table findings (
    id uuid primary key default gen_random_uuid(),
    control_id uuid references controls (id),
    rule_id text,
    subject_key text,
    organisation_id uuid references organisations (id),
    certification_id uuid references certifications (id),
    title text not null,
    description text,
    severity text not null check (severity in ('minor', 'major', 'critical')),
    status text not null default 'open' check (status in
      ('open', 'qualified', 'action_requested', 'action_submitted', 'verified', 'closed', 'escalated')),
    source jsonb not null default '{}',
    opened_at timestamptz not null default now(),
    closed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index findings_org_idx on findings (organisation_id, status)`,
  // A rule that finds the same thing again updates its open finding instead of opening another.
  `create unique index findings_open_rule_subject_idx on findings (rule_id, subject_key)
     where rule_id is not null and status not in ('closed')`,

  `create table corrective_actions (
    id uuid primary key default gen_random_uuid(),
    finding_id uuid not null references findings (id),
    description text not null,
    owner_name text,
    due_on date not null,
    status text not null default 'proposed' check (status in ('proposed', 'accepted', 'done', 'verified', 'rejected')),
    submitted_at timestamptz,
    verified_at timestamptz,
    verified_by uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index corrective_actions_finding_idx on corrective_actions (finding_id)`,

  `create table sanctions (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id),
    habilitation_id uuid references habilitations (id),
    level text not null check (level in ('observation', 'warning', 'reinforced_watch', 'suspension', 'withdrawal')),
    reasons text not null,
    convention_clause text,
    decided_on date not null,
    decided_by uuid references users (id),
    reply_due_on date,
    reply text,
    replied_at timestamptz,
    status text not null default 'proposed' check (status in ('proposed', 'notified', 'final', 'cancelled')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index sanctions_org_idx on sanctions (organisation_id)`,

  `create table sanction_findings (
    sanction_id uuid not null references sanctions (id) on delete cascade,
    finding_id uuid not null references findings (id),
    primary key (sanction_id, finding_id)
  )`,

  // What a piece of evidence proves: any entity can point at any file.
  `create table evidence_links (
    evidence_id uuid not null references evidence_files (id),
    entity_type text not null,
    entity_id uuid not null,
    purpose text,
    created_at timestamptz not null default now(),
    primary key (evidence_id, entity_type, entity_id)
  )`,
  `create index evidence_links_entity_idx on evidence_links (entity_type, entity_id)`,

  // Append-only, hash-chained. seq orders the chain; hash = sha256(prev_hash || canonical entry).
  `create table audit_log (
    seq bigint primary key,
    at timestamptz not null,
    actor_id uuid,
    actor_label text not null,
    action text not null,
    entity_type text not null,
    entity_id text,
    before jsonb,
    after jsonb,
    prev_hash text not null,
    hash text not null unique
  )`,
  `create index audit_log_entity_idx on audit_log (entity_type, entity_id, seq)`,
  `create function audit_log_refuse_change() returns trigger language plpgsql as $$
   begin
     raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
   end $$`,
  `create trigger audit_log_append_only before update or delete on audit_log
     for each row execute function audit_log_refuse_change()`,
  `create trigger audit_log_no_truncate before truncate on audit_log
     for each statement execute function audit_log_refuse_change()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The first migration cannot be reverted: restore a backup instead.');
}
