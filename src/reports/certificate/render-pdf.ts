import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * Renders a pdfmake document to bytes on the server, with the Roboto fonts pdfmake ships. Documents are
 * built from our own data only: no URL is fetched and no file is read but the fonts.
 */
const fontsDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')),
  'fonts',
  'Roboto',
);

const roboto = {
  normal: path.join(fontsDir, 'Roboto-Regular.ttf'),
  bold: path.join(fontsDir, 'Roboto-Medium.ttf'),
  italics: path.join(fontsDir, 'Roboto-Italic.ttf'),
  bolditalics: path.join(fontsDir, 'Roboto-MediumItalic.ttf'),
};

/** Renders the document with Roboto; fixed creation date and metadata come from the caller's definition. */
export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  pdfmake.setUrlAccessPolicy(() => false);
  (pdfmake as unknown as { setLocalAccessPolicy(check: (p: string) => boolean): void }).setLocalAccessPolicy(
    (p) => path.resolve(p).startsWith(fontsDir),
  );
  pdfmake.addFonts({ Roboto: roboto });
  return pdfmake.createPdf({ defaultStyle: { font: 'Roboto' }, ...definition }).getBuffer();
}

/** `2026-03-02` → `2 mars 2026`, the way a French document writes a date. */
export function frenchDate(iso: string): string {
  const months = [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ];
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d === 1 ? '1er' : d} ${months[(m ?? 1) - 1]} ${y}`;
}
