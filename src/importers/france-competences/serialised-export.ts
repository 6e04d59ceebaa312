import { type ExportReport, openFranceCompetencesExport } from './export.js';
import { type SerialisedFiche, serialiseFiche } from './serialise.js';

/** An export read as serialised fiches (what the registry import consumes), with the importer's report. */
export interface SerialisedExport extends AsyncIterable<SerialisedFiche> {
  readonly report: ExportReport;
}

/**
 * Opens an export and reads it as serialised fiches. Throws import_rejected like
 * `openFranceCompetencesExport` (at opening for a file of another kind, during the iteration for a
 * broken one).
 */
export async function openSerialisedExport(
  filePath: string,
  options: { displayName?: string } = {},
): Promise<SerialisedExport> {
  const source = await openFranceCompetencesExport(filePath, options);
  return {
    report: source.report,
    async *[Symbol.asyncIterator]() {
      for await (const { record, sourceHash } of source.entries()) yield serialiseFiche(record, sourceHash);
    },
  };
}
