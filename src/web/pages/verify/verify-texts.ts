/**
 * The texts of the public verification page. Kept with the page (French first, English available): the page
 * is reached from a printed certificate, by people who never use the rest of the app.
 */
export const verifyTexts = {
  fr: {
    title: 'Vérification d’un certificat',
    intro: 'Cette page confirme qu’un certificat a bien été délivré, à partir du code imprimé dessus.',
    loading: 'Vérification en cours…',
    valid: 'Certificat valide',
    revoked: 'Certificat révoqué',
    revokedText: 'Ce certificat a été retiré par l’organisme certificateur : il ne doit plus être accepté.',
    notFound: 'Aucun certificat ne correspond à ce code. Vérifiez qu’il est recopié sans erreur.',
    failed: 'La vérification n’a pas pu aboutir. Réessayez dans un moment.',
    number: 'Numéro',
    holder: 'Titulaire',
    certification: 'Certification',
    issuedOn: 'Délivré le',
    blocks: 'Blocs de compétences validés',
    code: 'Code vérifié',
  },
  en: {
    title: 'Certificate check',
    intro: 'This page confirms that a certificate was issued, from the code printed on it.',
    loading: 'Checking…',
    valid: 'Valid certificate',
    revoked: 'Revoked certificate',
    revokedText: 'The certifier has withdrawn this certificate: it must no longer be accepted.',
    notFound: 'No certificate matches this code. Check that it was copied without mistakes.',
    failed: 'The check could not be completed. Try again in a moment.',
    number: 'Number',
    holder: 'Holder',
    certification: 'Certification',
    issuedOn: 'Issued on',
    blocks: 'Skill blocks validated',
    code: 'Code checked',
  },
} as const;

export type VerifyTexts = Record<keyof (typeof verifyTexts)['fr'], string>;

/** The texts in the UI language; French unless English is chosen. */
export const verifyTextsFor = (language: string | undefined): VerifyTexts =>
  language?.startsWith('en') ? verifyTexts.en : verifyTexts.fr;
