import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api.js';

/**
 * Reads back the PDFs Habilis produces, in pure JavaScript (pdfjs-dist, with @napi-rs/canvas for pixels),
 * so that `npm test` needs nothing installed on the machine. Text comes out in drawing order with white
 * space collapsed to single spaces, which is what assertions on a laid-out document can rely on.
 */

type Loaded = Awaited<ReturnType<typeof getDocument>['promise']>;

async function open(bytes: Uint8Array): Promise<Loaded> {
  // pdfjs takes ownership of (and detaches) the buffer it is given: hand it a copy.
  return getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

type TextRun = Pick<TextItem, 'str' | 'transform' | 'width' | 'hasEOL'>;

function isTextRun(item: TextItem | TextMarkedContent): item is TextItem {
  return 'str' in item;
}

/** One page's text: runs on the same baseline are joined, with a space where the layout leaves a gap. */
function pageText(runs: TextRun[]): string {
  let out = '';
  let previous: TextRun | undefined;
  for (const run of runs) {
    if (previous) {
      const [, , , fontSize = 10, x = 0, y = 0] = run.transform;
      const [, , , , px = 0, py = 0] = previous.transform;
      const sameLine = Math.abs(y - py) < Math.max(1, Math.abs(fontSize) * 0.3);
      const gap = x - (px + previous.width);
      if (previous.hasEOL || !sameLine || gap > Math.abs(fontSize) * 0.15) out += ' ';
    }
    out += run.str;
    previous = run;
  }
  return out;
}

export interface PdfContent {
  /** The whole document's text, pages in order, white space collapsed. */
  text: string;
  /** Each page's text, white space collapsed. */
  pageTexts: string[];
  pages: number;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  const doc = await open(bytes);
  try {
    const pageTexts: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      // A character the embedded font has no glyph for comes out as NUL and is kept, so that an assertion on
      // the text fails where the printed page would show a missing-glyph box.
      pageTexts.push(pageText(content.items.filter(isTextRun)).replace(/\s+/g, ' ').trim());
    }
    return { text: pageTexts.join(' '), pageTexts, pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
  /** Share of pixels that are not (near) white: a blank page is close to 0. */
  inkRatio: number;
}

/** Renders one page (1-based) to PNG at `scale` (1 = 72 dpi), to check a document really draws something. */
export async function renderPdfPage(bytes: Uint8Array, pageNumber = 1, scale = 1): Promise<RenderedPage> {
  const doc = await open(bytes);
  try {
    const page = await doc.getPage(pageNumber);
    const viewport = page.getViewport({ scale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
    }).promise;
    const pixels = context.getImageData(0, 0, width, height).data;
    let ink = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if ((pixels[i] ?? 255) < 200 || (pixels[i + 1] ?? 255) < 200 || (pixels[i + 2] ?? 255) < 200) ink++;
    }
    return { png: canvas.toBuffer('image/png'), width, height, inkRatio: ink / (width * height) };
  } finally {
    await doc.destroy();
  }
}
