import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a URL or a cookie: 32 bytes, base64url. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are stored only as their SHA-256, so a copy of the database gives no session or setup link. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
