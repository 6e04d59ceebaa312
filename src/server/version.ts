import { readFileSync } from 'node:fs';

/** The version in package.json, found from src/ or dist/ alike. */
export const appVersion: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
})();
