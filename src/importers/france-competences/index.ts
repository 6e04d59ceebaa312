export type { ExportProgress, ExportReport } from './export.js';
export { FranceCompetencesExport, MAX_REJECTS_KEPT, openFranceCompetencesExport } from './export.js';
