import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// Planned controls (audits) and the finding loop:
// - checklist templates per audit kind, whose checkpoints are tied to a requirement (France Compétences
//   expectations, the convention, a Qualiopi/RNQ indicator, the certification's référentiel, the law), with a
//   seeded set of templates a certifier can use on day one;
// - one result per checkpoint of an audit (conform / minor / major / not applicable), with the finding a
//   non-conform result raised;
// - the qualification of a finding (root cause), the request to the partner (due date and message), the
//   effectiveness check of a corrective action, the reminders and escalations of late findings;
// - when a sanction was applied to the habilitations.

const auditKinds = `('documentary', 'on_site', 'observation', 'mystery_shop', 'communication_review', 'self_assessment')`;

const statements = [
  `create table checklist_templates (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,59}$'),
    kind text not null check (kind in ${auditKinds}),
    title text not null,
    description text,
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create table checklist_checkpoints (
    id uuid primary key default gen_random_uuid(),
    template_id uuid not null references checklist_templates (id) on delete cascade,
    position integer not null check (position > 0),
    code text not null,
    question text not null,
    guidance text,
    requirement_framework text not null
      check (requirement_framework in ('france_competences', 'convention', 'rnq', 'referentiel', 'law')),
    requirement_ref text not null,
    unique (template_id, code),
    unique (template_id, position)
  )`,
  `alter table controls add column checklist_template_id uuid references checklist_templates (id)`,
  `create table checkpoint_results (
    control_id uuid not null references controls (id),
    checkpoint_id uuid not null references checklist_checkpoints (id),
    result text not null check (result in ('conform', 'minor', 'major', 'not_applicable')),
    comment text,
    finding_id uuid references findings (id),
    recorded_by uuid references users (id),
    recorded_at timestamptz not null default now(),
    primary key (control_id, checkpoint_id),
    check (result not in ('minor', 'major') or comment is not null)
  )`,
  `alter table findings add column root_cause text`,
  `alter table findings add column action_due_on date`,
  `alter table findings add column action_request text`,
  `alter table findings add column qualified_at timestamptz`,
  `alter table findings add column escalated_at timestamptz`,
  `alter table corrective_actions add column effectiveness text
     check (effectiveness is null or effectiveness in ('effective', 'ineffective'))`,
  `alter table corrective_actions add column effectiveness_note text`,
  `alter table corrective_actions add column completion_note text`,
  `create table finding_reminders (
    id uuid primary key default gen_random_uuid(),
    finding_id uuid not null references findings (id),
    kind text not null check (kind in ('reminder', 'escalation')),
    due_on date not null,
    days_late integer not null check (days_late > 0),
    channel text not null check (channel in ('mail', 'recorded')),
    recipients text not null default '',
    sent_on date not null,
    created_at timestamptz not null default now(),
    unique (finding_id, kind, sent_on)
  )`,
  `create index finding_reminders_finding_idx on finding_reminders (finding_id, sent_on)`,
  `alter table sanctions add column applied_at timestamptz`,
];

type Framework = 'france_competences' | 'convention' | 'rnq' | 'referentiel' | 'law';
type Checkpoint = [code: string, framework: Framework, ref: string, question: string, guidance: string];

interface Template {
  code: string;
  kind: string;
  title: string;
  description: string;
  checkpoints: Checkpoint[];
}

// The seeded templates: French, as auditors read them. Requirements are cited by their usual names; the
// certifier adapts them (or adds its own) to its convention's numbering.
const templates: Template[] = [
  {
    code: 'documentaire-partenaire',
    kind: 'documentary',
    title: 'Contrôle documentaire du partenaire',
    description:
      'Revue sur pièces des obligations du partenaire : habilitation, Qualiopi, programme au regard du référentiel, moyens et intervenants.',
    checkpoints: [
      [
        'DOC-01',
        'convention',
        'Convention — objet et périmètre',
        'La convention en vigueur est signée et couvre la certification et les blocs dispensés.',
        'Comparer la convention signée avec les sessions déclarées.',
      ],
      [
        'DOC-02',
        'rnq',
        'RNQ indicateur 7',
        'Le programme de formation couvre toutes les compétences du référentiel (tableau croisé programme / référentiel).',
        'Demander le tableau de correspondance et l’échantillonner.',
      ],
      [
        'DOC-03',
        'rnq',
        'RNQ indicateur 21',
        'Les formateurs et évaluateurs ont les qualifications exigées par la convention (CV, diplômes, expérience).',
        'Vérifier au moins trois dossiers d’intervenants.',
      ],
      [
        'DOC-04',
        'law',
        'Code du travail L6316-1 (Qualiopi)',
        'Le certificat Qualiopi est valide pour les actions de formation financées par le CPF.',
        'Contrôler sur la liste publique des organismes de formation.',
      ],
      [
        'DOC-05',
        'rnq',
        'RNQ indicateur 8',
        'Une procédure de positionnement à l’entrée vérifie les prérequis de la certification.',
        '',
      ],
      [
        'DOC-06',
        'rnq',
        'RNQ indicateur 17',
        'Les moyens humains et techniques déclarés à l’habilitation sont toujours en place.',
        '',
      ],
      [
        'DOC-07',
        'rnq',
        'RNQ indicateur 27',
        'En cas de sous-traitance, le sous-traitant respecte le référentiel national qualité.',
        'Seule une non-conformité majeure peut être relevée sur cet indicateur.',
      ],
      [
        'DOC-08',
        'referentiel',
        'Référentiel — durées',
        'Les durées de formation respectent les minimums et maximums fixés pour la certification.',
        '',
      ],
    ],
  },
  {
    code: 'visite-sur-site',
    kind: 'on_site',
    title: 'Audit sur site',
    description: 'Visite dans les locaux du partenaire pendant une session de formation.',
    checkpoints: [
      [
        'SITE-01',
        'rnq',
        'RNQ indicateur 17',
        'Les locaux et équipements correspondent à ceux déclarés et permettent d’atteindre les objectifs.',
        'Photographier les salles et plateaux techniques.',
      ],
      [
        'SITE-02',
        'rnq',
        'RNQ indicateur 26',
        'L’accueil des personnes en situation de handicap est organisé (référent, adaptations).',
        '',
      ],
      [
        'SITE-03',
        'convention',
        'Convention — effectifs',
        'L’effectif du groupe respecte le nombre maximal d’apprenants par formateur.',
        'Compter les présents et comparer à la feuille d’émargement.',
      ],
      [
        'SITE-04',
        'rnq',
        'RNQ indicateur 9',
        'Les feuilles d’émargement sont tenues par demi-journée et signées.',
        '',
      ],
      [
        'SITE-05',
        'rnq',
        'RNQ indicateur 19',
        'Les ressources pédagogiques sont à jour de la version en vigueur du référentiel.',
        '',
      ],
      [
        'SITE-06',
        'rnq',
        'RNQ indicateur 31',
        'Les réclamations des apprenants sont recueillies et traitées.',
        'Demander le registre des réclamations.',
      ],
      [
        'SITE-07',
        'france_competences',
        'France Compétences — contrôle des partenaires',
        'Le partenaire présente à l’auditeur les preuves demandées sans délai.',
        '',
      ],
    ],
  },
  {
    code: 'observation-examen',
    kind: 'observation',
    title: 'Observation d’une session d’examen',
    description:
      'Présence, annoncée ou non, lors d’une session d’évaluation organisée par le partenaire au nom du certificateur.',
    checkpoints: [
      [
        'EXAM-01',
        'rnq',
        'RNQ indicateur 16',
        'Les conditions de présentation à la certification respectent le règlement du certificateur.',
        '',
      ],
      [
        'EXAM-02',
        'convention',
        'Convention — obligations d’évaluation',
        'L’identité de chaque candidat est vérifiée sur pièce avant l’épreuve.',
        '',
      ],
      [
        'EXAM-03',
        'referentiel',
        'Référentiel d’évaluation',
        'Les épreuves, leurs durées et leurs critères sont ceux du référentiel d’évaluation.',
        'Comparer les sujets et grilles utilisés à la version en vigueur.',
      ],
      [
        'EXAM-04',
        'convention',
        'Convention — composition du jury',
        'Les évaluateurs n’ont pas formé les candidats qu’ils évaluent (absence de conflit d’intérêts).',
        '',
      ],
      [
        'EXAM-05',
        'france_competences',
        'France Compétences — note sur l’évaluation',
        'Les sujets et copies sont conservés de façon sécurisée et transmis au certificateur.',
        '',
      ],
      [
        'EXAM-06',
        'convention',
        'Convention — transmission des résultats',
        'Le procès-verbal de session est établi et signé le jour même.',
        '',
      ],
    ],
  },
  {
    code: 'client-mystere',
    kind: 'mystery_shop',
    title: 'Client mystère',
    description: 'Démarche anonyme d’un faux candidat auprès du partenaire (appel, courriel, rendez-vous).',
    checkpoints: [
      [
        'MYST-01',
        'law',
        'Loi 2022-1587 — démarchage CPF',
        'Aucune sollicitation non consentie n’est faite pour une formation finançable par le CPF.',
        '',
      ],
      [
        'MYST-02',
        'rnq',
        'RNQ indicateur 1',
        'L’information donnée (prérequis, durée, prix, modalités d’évaluation) est exacte et complète.',
        '',
      ],
      [
        'MYST-03',
        'convention',
        'Convention — communication',
        'La certification est présentée sous son intitulé exact, avec son code RNCP/RS et le nom du certificateur.',
        '',
      ],
      [
        'MYST-04',
        'rnq',
        'RNQ indicateur 3',
        'Les taux d’obtention annoncés sont ceux publiés et cohérents avec les données du certificateur.',
        '',
      ],
      [
        'MYST-05',
        'law',
        'Code de la consommation — pratiques commerciales',
        'Aucune promesse de réussite ni d’avantage indu n’est faite au candidat.',
        '',
      ],
    ],
  },
  {
    code: 'revue-communication',
    kind: 'communication_review',
    title: 'Revue de la communication',
    description: 'Revue du site web, des offres CPF et des supports commerciaux du partenaire.',
    checkpoints: [
      [
        'COM-01',
        'convention',
        'Convention — communication',
        'Le nom du certificateur, l’intitulé exact et le code RNCP/RS figurent sur chaque offre.',
        'Capturer les pages consultées et les joindre en preuve.',
      ],
      [
        'COM-02',
        'france_competences',
        'France Compétences — niveaux de qualification',
        'Aucun intitulé interdit (« Bac+3 », « Mastère ») n’est employé pour un titre RNCP : seul le niveau est cité.',
        '',
      ],
      [
        'COM-03',
        'rnq',
        'RNQ indicateur 3',
        'Les taux d’obtention publiés sont à jour et correspondent aux résultats enregistrés par le certificateur.',
        '',
      ],
      [
        'COM-04',
        'rnq',
        'RNQ indicateur 1',
        'La date d’enregistrement de la certification et les blocs sont indiqués.',
        '',
      ],
      [
        'COM-05',
        'convention',
        'Convention — habilitation',
        'Le partenaire ne communique que sur les certifications et blocs pour lesquels il est habilité.',
        '',
      ],
      [
        'COM-06',
        'law',
        'Code du travail L6323-8-1 (offres CPF)',
        'Les offres CPF du partenaire correspondent à son habilitation et au SIRET déclaré.',
        '',
      ],
    ],
  },
  {
    code: 'auto-evaluation',
    kind: 'self_assessment',
    title: 'Auto-évaluation annuelle du partenaire',
    description: 'Questionnaire rempli par le partenaire, revu par le certificateur.',
    checkpoints: [
      [
        'AUTO-01',
        'rnq',
        'RNQ indicateur 23',
        'Le partenaire assure une veille sur les évolutions du référentiel de la certification.',
        '',
      ],
      [
        'AUTO-02',
        'rnq',
        'RNQ indicateur 22',
        'Les intervenants ont suivi une action de développement de leurs compétences dans l’année.',
        '',
      ],
      [
        'AUTO-03',
        'rnq',
        'RNQ indicateur 30',
        'Les appréciations des apprenants sont recueillies et analysées.',
        '',
      ],
      [
        'AUTO-04',
        'rnq',
        'RNQ indicateur 32',
        'Les actions d’amélioration issues des contrôles précédents sont mises en œuvre.',
        '',
      ],
      [
        'AUTO-05',
        'convention',
        'Convention — suivi des candidats',
        'Les données des candidats nécessaires à l’accrochage sont transmises au certificateur dans les délais.',
        '',
      ],
    ],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
  for (const t of templates) {
    const { id } = await db
      .insertInto('checklist_templates')
      .values({ code: t.code, kind: t.kind, title: t.title, description: t.description })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('checklist_checkpoints')
      .values(
        t.checkpoints.map(([code, framework, ref, question, guidance], i) => ({
          template_id: id,
          position: i + 1,
          code,
          requirement_framework: framework,
          requirement_ref: ref,
          question,
          guidance: guidance || null,
        })),
      )
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'alter table sanctions drop column applied_at',
    'drop table finding_reminders',
    'alter table corrective_actions drop column completion_note',
    'alter table corrective_actions drop column effectiveness_note',
    'alter table corrective_actions drop column effectiveness',
    'alter table findings drop column escalated_at',
    'alter table findings drop column qualified_at',
    'alter table findings drop column action_request',
    'alter table findings drop column action_due_on',
    'alter table findings drop column root_cause',
    'drop table checkpoint_results',
    'alter table controls drop column checklist_template_id',
    'drop table checklist_checkpoints',
    'drop table checklist_templates',
  ])
    await sql.raw(statement).execute(db);
}
