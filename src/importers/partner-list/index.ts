export { type PartnerColumn, partnerColumns } from './columns.js';
export {
  completeRows,
  crossRowIssues,
  type MappedPartner,
  mapPartnerRow,
  parseDateCell,
  siretsOf,
} from './map.js';
export { type ImportIssue, MAX_PARTNER_ROWS, type PartnerRow, readPartnerTable } from './read.js';
export { partnerListTemplate } from './template.js';
