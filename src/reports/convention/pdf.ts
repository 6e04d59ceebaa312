import { createRequire } from 'node:module';
import path from 'node:path';
import pdfMake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { TemplateBlock } from './template.js';

// Roboto ships inside the pdfmake package: full Latin coverage (accents, ’, « », €, narrow no-break space)
// with nothing to download.
const require = createRequire(import.meta.url);
const fontDir = path.dirname(require.resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf'));
const fonts = {
  Roboto: {
    normal: path.join(fontDir, 'Roboto-Regular.ttf'),
    bold: path.join(fontDir, 'Roboto-Medium.ttf'),
    italics: path.join(fontDir, 'Roboto-Italic.ttf'),
    bolditalics: path.join(fontDir, 'Roboto-MediumItalic.ttf'),
  },
};

let configured = false;
function configure() {
  if (configured) return;
  pdfMake.setFonts(fonts);
  // The document names no image or URL: nothing outside the font files may be read or fetched.
  pdfMake.setUrlAccessPolicy(() => false);
  pdfMake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir + path.sep));
  configured = true;
}

export interface ConventionPdfOptions {
  /** Shown in every page's footer and in the PDF's metadata. */
  reference: string;
  certifierName: string;
  /** The day the document is dated (ISO); also its creation date, so equal inputs give equal files. */
  generatedOn: string;
}

function contentOf(blocks: readonly TemplateBlock[]): Content[] {
  const content: Content[] = [];
  let bullets: string[] = [];
  const flushBullets = () => {
    if (bullets.length) content.push({ ul: bullets, style: 'list' });
    bullets = [];
  };
  for (const block of blocks) {
    if (block.kind !== 'bullet') flushBullets();
    switch (block.kind) {
      case 'title':
        content.push({ text: block.text, style: 'title' });
        break;
      case 'heading':
        content.push({ text: block.text, style: 'heading', headlineLevel: 1 });
        break;
      case 'subheading':
        content.push({ text: block.text, style: 'subheading', headlineLevel: 2 });
        break;
      case 'paragraph':
        content.push({ text: block.text, style: 'paragraph' });
        break;
      case 'bullet':
        bullets.push(block.text);
        break;
    }
  }
  flushBullets();
  return content;
}

/**
 * Typesets a filled convention template (see fillTemplate) as an A4 PDF: title, numbered articles kept
 * with their first lines, bullets, and a footer with the reference and `page n / total`.
 */
export async function renderConventionPdf(
  blocks: readonly TemplateBlock[],
  options: ConventionPdfOptions,
): Promise<Buffer> {
  configure();
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 64],
    info: {
      title: `Convention ${options.reference}`,
      author: options.certifierName,
      subject: 'Convention de partenariat et d’habilitation',
      creator: 'Habilis',
      producer: 'Habilis',
      creationDate: new Date(`${options.generatedOn}T00:00:00Z`),
    },
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.25 },
    styles: {
      title: { fontSize: 17, bold: true, alignment: 'center', margin: [0, 0, 0, 14] },
      heading: { fontSize: 12, bold: true, margin: [0, 12, 0, 5] },
      subheading: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
      paragraph: { alignment: 'justify', margin: [0, 0, 0, 6] },
      list: { margin: [8, 0, 0, 6] },
    },
    content: contentOf(blocks),
    // A heading never ends a page: it moves to the next one with its text.
    pageBreakBefore: (node, following) =>
      node.headlineLevel !== undefined && (following.getFollowingNodesOnPage?.() ?? []).length === 0,
    footer: (currentPage: number, pageCount: number) => ({
      columns: [
        { text: `Convention ${options.reference}`, alignment: 'left' },
        { text: `page ${currentPage} / ${pageCount}`, alignment: 'right' },
      ],
      fontSize: 8,
      color: '#555555',
      margin: [56, 24, 56, 0],
    }),
  };
  return pdfMake.createPdf(definition).getBuffer();
}
