import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// What the public verification page (`/verify/:code`) shows of a certificate's holder: initials unless the
// holder agreed to show the full name (issue #5, item 4). The consent is recorded by certifier staff with how
// it was given; without it nothing changes for certificates issued before this migration (initials).

const statements = [
  `alter table certificates
    add column disclosure text not null default 'initials' check (disclosure in ('initials', 'full_name')),
    add column disclosure_consent text,
    add column disclosure_changed_at timestamptz`,
  // Showing the full name needs the holder's consent, and says how it was given.
  `alter table certificates add constraint certificates_disclosure_consent_check
    check (disclosure = 'initials' or (disclosure_consent is not null and length(trim(disclosure_consent)) > 0))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      'alter table certificates drop constraint certificates_disclosure_consent_check, drop column disclosure_changed_at, drop column disclosure_consent, drop column disclosure',
    )
    .execute(db);
}
