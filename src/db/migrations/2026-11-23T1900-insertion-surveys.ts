import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Insertion surveys of certification holders (France Compétences: insertion in the targeted occupation and
// in any job, at 6 months and at 2 years): a campaign per certification, horizon and cohort (the year the
// certificates were issued), one invitation per holder reached by e-mail (the link's token stored as its
// SHA-256 only), one answer per invitation.
// Also the reports' settings: the certifier's logo (PNG or JPEG, kept in the content-addressed file store).

const statements = [
  `create table insertion_surveys (
    id uuid primary key default gen_random_uuid(),
    certification_id uuid not null references certifications (id),
    horizon text not null check (horizon in ('6_months', '2_years')),
    cohort_year integer not null check (cohort_year between 2000 and 2100),
    closes_on date not null,
    created_by uuid references users (id),
    created_at timestamptz not null default now(),
    unique (certification_id, horizon, cohort_year)
  )`,
  `create table insertion_survey_invitations (
    id uuid primary key default gen_random_uuid(),
    survey_id uuid not null references insertion_surveys (id),
    certificate_id uuid not null references certificates (id),
    email text not null,
    token_hash text not null unique,
    mailed_at timestamptz,
    mail_error text,
    created_at timestamptz not null default now(),
    unique (survey_id, certificate_id)
  )`,
  `create table insertion_survey_responses (
    invitation_id uuid primary key references insertion_survey_invitations (id),
    situation text not null check (situation in (
      'employed_target', 'employed_other', 'job_seeking', 'inactive',
      'further_studies', 'alternance', 'unable_to_work', 'abroad')),
    answered_at timestamptz not null default now()
  )`,
  `create table report_settings (
    id integer primary key default 1 check (id = 1),
    logo_sha256 text check (logo_sha256 ~ '^[0-9a-f]{64}$'),
    logo_media_type text check (logo_media_type in ('image/png', 'image/jpeg')),
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'report_settings',
    'insertion_survey_responses',
    'insertion_survey_invitations',
    'insertion_surveys',
  ])
    await sql.raw(`drop table ${table}`).execute(db);
}
