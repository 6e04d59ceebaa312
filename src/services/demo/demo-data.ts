/** The vocabulary of the demo network: made-up but plausible French training providers and people. */

export const DEMO_CERTIFIER = {
  name: 'Certif’Avenir (démonstration)',
  siret: '81234567800018',
  nda: '11755999999',
  address: '12 rue des Compétences, 75011 Paris',
};

export interface DemoCertification {
  code: string;
  register: 'RNCP' | 'RS';
  title: string;
  level: string | null;
  blocks: { title: string; competences: string; assessmentRules: string }[];
}

// Codes in a range France Compétences has not used, so the demo can never be mistaken for a real fiche.
export const DEMO_CERTIFICATIONS: DemoCertification[] = [
  {
    code: 'RNCP99101',
    register: 'RNCP',
    title: 'Chargé d’accompagnement social et professionnel',
    level: 'NIV5',
    blocks: [
      {
        title: 'Accueillir et diagnostiquer la situation d’une personne',
        competences: 'Conduire un entretien de diagnostic ; identifier les freins périphériques à l’emploi.',
        assessmentRules: 'Mise en situation professionnelle reconstituée (45 min) et entretien avec le jury.',
      },
      {
        title: 'Construire et suivre un parcours d’insertion',
        competences: 'Élaborer un plan d’action ; mobiliser les partenaires du territoire.',
        assessmentRules: 'Dossier professionnel écrit et soutenance orale (30 min).',
      },
      {
        title: 'Développer un réseau d’entreprises partenaires',
        competences: 'Prospecter des employeurs ; organiser des périodes de mise en situation.',
        assessmentRules: 'Étude de cas écrite (2 h).',
      },
    ],
  },
  {
    code: 'RNCP99102',
    register: 'RNCP',
    title: 'Responsable du développement commercial',
    level: 'NIV6',
    blocks: [
      {
        title: 'Élaborer une stratégie commerciale',
        competences: 'Analyser un marché ; définir des objectifs et un plan d’action commercial.',
        assessmentRules: 'Étude de cas écrite (3 h) notée sur 20.',
      },
      {
        title: 'Piloter une équipe commerciale',
        competences: 'Recruter, animer et évaluer une équipe ; conduire des entretiens individuels.',
        assessmentRules: 'Mise en situation de management (1 h) devant le jury.',
      },
      {
        title: 'Négocier et conclure des affaires',
        competences: 'Conduire une négociation complexe ; sécuriser la relation contractuelle.',
        assessmentRules: 'Jeu de rôle de négociation (40 min) et questionnement.',
      },
      {
        title: 'Mesurer la performance commerciale',
        competences: 'Construire des tableaux de bord ; proposer des actions correctives.',
        assessmentRules: 'Dossier d’analyse de performance et soutenance (30 min).',
      },
    ],
  },
  {
    code: 'RS99103',
    register: 'RS',
    title: 'Accompagner les usagers dans leurs démarches numériques',
    level: null,
    blocks: [
      {
        title: 'Accompagner les démarches en ligne',
        competences: 'Guider un usager dans une démarche administrative dématérialisée en sécurité.',
        assessmentRules: 'Mise en situation observée (30 min) avec grille critériée.',
      },
    ],
  },
];

export const CITIES: { city: string; postalCode: string; region: string; nda: string }[] = [
  { city: 'Paris', postalCode: '75010', region: 'Île-de-France', nda: '11' },
  { city: 'Lyon', postalCode: '69003', region: 'Auvergne-Rhône-Alpes', nda: '84' },
  { city: 'Marseille', postalCode: '13006', region: 'Provence-Alpes-Côte d’Azur', nda: '93' },
  { city: 'Toulouse', postalCode: '31000', region: 'Occitanie', nda: '76' },
  { city: 'Lille', postalCode: '59000', region: 'Hauts-de-France', nda: '32' },
  { city: 'Nantes', postalCode: '44000', region: 'Pays de la Loire', nda: '52' },
  { city: 'Bordeaux', postalCode: '33000', region: 'Nouvelle-Aquitaine', nda: '75' },
  { city: 'Strasbourg', postalCode: '67000', region: 'Grand Est', nda: '44' },
  { city: 'Rennes', postalCode: '35000', region: 'Bretagne', nda: '53' },
  { city: 'Dijon', postalCode: '21000', region: 'Bourgogne-Franche-Comté', nda: '27' },
  { city: 'Rouen', postalCode: '76000', region: 'Normandie', nda: '28' },
  { city: 'Orléans', postalCode: '45000', region: 'Centre-Val de Loire', nda: '24' },
];

export const ORGANISATION_PREFIXES = [
  'Institut',
  'Académie',
  'Centre de formation',
  'École',
  'Atelier',
  'Campus',
  'Organisme',
  'Cabinet',
];
export const ORGANISATION_THEMES = [
  'Horizon Compétences',
  'Avenir Pro',
  'Trajectoires',
  'Les Passerelles',
  'Cap Emploi Formation',
  'Savoirs & Métiers',
  'Nouvel Élan',
  'Parcours Plus',
  'Alternance Conseil',
  'Rive Gauche Formation',
  'Talents du Territoire',
  'Impulsion',
];

export const FIRST_NAMES = {
  F: [
    'Camille',
    'Léa',
    'Manon',
    'Chloé',
    'Inès',
    'Sarah',
    'Julie',
    'Émilie',
    'Nadia',
    'Fatou',
    'Claire',
    'Sophie',
  ],
  M: [
    'Lucas',
    'Hugo',
    'Thomas',
    'Nicolas',
    'Karim',
    'Mamadou',
    'Julien',
    'Antoine',
    'Maxime',
    'Yanis',
    'Pierre',
    'Théo',
  ],
} as const;

export const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Durand',
  'Lefebvre',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Garcia',
  'Roux',
  'Fournier',
  'Benali',
  'Diallo',
  'Nguyen',
  'Lambert',
  'Bonnet',
  'Mercier',
  'Girard',
  'Faure',
];

/** INSEE codes of birth communes (a few big cities) and of foreign birth countries (99xxx). */
export const BIRTH_PLACES = [
  '75056',
  '69123',
  '13055',
  '31555',
  '59350',
  '44109',
  '33063',
  '67482',
  '35238',
  '2A004',
];
export const BIRTH_COUNTRIES = ['99350', '99351', '99352', '99134', '99139'];
