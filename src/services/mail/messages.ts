import type { Role } from '../../core/access/policy.js';
import type { MailMessage } from './mailer.js';

/** The languages Habilis writes mail in: French by default, English on request (the user's locale). */
export type MailLocale = 'fr' | 'en';

const roleLabels: Record<MailLocale, Record<Role, string>> = {
  fr: {
    admin: 'administrateur',
    quality_manager: 'responsable qualité',
    auditor: 'auditeur',
    evaluator: 'évaluateur',
    partner: 'partenaire',
    read_only: 'lecture seule',
  },
  en: {
    admin: 'administrator',
    quality_manager: 'quality manager',
    auditor: 'auditor',
    evaluator: 'evaluator',
    partner: 'partner',
    read_only: 'read-only',
  },
};

/** A date and time as the recipient reads it, in Paris time (the certifier's legal time). */
function formatWhen(at: Date, locale: MailLocale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(at);
}

function formatDay(isoDate: string, locale: MailLocale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${isoDate}T00:00:00Z`));
}

const signature: Record<MailLocale, string> = {
  fr: '—\nCe message a été envoyé automatiquement par Habilis. Merci de ne pas y répondre.',
  en: '—\nThis message was sent automatically by Habilis. Please do not reply to it.',
};

export interface InvitationMail {
  to: string;
  displayName: string;
  role: Role;
  /** The partner organisation the person joins, for a partner user. */
  organisationName: string | null;
  certifierName: string | null;
  invitedBy: string;
  link: string;
  expiresAt: Date;
}

/** The invitation to choose a password: who invites, for which organisation and role, until when. */
export function invitationMessage(locale: MailLocale, m: InvitationMail): MailMessage {
  const role = roleLabels[locale][m.role];
  const named = m.certifierName;
  if (locale === 'en') {
    const certifier = named ?? 'the certifier';
    return {
      to: m.to,
      subject: named
        ? `${named}: your Habilis account is waiting for you`
        : 'Your Habilis account is waiting for you',
      link: m.link,
      text: [
        `Hello ${m.displayName},`,
        '',
        m.organisationName
          ? `${m.invitedBy} invites you to the partner area of ${certifier} for ${m.organisationName}.`
          : `${m.invitedBy} invites you to Habilis, ${named ? `${named}'s` : 'the certifier’s'} quality system, as ${role}.`,
        'To activate your account, open this link and choose your password:',
        '',
        m.link,
        '',
        `The link works once and until ${formatWhen(m.expiresAt, locale)} (Paris time).`,
        'If it has expired, ask your contact at the certifier to send it again.',
        'If you were not expecting this message, ignore it: no account is opened without this link.',
        '',
        signature.en,
      ].join('\n'),
    };
  }
  const certifier = named ?? 'l’organisme certificateur';
  return {
    to: m.to,
    subject: named ? `${named} : votre compte Habilis vous attend` : 'Votre compte Habilis vous attend',
    link: m.link,
    text: [
      `Bonjour ${m.displayName},`,
      '',
      m.organisationName
        ? `${m.invitedBy} vous invite à rejoindre l’espace partenaire de ${certifier} pour ${m.organisationName}.`
        : `${m.invitedBy} vous invite à rejoindre Habilis, le système qualité de ${certifier}, avec le rôle ${role}.`,
      'Pour activer votre compte, ouvrez ce lien et choisissez votre mot de passe :',
      '',
      m.link,
      '',
      `Ce lien ne sert qu’une fois et reste valable jusqu’au ${formatWhen(m.expiresAt, locale)} (heure de Paris).`,
      'S’il a expiré, demandez à votre interlocuteur chez le certificateur de vous le renvoyer.',
      'Si vous n’attendiez pas ce message, ignorez-le : aucun compte n’est ouvert sans ce lien.',
      '',
      signature.fr,
    ].join('\n'),
  };
}

export type RequestMailEvent = 'created' | 'answered' | 'accepted' | 'reopened';

export interface RequestMail {
  to: string;
  displayName: string;
  event: RequestMailEvent;
  title: string;
  organisationName: string;
  dueOn: string;
  /** The request's message, the partner's answer, or the reasons for asking again. */
  message: string | null;
  link: string;
}

/** A request to a partner and what happens to it: asked, answered, accepted, asked again. */
export function requestMessage(locale: MailLocale, m: RequestMail): MailMessage {
  const due = formatDay(m.dueOn, locale);
  const quoted = m.message ? ['', ...m.message.split('\n').map((l) => `> ${l}`), ''] : [''];
  if (locale === 'en') {
    const subject = {
      created: `New request: ${m.title}`,
      answered: `${m.organisationName} answered: ${m.title}`,
      accepted: `Answer accepted: ${m.title}`,
      reopened: `Request asked again: ${m.title}`,
    }[m.event];
    const lead = {
      created: `The certifier asks ${m.organisationName} for the following, by ${due}:`,
      answered: `${m.organisationName} answered the request “${m.title}”:`,
      accepted: `The certifier accepted ${m.organisationName}'s answer to “${m.title}”. Nothing more is expected.`,
      reopened: `The certifier asks ${m.organisationName} again about “${m.title}”, by ${due}:`,
    }[m.event];
    return {
      to: m.to,
      subject,
      link: m.link,
      text: [
        `Hello ${m.displayName},`,
        '',
        lead,
        ...quoted,
        `Open it in Habilis: ${m.link}`,
        '',
        signature.en,
      ].join('\n'),
    };
  }
  const subject = {
    created: `Nouvelle demande : ${m.title}`,
    answered: `Réponse de ${m.organisationName} : ${m.title}`,
    accepted: `Réponse acceptée : ${m.title}`,
    reopened: `Demande relancée : ${m.title}`,
  }[m.event];
  const lead = {
    created: `Le certificateur demande à ${m.organisationName} ce qui suit, pour le ${due} :`,
    answered: `${m.organisationName} a répondu à la demande « ${m.title} » :`,
    accepted: `Le certificateur a accepté la réponse de ${m.organisationName} à « ${m.title} ». Rien d’autre n’est attendu.`,
    reopened: `Le certificateur relance ${m.organisationName} au sujet de « ${m.title} », pour le ${due} :`,
  }[m.event];
  return {
    to: m.to,
    subject,
    link: m.link,
    text: [
      `Bonjour ${m.displayName},`,
      '',
      lead,
      ...quoted,
      `Pour la consulter dans Habilis : ${m.link}`,
      '',
      signature.fr,
    ].join('\n'),
  };
}
