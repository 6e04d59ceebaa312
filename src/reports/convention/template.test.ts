import { describe, expect, it } from 'vitest';
import { defaultConventionClauses, defaultConventionTemplate } from './default-template.js';
import { conventionVariables, durationInWords, euros, frenchDate } from './model.js';
import { fillTemplate, templateIssues } from './template.js';

const known = new Set(Object.keys(conventionVariables));

describe('convention templates', () => {
  it('cuts a filled template into title, headings, paragraphs and bullets', () => {
    const blocks = fillTemplate('# Convention\n\n## Objet\nEntre {{a}}\net {{b}}.\n\n{{list}}\n', {
      a: 'Certif',
      b: 'Forma',
      list: '- un\n- deux',
    });
    expect(blocks).toEqual([
      { kind: 'title', text: 'Convention' },
      { kind: 'heading', text: 'Objet' },
      { kind: 'paragraph', text: 'Entre Certif et Forma.' },
      { kind: 'bullet', text: 'un' },
      { kind: 'bullet', text: 'deux' },
    ]);
  });

  it('joins a list used inside a sentence, and keeps a value from becoming structure', () => {
    expect(fillTemplate('Blocs : {{list}}.', { list: '- BC01\n- BC02' })).toEqual([
      { kind: 'paragraph', text: 'Blocs : BC01, BC02.' },
    ]);
    expect(fillTemplate('{{name}} signe.', { name: '# Forma' })[0]?.kind).toBe('paragraph');
  });

  it('names the line of each unknown variable and stray brace', () => {
    expect(templateIssues('## A\n{{partner}} {{nope}}\n{{ partner', known)).toEqual([
      { line: 2, message: 'unknown variable {{nope}}' },
      { line: 3, message: 'braces that do not form a {{variable}}' },
    ]);
  });

  it('ships a default template that uses only known variables, with every clause', () => {
    expect(templateIssues(defaultConventionTemplate, known)).toEqual([]);
    for (const clause of Object.keys(defaultConventionClauses))
      expect(defaultConventionTemplate).toContain(`{{${clause}}}`);
  });

  it('writes dates, amounts and durations the French way', () => {
    expect(frenchDate('2026-03-01')).toBe('1er mars 2026');
    expect(frenchDate('2026-12-25')).toBe('25 décembre 2026');
    expect(euros(150_000)).toBe('1\u00a0500,00\u00a0€');
    expect(euros(12_050)).toBe('120,50\u00a0€');
    expect(durationInWords('2026-01-01', '2028-12-31')).toBe('3 ans');
    expect(durationInWords('2026-01-15', '2027-07-14')).toBe('1 an et 6 mois');
    expect(durationInWords('2026-01-01', '2026-01-10')).toBe('10 jours');
    expect(durationInWords('2026-01-01', '2027-02-03')).toBe('1 an, 1 mois et 3 jours');
    expect(durationInWords('2026-01-01', null)).toBe('durée indéterminée');
  });
});
