import { describe, expect, it } from 'vitest';
import { isSkillBlockOf, registerOf, skillBlockCodePrefix } from './certification.js';
import { certificationInput, certificationPatch } from './certification.schema.js';

describe('certification codes', () => {
  it('knows the register from the code', () => {
    expect(registerOf('RNCP35419')).toBe('RNCP');
    expect(registerOf('RS5678')).toBe('RS');
  });

  it('a block belongs to the certification whose code, then BC, it starts with', () => {
    expect(skillBlockCodePrefix('RNCP35419')).toBe('RNCP35419BC');
    expect(isSkillBlockOf('RNCP35419BC01', 'RNCP35419')).toBe(true);
    expect(isSkillBlockOf('RNCP1234BC01', 'RNCP123')).toBe(false);
    expect(isSkillBlockOf('RS5678BC01', 'RNCP5678')).toBe(false);
  });
});

describe('certification input', () => {
  it('compacts and upper-cases codes as typed', () => {
    const parsed = certificationInput.parse({
      code: 'rncp 35419',
      title: 'Titre',
      skillBlocks: [{ code: 'rncp35419 bc01', title: 'Bloc 1' }],
    });
    expect(parsed.code).toBe('RNCP35419');
    expect(parsed.skillBlocks[0]?.code).toBe('RNCP35419BC01');
    expect(parsed.isActive).toBe(true);
  });

  it('names each block whose code is not of the certification, or repeated', () => {
    const result = certificationInput.safeParse({
      code: 'RNCP123',
      title: 'Titre',
      skillBlocks: [
        { code: 'RNCP1234BC01', title: 'a' },
        { code: 'RNCP123BC01', title: 'b' },
        { code: 'RNCP123BC01', title: 'c' },
      ],
    });
    expect(result.error?.issues.map((i) => [i.path.join('/'), i.message])).toEqual([
      ['skillBlocks/0/code', 'must start with RNCP123BC'],
      ['skillBlocks/2/code', 'appears twice'],
    ]);
  });

  it('reports an invalid fiche code once, on its own field', () => {
    const result = certificationInput.safeParse({
      code: 'RNCP0',
      title: 'T',
      skillBlocks: [{ code: 'RNCP1BC01', title: 'a' }],
    });
    expect(result.error?.issues.map((i) => i.path.join('/'))).toEqual(['code']);
  });

  it('a patch changes only what it names and never the code', () => {
    expect(certificationPatch.parse({})).toEqual({});
    expect(certificationPatch.safeParse({ code: 'RNCP1' }).success).toBe(false);
  });
});
