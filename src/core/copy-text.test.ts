import { describe, expect, it } from 'vitest';
import { CopyTextBuffer, copyField } from './copy-text.js';

describe('CopyTextBuffer', () => {
  const lines = ['a\tb', 'œuvre\t\\N', 'émoji 🎓\tfin', 'x'.repeat(100)];

  it('gathers lines as UTF-8, each with its newline, growing past its first size', () => {
    const buffer = new CopyTextBuffer(8);
    for (const line of lines) buffer.appendLine(line);
    expect(Buffer.from(buffer.view()).toString('utf8')).toBe(`${lines.join('\n')}\n`);
    expect(buffer.byteLength).toBe(Buffer.byteLength(`${lines.join('\n')}\n`));
  });

  it('starts again empty after clear, and over a transferred buffer given back', () => {
    const buffer = new CopyTextBuffer(64);
    buffer.appendLine(lines[1]!);
    buffer.clear();
    buffer.appendLine(lines[2]!);
    expect(Buffer.from(buffer.view()).toString('utf8')).toBe(`${lines[2]}\n`);

    const { buffer: memory, byteLength } = buffer.transfer();
    expect(new TextDecoder().decode(new Uint8Array(memory, 0, byteLength))).toBe(`${lines[2]}\n`);
    const again = new CopyTextBuffer(memory);
    again.appendLine(lines[0]!);
    expect(Buffer.from(again.view()).toString('utf8')).toBe(`${lines[0]}\n`);
  });

  it('takes fields encoded by copyField', () => {
    const buffer = new CopyTextBuffer();
    buffer.appendLine(['tab\there', null, 3.5, true].map(copyField).join('\t'));
    expect(Buffer.from(buffer.view()).toString('utf8')).toBe('tab\\there\t\\N\t3.5\tt\n');
  });
});
