import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The plan de contrôle (glossary: `controlPlan`): the audits of a year, proposed from the partners' risk
// scores, adjusted by the quality manager while a draft, then committed (each kept entry becomes a planned
// control). One plan per year. Entries keep the risk score and the reason they were proposed with, so the
// plan stays explainable after the scores move. Plus the indexes the automated controls and the risk score
// need on large networks.

const auditKinds = `('documentary', 'on_site', 'observation', 'mystery_shop', 'communication_review', 'self_assessment')`;

const statements = [
  `create table control_plans (
    id uuid primary key default gen_random_uuid(),
    year integer not null unique check (year between 2000 and 2100),
    status text not null default 'draft' check (status in ('draft', 'committed')),
    -- The day the proposal was computed for, and the parameters it used (weights, thresholds, frequencies).
    proposed_on date not null,
    parameters jsonb not null default '{}',
    committed_at timestamptz,
    committed_by uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((status = 'committed') = (committed_at is not null))
  )`,

  `create table control_plan_entries (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references control_plans (id) on delete cascade,
    organisation_id uuid not null references organisations (id),
    kind text not null check (kind in ${auditKinds}),
    depth text not null check (depth in ('light', 'standard', 'reinforced')),
    planned_on date not null,
    -- proposed: computed by Habilis; added: by the quality manager. removed: kept for the history, not committed.
    origin text not null check (origin in ('proposed', 'added')),
    removed boolean not null default false,
    risk_score numeric(5, 1),
    risk_level text check (risk_level in ('low', 'medium', 'high')),
    reason text not null check (length(reason) between 1 and 1000),
    note text check (note is null or length(note) between 1 and 1000),
    -- The planned control created when the plan was committed.
    control_id uuid references controls (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index control_plan_entries_plan_idx on control_plan_entries (plan_id, planned_on, id)`,
  `create index control_plan_entries_org_idx on control_plan_entries (organisation_id)`,

  // Audits done per partner (risk score: time since the last audit; plan: audited in the period).
  `create index controls_org_kind_idx on controls (organisation_id, kind, status, performed_on) where kind <> 'rule'`,
  // The registry rule (registry.not_declared) looks declarations up by fiche and SIRET.
  `create index fc_declared_partners_fiche_siret_idx on fc_declared_partners (fiche_code, siret)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop index fc_declared_partners_fiche_siret_idx',
    'drop index controls_org_kind_idx',
    'drop table control_plan_entries',
    'drop table control_plans',
  ])
    await sql.raw(statement).execute(db);
}
