/** JSON already written as text, which `stringifyWithText` puts in as it is (never parsed, never escaped). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * `JSON.stringify` of a value holding `JsonText`s, each replaced by its text: large parts already encoded
 * elsewhere (a worker thread's evidence) go into a payload without being parsed into objects first.
 */
export function stringifyWithText(value: unknown): string {
  const texts: string[] = [];
  // A marker no string of the value can hold (a NUL and a random key), so only placeholders are replaced.
  const key = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  const marker = `\u0000${key}:`;
  const json = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof JsonText ? `${marker}${texts.push(v.text) - 1}` : v,
  );
  if (texts.length === 0) return json;
  const quoted = JSON.stringify(marker).slice(0, -1);
  return json.replace(
    new RegExp(`${quoted.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`, 'g'),
    (_match, index: string) => texts[Number(index)] as string,
  );
}
