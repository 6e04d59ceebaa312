import 'i18next';
import type { fr } from './fr.js';

// Typed keys: `t('organisations.title')` compiles, a misspelt key does not. Keys use `_` inside names
// (error codes, roles), so contexts use another separator (the same is set in index.ts).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    contextSeparator: '~';
    resources: { translation: typeof fr };
  }
}
