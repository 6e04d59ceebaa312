import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { assessmentResultColumns } from './columns.js';
import { decodeUpload } from './decode.js';
import { identityKey } from './identity.js';
import { columnOfField, dateOf, decimalOf, mapAssessmentResultRow } from './map.js';
import { readUploadTable } from './read-table.js';

describe('decodeUpload', () => {
  it('reads UTF-8 with and without BOM, and Windows-1252', () => {
    expect(decodeUpload(Buffer.from('\uFEFFnom;prénom', 'utf8'))).toEqual({
      ok: true,
      text: 'nom;prénom',
      encoding: 'utf-8',
    });
    expect(decodeUpload(Buffer.from('nom;prénom', 'utf8'))).toMatchObject({ encoding: 'utf-8' });
    expect(decodeUpload(iconv.encode('a\nb;Hélène œuvre', 'win1252'))).toEqual({
      ok: true,
      text: 'a\nb;Hélène œuvre',
      encoding: 'windows-1252',
    });
  });

  it('refuses bytes in neither encoding, mixed encodings and NUL bytes, naming the line', () => {
    expect(decodeUpload(Buffer.from([0x61, 0x0a, 0x62, 0x81]))).toMatchObject({ ok: false, line: 2 });
    const mixed = Buffer.concat([Buffer.from('a\né\n', 'utf8'), iconv.encode('è\n', 'win1252')]);
    expect(decodeUpload(mixed)).toMatchObject({
      ok: false,
      line: 3,
      message: expect.stringMatching(/mixes encodings/),
    });
    expect(decodeUpload(Buffer.from('a\n\0b'))).toMatchObject({ ok: false, line: 2 });
  });
});

describe('cell values', () => {
  it('dates: ISO, French, real calendar days only', () => {
    expect(dateOf('2026-01-05')).toEqual({ ok: true, value: '2026-01-05' });
    expect(dateOf('5/1/2026')).toEqual({ ok: true, value: '2026-01-05' });
    expect(dateOf(new Date(Date.UTC(2026, 0, 5)))).toEqual({ ok: true, value: '2026-01-05' });
    expect(dateOf('31/02/2026')).toMatchObject({ ok: false });
    expect(dateOf('janvier')).toMatchObject({ ok: false });
    expect(dateOf('')).toEqual({ ok: true, value: null });
    // A date cell read without its style: the serial number Excel and LibreOffice store.
    expect(dateOf(46027)).toEqual({ ok: true, value: '2026-01-05' });
    expect(dateOf(34864.75)).toEqual({ ok: true, value: '1995-06-14' });
    expect(dateOf(12)).toMatchObject({ ok: false });
  });

  it('decimals with a comma', () => {
    expect(decimalOf('14,5')).toEqual({ ok: true, value: 14.5 });
    expect(decimalOf('14,5,2')).toMatchObject({ ok: false });
    expect(decimalOf(12)).toEqual({ ok: true, value: 12 });
  });

  it('service fields map back to template columns', () => {
    expect(columnOfField('training-sessions', 'skillBlockIds/0')).toBe('blocs');
    expect(columnOfField('training-sessions', 'birthCountryCode')).toBe('lieu_naissance');
    expect(columnOfField('assessment-results', 'results/3/score')).toBe('note');
    expect(columnOfField('training-sessions', 'candidateIds/1')).toBeNull();
  });
});

describe('identityKey', () => {
  it('ignores accents, case, hyphens and later first names', () => {
    expect(
      identityKey({ birthName: 'Lefèvre-Durand', firstNames: 'Élodie Anne', birthDate: '1990-01-02' }),
    ).toBe(identityKey({ birthName: 'LEFEVRE DURAND', firstNames: 'elodie', birthDate: '1990-01-02' }));
    expect(identityKey({ birthName: 'Martin', firstNames: 'Paul', birthDate: '1990-01-02' })).not.toBe(
      identityKey({ birthName: 'Martin', firstNames: 'Paul', birthDate: '1990-01-03' }),
    );
  });
});

describe('readUploadTable and mapAssessmentResultRow', () => {
  it('maps headers written differently and reads a results row', async () => {
    const table = await readUploadTable(
      Buffer.from(
        'Nom naissance;Prénoms;Date naissance;Code bloc;Note;Note max;Décision\nMartin;Paul;01/02/1990;rncp1bc01;12;20;Admis\n',
      ),
      assessmentResultColumns,
    );
    expect(table.issues).toEqual([]);
    const mapped = mapAssessmentResultRow(table.rows[0]!);
    expect(mapped).toEqual({
      issues: [],
      value: {
        line: 2,
        candidateId: null,
        birthName: 'Martin',
        firstNames: 'Paul',
        birthDate: '1990-02-01',
        skillBlockCode: 'RNCP1BC01',
        assessmentTask: null,
        score: 12,
        maxScore: 20,
        decision: 'passed',
      },
    });
  });

  it('an absent candidate with a score is refused on the score column', async () => {
    const table = await readUploadTable(
      Buffer.from(
        'nom_naissance;prenoms;date_naissance;epreuve;note;note_max;decision\nMartin;Paul;1990-02-01;Oral;12;20;absent\n',
      ),
      assessmentResultColumns,
    );
    expect(mapAssessmentResultRow(table.rows[0]!).issues).toEqual([
      { line: 2, column: 'note', message: 'an absent candidate has no score' },
    ]);
  });
  it('gives each row problem a stable code with its params, beside the English message', async () => {
    const table = await readUploadTable(
      Buffer.from(
        'nom_naissance;prenoms;date_naissance;code_bloc;note;note_max;decision;id_candidat\n' +
          'Martin;;31/02/1990;BC01;douze;20;peut-être;abc\n',
      ),
      assessmentResultColumns,
    );
    expect(mapAssessmentResultRow(table.rows[0]!).issues).toEqual([
      {
        line: 2,
        column: 'id_candidat',
        message: '« abc » is not a candidate id',
        code: 'not_a_candidate_id',
        params: { value: 'abc' },
      },
      { line: 2, column: 'prenoms', message: 'required', code: 'required' },
      {
        line: 2,
        column: 'date_naissance',
        message: '« 31/02/1990 » is not a calendar date',
        code: 'not_a_calendar_date',
        params: { value: '31/02/1990' },
      },
      {
        line: 2,
        column: 'note',
        message: '« douze » is not a number',
        code: 'not_a_number',
        params: { value: 'douze' },
      },
      expect.objectContaining({
        column: 'decision',
        code: 'not_one_of',
        params: expect.objectContaining({ value: 'peut-être' }),
      }),
    ]);
  });

  it('names an unknown column by code', async () => {
    const table = await readUploadTable(
      Buffer.from('nom_naissance;prenoms;date_naissance;decision;couleur\nA;B;1990-01-01;admis;x\n'),
      assessmentResultColumns,
    );
    expect(table.issues).toContainEqual(
      expect.objectContaining({
        line: 1,
        column: 'couleur',
        code: 'unknown_column',
        params: expect.objectContaining({ column: 'couleur' }),
      }),
    );
  });
});
