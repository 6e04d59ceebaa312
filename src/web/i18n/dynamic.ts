import type { TFunction } from 'i18next';

/**
 * For keys built from data the API sends (an audit action, a category): the compiler cannot know them, so
 * they are looked up untyped, and an unknown one shows the raw value rather than a key path.
 */
export function translateOr(t: TFunction<'translation'>, key: string, fallback: string): string {
  const loose = t as unknown as (key: string, options: { defaultValue: string }) => string;
  return loose(key, { defaultValue: fallback });
}
