/**
 * Stable codes of the problems an upload reports (docs/chain-upload.md). Each issue keeps its English
 * `message` for the API and the CLI; the `code` and its `params` let a client word it in its own language
 * (the web app: `chain.uploadIssue.<code>`), falling back to the message for a code it does not know.
 */
export const uploadIssueCodes = [
  // A cell
  'required',
  'not_a_calendar_date',
  'not_a_date',
  'not_a_number',
  'not_one_of',
  'not_before_start',
  'out_of_range',
  'not_a_candidate_id',
  'block_or_task_required',
  // Rows among themselves and against the data
  'session_cell_differs',
  'unknown_certification',
  'not_a_skill_block',
  'candidate_twice',
  'not_registered',
  'duplicate_result',
  // The header
  'unknown_column',
  'column_twice',
  'column_missing',
  // The file as a whole (line null, or the line where reading stopped); params carry `file`, its name
  'empty_file',
  'not_a_spreadsheet',
  'legacy_xls',
  'no_sheet',
  'no_header',
  'wrong_template',
  'encoding_binary',
  'encoding_invalid_utf8',
  'encoding_unknown_byte',
  'encoding_mixed',
  'csv_unreadable',
  'too_many_rows',
] as const;
export type UploadIssueCode = (typeof uploadIssueCodes)[number];

/** The values a code's text uses (`value`, `line`, `column`…), as text or numbers. */
export type UploadIssueParams = Record<string, string | number>;
