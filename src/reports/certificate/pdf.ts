import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { CertificateView } from './model.js';
import { renderPdf } from './render-pdf.js';

/**
 * The certificate as an A4 landscape PDF: number, holder, certification, validated blocks, date and
 * certifier, and at the foot the verification code with its URL and QR code. A revoked certificate is
 * printed with the word « RÉVOQUÉ » across it, never as if it were valid.
 */
export function certificatePdf(view: CertificateView): Promise<Buffer> {
  const blocks: Content[] = view.partial
    ? [
        { text: 'Blocs de compétences validés :', margin: [0, 14, 0, 4], bold: true },
        { ul: view.skillBlocks.map((b) => `${b.code} — ${b.title}`), margin: [40, 0, 40, 0] },
      ]
    : [];
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [60, 50, 60, 50],
    info: { title: `${view.title} ${view.number}`, author: view.certifierName, creator: 'Habilis' },
    ...(view.revoked ? { watermark: { text: 'RÉVOQUÉ', color: '#c92a2a', opacity: 0.25, bold: true } } : {}),
    content: [
      { text: view.certifierName, style: 'certifier' },
      { text: view.title, style: 'title' },
      { text: `N° ${view.number}`, style: 'number' },
      { text: 'est délivré à', alignment: 'center', margin: [0, 20, 0, 6] },
      { text: view.holderName, style: 'holder' },
      ...(view.holderBirth ? [{ text: view.holderBirth, alignment: 'center' as const }] : []),
      {
        text: view.partial ? 'au titre de la certification' : 'qui a obtenu la certification',
        alignment: 'center',
        margin: [0, 20, 0, 6],
      },
      { text: view.certificationLine, style: 'certification' },
      ...blocks,
      { text: `Délivré le ${view.issuedOnText}`, alignment: 'right', margin: [0, 28, 0, 0] },
      { text: `Pour ${view.certifierName}`, alignment: 'right', italics: true },
    ],
    footer: {
      margin: [60, 0, 60, 0],
      columns: [
        {
          stack: [
            { text: `Code de vérification : ${view.verificationCode}`, bold: true, fontSize: 9 },
            { text: `Vérifier ce document : ${view.verificationUrl}`, fontSize: 9 },
          ],
        },
        { qr: view.verificationUrl, fit: 44, alignment: 'right' },
      ],
    },
    styles: {
      certifier: { fontSize: 14, alignment: 'center', color: '#555555' },
      title: { fontSize: 30, bold: true, alignment: 'center', margin: [0, 16, 0, 4] },
      number: { fontSize: 11, alignment: 'center', color: '#555555' },
      holder: { fontSize: 22, bold: true, alignment: 'center' },
      certification: { fontSize: 16, bold: true, alignment: 'center' },
    },
  };
  return renderPdf(definition);
}
