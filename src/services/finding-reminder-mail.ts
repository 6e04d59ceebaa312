import type { MailMessage } from './mail/mailer.js';

/** What a reminder e-mail says, in the recipient's language (French unless the user chose English). */
export interface ReminderMailFacts {
  to: string;
  locale: string;
  kind: 'reminder' | 'escalation';
  title: string;
  dueOn: string;
  daysLate: number;
  link: string;
}

const day = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

/** The reminder (or escalation notice) of a late finding, sent to one of the partner's users. */
export function reminderMail(f: ReminderMailFacts): MailMessage {
  if (f.locale === 'en') {
    const subject =
      f.kind === 'escalation'
        ? `Finding escalated: ${f.title}`
        : `Reminder: corrective action expected — ${f.title}`;
    const text = [
      `The corrective action expected on the finding "${f.title}" was due on ${day(f.dueOn, 'en')} (${f.daysLate} days ago).`,
      f.kind === 'escalation'
        ? 'The finding has been escalated to the quality manager, who will decide what follows.'
        : 'Please propose your action plan, or report it done with its evidence, on the finding page:',
      f.link,
    ].join('\n\n');
    return { to: f.to, subject, text, link: f.link };
  }
  const subject =
    f.kind === 'escalation'
      ? `Constat escaladé : ${f.title}`
      : `Relance : action corrective attendue — ${f.title}`;
  const text = [
    `L’action corrective attendue sur le constat « ${f.title} » devait être traitée au plus tard le ${day(f.dueOn, 'fr')} (il y a ${f.daysLate} jour(s)).`,
    f.kind === 'escalation'
      ? 'Le constat a été transmis au responsable qualité, qui décidera de la suite à donner.'
      : 'Merci de proposer votre plan d’action, ou de le déclarer réalisé avec ses preuves, sur la page du constat :',
    f.link,
  ].join('\n\n');
  return { to: f.to, subject, text, link: f.link };
}
