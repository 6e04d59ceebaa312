import type { LabelLanguage as MailLanguage } from '../core/labels/code-labels.js';
import type { MailMessage } from './mail/mailer.js';

/** What an insertion survey invitation says, in the holder's language (French unless known to be English). */
export interface SurveyMailFacts {
  to: string;
  language: MailLanguage;
  certifierName: string | null;
  certificationTitle: string;
  certificationCode: string;
  horizon: '6_months' | '2_years';
  /** `YYYY-MM-DD`: the last day the link takes an answer. */
  closesOn: string;
  link: string;
}

const horizonText = {
  fr: { '6_months': '6 mois', '2_years': '2 ans' },
  en: { '6_months': '6 months', '2_years': '2 years' },
} as const;

const day = (iso: string, language: MailLanguage) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));

/** The invitation to one holder: one question, a personal link, the closing date. */
export function surveyMail(f: SurveyMailFacts): MailMessage {
  const horizon = horizonText[f.language][f.horizon];
  if (f.language === 'en')
    return {
      to: f.to,
      subject: `${f.certificationTitle}: your situation ${horizon} after the certification`,
      text: [
        'Hello,',
        '',
        `${f.certifierName ?? 'The certifier'} measures the employment of the holders of the certification "${f.certificationTitle}" (${f.certificationCode}), as France Compétences requires.`,
        'One question, less than a minute:',
        f.link,
        '',
        `The link is personal and stays open until ${day(f.closesOn, 'en')}. Thank you for your help.`,
      ].join('\n'),
      link: f.link,
    };
  return {
    to: f.to,
    subject: `${f.certificationTitle} : votre situation ${horizon} après la certification`,
    text: [
      'Bonjour,',
      '',
      `${f.certifierName ?? 'Le certificateur'} mesure l’insertion professionnelle des titulaires de la certification « ${f.certificationTitle} » (${f.certificationCode}), comme le demande France Compétences.`,
      'Une seule question, moins d’une minute :',
      f.link,
      '',
      `Le lien est personnel et reste ouvert jusqu’au ${day(f.closesOn, 'fr')}. Merci de votre aide.`,
    ].join('\n'),
    link: f.link,
  };
}
