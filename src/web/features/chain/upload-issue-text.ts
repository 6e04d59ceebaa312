import type { TFunction } from 'i18next';
import { type UploadIssueCode, uploadIssueCodes } from '../../../core/chain/upload-issue-codes.js';
import type { UploadIssueView } from '../../../core/contracts/chain-uploads.js';
import { translateFieldMessage } from '../../forms/field-errors.js';

const known = new Set<string>(uploadIssueCodes);

/**
 * The text of an upload problem in the user's language: by its server code (`chain.uploadIssue.<code>`,
 * filled with the issue's params) when the app knows the code; else the server's own message (translated
 * where it is a known validation message). A code the app does not know yet never hides the problem.
 */
export function uploadIssueText(
  issue: Pick<UploadIssueView, 'message' | 'code' | 'params'>,
  t: TFunction<'translation'>,
): string {
  if (issue.code && known.has(issue.code)) {
    // The key is chosen at run time, so i18next cannot type its placeholders; the params fill them.
    const translate = t as unknown as (key: string, values?: Record<string, string | number>) => string;
    return translate(`chain.uploadIssue.${issue.code as UploadIssueCode}`, issue.params ?? {});
  }
  return translateFieldMessage(issue.message, t);
}
