import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr } from './fr.js';

export const languages = ['fr', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'habilis.language';

/** The language chosen earlier in this browser; French when none was chosen (or storage is unavailable). */
export function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

export const isLanguage = (value: string): value is Language =>
  (languages as readonly string[]).includes(value);

/**
 * Starts i18next with both languages bundled (they are small, and a strict CSP forbids nothing here), in
 * the stored language. Every change of language is kept in localStorage and shown in `<html lang>`, so
 * screen readers and the browser's spell-checker follow it.
 */
export function initI18n(): typeof i18next {
  const lng = storedLanguage();
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'fr',
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    contextSeparator: '~',
    initAsync: false,
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Private browsing without storage: the choice lasts until the tab closes.
    }
  });
  return i18next;
}
