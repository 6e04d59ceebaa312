import { describe, expect, it } from 'vitest';
import { certificateView, verificationUrl } from './model.js';

describe('certificateView', () => {
  const data = {
    number: '2026-000007',
    issuedOn: '2026-03-01',
    verificationCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
    revokedAt: null,
    holder: { firstNames: 'Zoé', birthName: 'Martin', usageName: null, birthDate: '1995-06-14' },
    certification: { code: 'RNCP38001', title: 'Responsable qualité', level: '6' },
    skillBlocks: [],
    certifierName: 'Certif',
    publicUrl: 'https://habilis.example.org/',
  };

  it('a whole certification: the plain title, the verification URL under PUBLIC_URL', () => {
    const view = certificateView(data);
    expect(view).toMatchObject({
      title: 'Certificat',
      partial: false,
      holderName: 'Zoé MARTIN',
      certificationLine: 'Responsable qualité — RNCP38001 — niveau 6',
      issuedOnText: '1er mars 2026',
      verificationUrl: 'https://habilis.example.org/verify/ABCD-EFGH-JKMN-PQRS-TVWX',
      revoked: false,
    });
  });

  it('blocks make it a partial certification; a usage name shows the birth name too', () => {
    const view = certificateView({
      ...data,
      holder: { ...data.holder, usageName: 'Durand' },
      skillBlocks: [{ code: 'RNCP38001BC01', title: 'Bloc 1' }],
    });
    expect(view.title).toBe('Attestation de validation de blocs de compétences');
    expect(view.holderName).toBe('Zoé DURAND (née ou né MARTIN)');
  });

  it('encodes the code in the URL', () => {
    expect(verificationUrl('http://x', 'a b')).toBe('http://x/verify/a%20b');
  });
});
