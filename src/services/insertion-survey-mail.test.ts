import { describe, expect, it } from 'vitest';
import { surveyMail } from './insertion-survey-mail.js';

const facts = {
  to: 'titulaire@example.org',
  certifierName: 'Certif Sud',
  certificationTitle: 'Conseiller en insertion',
  certificationCode: 'RNCP41001',
  horizon: '2_years',
  closesOn: '2027-03-31',
  link: 'https://habilis.example/survey/abc',
} as const;

describe('surveyMail', () => {
  it('writes French by default, with the French date and the personal link', () => {
    const mail = surveyMail({ ...facts, language: 'fr' });
    expect(mail.subject).toBe('Conseiller en insertion : votre situation 2 ans après la certification');
    expect(mail.text).toContain('Certif Sud mesure l’insertion professionnelle');
    expect(mail.text).toContain('jusqu’au 31 mars 2027');
    expect(mail.text).toContain(facts.link);
    expect(mail.link).toBe(facts.link);
  });

  it('writes English for an English-speaking holder', () => {
    const mail = surveyMail({ ...facts, language: 'en', certifierName: null });
    expect(mail.subject).toBe('Conseiller en insertion: your situation 2 years after the certification');
    expect(mail.text).toContain('The certifier measures the employment');
    expect(mail.text).toContain('until 31 March 2027');
    expect(mail.to).toBe(facts.to);
  });
});
