import type { TFunction } from 'i18next';
import { translateOr } from '../../i18n/dynamic.js';

/** `organisation.create` → "Création d’organisme"; an action the UI does not know yet shows as it is. */
export const auditActionLabel = (action: string, t: TFunction<'translation'>): string =>
  translateOr(t, `audit.actions.${action.replace(/\./g, '_')}`, action);

export const auditEntityLabel = (entityType: string, t: TFunction<'translation'>): string =>
  translateOr(t, `audit.entities.${entityType}`, entityType);

/**
 * The server names a broken link of the chain in English (services/audit.service.ts); the three reasons it
 * gives are translated, anything else is shown as sent.
 */
export function auditBreakReason(reason: string, t: TFunction<'translation'>): string {
  const missing = /^expected entry (\d+), found (\d+)/.exec(reason);
  if (missing) return t('audit.reasons.missing', { expected: missing[1] ?? '', found: missing[2] ?? '' });
  if (reason.startsWith('its previous-hash does not match')) return t('audit.reasons.prevHash');
  if (reason.startsWith('its content does not match its hash')) return t('audit.reasons.altered');
  return reason;
}
