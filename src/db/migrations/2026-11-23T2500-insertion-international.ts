import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// France Compétences leaves work outside the French labour market out of both insertion rates, except for
// occupations that are international by nature (regulation.md §5.4). A campaign says whether the targeted
// occupation is one (`international_occupation`), and a holder working abroad now says whether it is in the
// targeted occupation (`abroad_target`) or another one (`abroad`): for an international occupation the first
// counts as employed in it, otherwise both stay out of the rates.

const statements = [
  `alter table insertion_surveys add column international_occupation boolean not null default false`,
  `alter table insertion_survey_responses drop constraint insertion_survey_responses_situation_check`,
  `alter table insertion_survey_responses add constraint insertion_survey_responses_situation_check
    check (situation in (
      'employed_target', 'employed_other', 'job_seeking', 'inactive',
      'further_studies', 'alternance', 'unable_to_work', 'abroad_target', 'abroad'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
