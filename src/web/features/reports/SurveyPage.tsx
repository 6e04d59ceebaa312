import { Alert, Button, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { reports } from '../../../core/contracts/index.js';
import { type SurveySituation, surveySituations } from '../../../core/statistics/insertion.js';
import { call, isApiError } from '../../api/client.js';
import { AuthFrame } from '../../components/AuthFrame.js';

/**
 * The public page of an insertion survey (`/survey/:token`, the personal link of the e-mail), no sign-in:
 * one question about the holder's situation, answered once.
 */
export function SurveyPage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [search] = useSearchParams();
  const linkLanguage = search.get('lang');
  // The e-mail was written in the holder's language; its link opens the page in the same one.
  useEffect(() => {
    if ((linkLanguage === 'en' || linkLanguage === 'fr') && !i18n.language.startsWith(linkLanguage))
      void i18n.changeLanguage(linkLanguage);
  }, [linkLanguage, i18n]);
  const [situation, setSituation] = useState<SurveySituation | null>(null);
  const question = useQuery({
    queryKey: ['survey', token],
    queryFn: () => call(reports.getSurveyQuestion, { params: { token } }),
    retry: false,
  });
  const answer = useMutation({
    mutationFn: (value: SurveySituation) =>
      call(reports.answerSurvey, { params: { token }, body: { situation: value } }),
  });
  const q = answer.data ?? question.data;
  return (
    <AuthFrame
      title={t('reports.survey.title')}
      intro={
        q
          ? t('reports.survey.intro', {
              certifier: q.certifierName,
              certification: `${q.certificationTitle} (${q.certificationCode})`,
            })
          : ''
      }
    >
      {question.isPending && <Loader size="sm" />}
      {question.isError && (
        <Alert color="orange" role="alert">
          {isApiError(question.error) && ['not_found', 'validation_failed'].includes(question.error.code)
            ? t('reports.survey.unknown')
            : t('reports.survey.failed')}
        </Alert>
      )}
      {q?.answered && (
        <Alert color="teal" role="status" data-testid="survey-thanks">
          {t('reports.survey.thanks')}
        </Alert>
      )}
      {q && !q.answered && q.closed && <Alert color="gray">{t('reports.survey.closed')}</Alert>}
      {q && !q.answered && !q.closed && (
        <Stack gap="md">
          <Radio.Group
            label={q.horizon === '6_months' ? t('reports.survey.question6') : t('reports.survey.question24')}
            value={situation}
            onChange={(v) => setSituation(v as SurveySituation)}
          >
            <Stack gap="xs" mt="xs">
              {surveySituations.map((s) => (
                <Radio key={s} value={s} label={t(`reports.survey.situations.${s}`)} />
              ))}
            </Stack>
          </Radio.Group>
          {answer.isError && (
            <Alert color="red" role="alert">
              {t('reports.survey.failed')}
            </Alert>
          )}
          <Group>
            <Button
              disabled={!situation}
              loading={answer.isPending}
              onClick={() => situation && answer.mutate(situation)}
            >
              {t('reports.survey.send')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('reports.survey.privacy')}
          </Text>
        </Stack>
      )}
    </AuthFrame>
  );
}
