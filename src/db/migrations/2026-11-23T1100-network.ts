import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The partner network (certifications, habilitations, conventions, evidence) needs two more facts about
// conventions: the day a termination takes effect and why, and a way to find quickly which conventions
// cover a certification (checked on every habilitation that becomes active).

const statements = [
  `alter table conventions add column terminated_on date`,
  `alter table conventions add column termination_reasons text`,
  `alter table conventions add constraint conventions_termination_check
     check (status <> 'terminated' or (terminated_on is not null and termination_reasons is not null))`,
  `create index convention_certifications_cert_idx on convention_certifications (certification_id)`,
  `create index habilitation_skill_blocks_block_idx on habilitation_skill_blocks (skill_block_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop index habilitation_skill_blocks_block_idx').execute(db);
  await sql.raw('drop index convention_certifications_cert_idx').execute(db);
  await sql.raw('alter table conventions drop constraint conventions_termination_check').execute(db);
  await sql.raw('alter table conventions drop column termination_reasons').execute(db);
  await sql.raw('alter table conventions drop column terminated_on').execute(db);
}
