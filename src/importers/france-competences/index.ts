export type { ExportEntry, ExportProgress, ExportReport } from './export.js';
export { FranceCompetencesExport, MAX_REJECTS_KEPT, openFranceCompetencesExport } from './export.js';
export { deserialiseFiche, SerialisedFiche, serialiseFiche } from './serialise.js';
export type { SerialisedExport } from './serialised-export.js';
export { openSerialisedExport } from './serialised-export.js';
export type { RegistryFiche, ThreadedExport } from './threaded-export.js';
export { openThreadedExport, TransferredFiche } from './threaded-export.js';
