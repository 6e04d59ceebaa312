import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../certificate/render-pdf.js';
import type { JuryMinutesView } from './model.js';

/** The jury's minutes as an A4 PDF: members, decisions per candidate, totals, signature (or « PROJET »). */
export function juryMinutesPdf(view: JuryMinutesView): Promise<Buffer> {
  const header = (cells: string[]) => cells.map((text) => ({ text, bold: true, fillColor: '#eeeeee' }));
  const content: Content[] = [
    { text: view.certifierName, color: '#555555' },
    { text: view.title, fontSize: 18, bold: true, margin: [0, 8, 0, 4] },
    { text: view.certificationLine, bold: true },
    { text: view.meeting, margin: [0, 0, 0, 12] },
    { text: 'Composition du jury', fontSize: 13, bold: true, margin: [0, 6, 0, 4] },
    {
      table: {
        headerRows: 1,
        widths: ['*', 'auto', '*'],
        body: [
          header(['Nom', 'Qualité', 'Conflit d’intérêts']),
          ...view.members.map((m) => [m.name, m.role, m.conflict]),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    { text: 'Décisions', fontSize: 13, bold: true, margin: [0, 14, 0, 4] },
    view.decisions.length
      ? {
          table: {
            headerRows: 1,
            widths: ['*', 'auto', 'auto', '*'],
            body: [
              header(['Candidat(e)', 'Décision', 'Blocs validés', 'Observations']),
              ...view.decisions.map((d) => [d.candidate, d.decision, d.blocks, d.note]),
            ],
          },
          layout: 'lightHorizontalLines',
        }
      : { text: 'Aucune délibération.', italics: true },
    { text: view.counts, margin: [0, 8, 0, 0] },
    { text: view.signature, bold: true, margin: [0, 24, 0, 0] },
  ];
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 50],
    info: { title: view.title, author: view.certifierName, creator: 'Habilis' },
    ...(view.isDraft ? { watermark: { text: 'PROJET', color: '#868e96', opacity: 0.2, bold: true } } : {}),
    content,
    footer: (page, pages) => ({
      text: `${page} / ${pages}`,
      alignment: 'center',
      fontSize: 8,
      color: '#868e96',
    }),
  };
  return renderPdf(definition);
}
