import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Invitations by e-mail link and requests to partners (the partner portal). An invitation is one link:
// only the SHA-256 of its token is kept; sending it again makes a new invitation that replaces the old one,
// so an old link can still be recognised (and answered "replaced") without being usable. A request to a
// partner ("demande") keeps its whole exchange as events: asked, answered (with evidence files), accepted,
// asked again.

const statements = [
  `create table invitations (
    id uuid primary key default gen_random_uuid(),
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    user_id uuid not null references users (id) on delete cascade,
    email text not null,
    role text not null check (role in ('admin', 'quality_manager', 'auditor', 'evaluator', 'partner', 'read_only')),
    organisation_id uuid references organisations (id),
    invited_by uuid references users (id),
    invited_by_label text not null,
    expires_at timestamptz not null,
    mailed_at timestamptz,
    mail_error text,
    accepted_at timestamptz,
    revoked_at timestamptz,
    revoked_by uuid references users (id),
    replaced_at timestamptz,
    replaced_by uuid references invitations (id),
    created_at timestamptz not null default now(),
    check ((role = 'partner') = (organisation_id is not null)),
    check ((accepted_at is not null)::int + (revoked_at is not null)::int + (replaced_at is not null)::int <= 1)
  )`,
  `create index invitations_user_idx on invitations (user_id, created_at)`,
  `create index invitations_org_idx on invitations (organisation_id, created_at)`,

  `create table partner_requests (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations (id),
    kind text not null check (kind in ('documents', 'information')),
    title text not null check (length(title) between 1 and 300),
    body text not null check (length(body) between 1 and 10000),
    due_on date not null,
    habilitation_id uuid references habilitations (id),
    convention_id uuid references conventions (id),
    finding_id uuid references findings (id),
    status text not null default 'open' check (status in ('open', 'answered', 'accepted', 'reopened')),
    created_by uuid references users (id),
    created_at timestamptz not null default now(),
    answered_at timestamptz,
    accepted_at timestamptz,
    updated_at timestamptz not null default now()
  )`,
  `create index partner_requests_org_idx on partner_requests (organisation_id, status, due_on)`,
  `create index partner_requests_due_idx on partner_requests (status, due_on)`,

  `create table partner_request_events (
    id uuid primary key default gen_random_uuid(),
    request_id uuid not null references partner_requests (id) on delete cascade,
    kind text not null check (kind in ('created', 'answered', 'accepted', 'reopened')),
    message text,
    due_on date,
    evidence_ids uuid[] not null default '{}',
    author_id uuid references users (id),
    author_label text not null,
    at timestamptz not null default now()
  )`,
  `create index partner_request_events_request_idx on partner_request_events (request_id, at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table partner_request_events').execute(db);
  await sql.raw('drop table partner_requests').execute(db);
  await sql.raw('drop table invitations').execute(db);
}
