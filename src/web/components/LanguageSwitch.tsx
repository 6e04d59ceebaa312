import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n/index.js';

/** FR / EN; the choice is kept by i18n/index.ts (localStorage and `<html lang>`). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={i18n.resolvedLanguage ?? 'fr'}
      onChange={(value) => {
        if (isLanguage(value)) void i18n.changeLanguage(value);
      }}
      data={[
        { value: 'fr', label: 'FR' },
        { value: 'en', label: 'EN' },
      ]}
    />
  );
}
