import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { frenchDate, renderPdf } from '../certificate/render-pdf.js';
import type { TableColumn } from '../tabular/tabular.js';
import { frenchBytes, frenchInteger } from './labels.js';
import { type DossierView, PDF_ROW_LIMIT, type SectionTable } from './model.js';

/** The report's look, shared by every report of Habilis: a sober navy, grey rules, Roboto. */
export const reportColours = { accent: '#1c3d6e', muted: '#5c6773', rule: '#c8ced6', shade: '#eef1f5' };

/** A logo for the cover and the page header: PNG or JPEG bytes. */
export interface ReportBranding {
  certifierName: string;
  logo?: { bytes: Uint8Array; mediaType: string } | null;
}

export const logoDataUrl = (logo: NonNullable<ReportBranding['logo']>): string =>
  `data:${logo.mediaType};base64,${Buffer.from(logo.bytes).toString('base64')}`;

const cellText = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '—' : String(value);

/** A table of rows as pdfmake content: bold shaded header repeated on each page, at most `limit` rows. */
export function pdfTable<T>(
  columns: readonly TableColumn<T>[],
  rows: readonly T[],
  widths: (number | '*' | 'auto')[],
  options: { limit?: number; moreText?: (hidden: number) => string } = {},
): Content[] {
  const limit = options.limit ?? PDF_ROW_LIMIT;
  if (!rows.length)
    return [{ text: 'Aucun élément.', italics: true, color: reportColours.muted, margin: [0, 2, 0, 8] }];
  const header: TableCell[] = columns.map((c) => ({
    text: c.title,
    bold: true,
    fillColor: reportColours.shade,
    color: reportColours.accent,
  }));
  const body: TableCell[][] = [header];
  for (const row of rows.slice(0, limit)) body.push(columns.map((c) => ({ text: cellText(c.value(row)) })));
  const out: Content[] = [
    {
      table: { headerRows: 1, widths, body, dontBreakRows: true },
      layout: {
        hLineWidth: (i: number) => (i === 0 || i === 1 ? 0.8 : 0.3),
        vLineWidth: () => 0,
        hLineColor: () => reportColours.rule,
        paddingTop: () => 2,
        paddingBottom: () => 2,
      },
      fontSize: 7.5,
      margin: [0, 2, 0, 6],
    },
  ];
  if (rows.length > limit)
    out.push({
      text:
        options.moreText?.(rows.length - limit) ??
        `… et ${frenchInteger(rows.length - limit)} ligne(s) de plus.`,
      italics: true,
      fontSize: 8,
      color: reportColours.muted,
      margin: [0, 0, 0, 8],
    });
  return out;
}

/** The cover's top band: logo (when set) and certifier name. */
export function brandBlock(branding: ReportBranding): Content {
  return branding.logo
    ? {
        columns: [
          { image: logoDataUrl(branding.logo), fit: [140, 60], width: 150 },
          {
            text: branding.certifierName,
            fontSize: 12,
            color: reportColours.muted,
            alignment: 'right',
            margin: [0, 20, 0, 0],
          },
        ],
      }
    : { text: branding.certifierName, fontSize: 13, bold: true, color: reportColours.accent };
}

/** Page frame shared by the reports: running title in the header, page numbers in the footer. */
export function pageFrame(
  runningTitle: string,
  certifierName: string,
): Pick<TDocumentDefinitions, 'header' | 'footer'> {
  return {
    header: (page) =>
      page === 1
        ? null
        : {
            columns: [
              { text: certifierName, fontSize: 7.5, color: reportColours.muted },
              { text: runningTitle, fontSize: 7.5, color: reportColours.muted, alignment: 'right' },
            ],
            margin: [40, 20, 40, 0],
          },
    footer: (page, pages) => ({
      text: `Page ${page} / ${pages}`,
      alignment: 'center',
      fontSize: 7.5,
      color: reportColours.muted,
      margin: [0, 10, 0, 0],
    }),
  };
}

export const reportStyles: TDocumentDefinitions['styles'] = {
  title: { fontSize: 26, bold: true, color: reportColours.accent, margin: [0, 120, 0, 6] },
  subtitle: { fontSize: 15, color: reportColours.accent, margin: [0, 0, 0, 24] },
  h1: { fontSize: 15, bold: true, color: reportColours.accent, margin: [0, 0, 0, 8] },
  h2: { fontSize: 11, bold: true, color: reportColours.accent, margin: [0, 10, 0, 4] },
  proves: { fontSize: 9, italics: true, color: '#333333' },
  small: { fontSize: 8, color: reportColours.muted },
};

/**
 * The dossier as an A4 PDF: a cover (logo, certification, period, scope, chain head), the table of
 * contents, one section per requirement (what it proves, the statements with their evidence, the tables,
 * at most PDF_ROW_LIMIT rows each: the ZIP's lists hold them all), the index of the evidence files and how
 * to verify the dossier.
 */
export function dossierPdf(view: DossierView, branding: ReportBranding): Promise<Buffer> {
  const content: Content[] = [
    brandBlock(branding),
    { text: view.title, style: 'title' },
    { text: view.subtitle, style: 'subtitle' },
    ...view.scopeLines.map((line) => ({
      text: line,
      margin: [0, 0, 0, 3] as [number, number, number, number],
    })),
    {
      text: `Établi le ${frenchDate(view.generatedAt)} par Habilis.`,
      margin: [0, 16, 0, 3],
    },
    {
      text: view.audit.headHash
        ? `Journal d’audit arrêté à l’entrée n° ${view.audit.headSeq}, empreinte SHA-256 : ${view.audit.headHash}`
        : 'Journal d’audit vide à la date du dossier.',
      style: 'small',
    },
    {
      text: 'Chaque affirmation renvoie à ses preuves : « P0001 » désigne une pièce du dossier ZIP (dossier preuves/, empreinte dans manifest.json) et « J123 » l’entrée n° 123 du journal d’audit (journal-audit.jsonl), chaînée par empreintes SHA-256.',
      style: 'small',
      margin: [0, 12, 0, 0],
    },
    { toc: { title: { text: 'Sommaire', style: 'h1' } }, pageBreak: 'before' },
  ];
  view.sections.forEach((section, i) => {
    content.push(
      { text: `${i + 1}. ${section.title}`, style: 'h1', tocItem: true, pageBreak: 'before' },
      {
        table: {
          widths: ['*'],
          body: [[{ text: `Ce que cette section prouve : ${section.proves}`, style: 'proves' }]],
        },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: (x: number) => (x === 0 ? 2 : 0),
          vLineColor: () => reportColours.accent,
          fillColor: () => reportColours.shade,
        },
        margin: [0, 0, 0, 8],
      },
      { ul: section.statements, fontSize: 9.5, margin: [0, 0, 0, 8] },
    );
    for (const t of section.tables as SectionTable<unknown>[])
      content.push(
        ...pdfTable(t.columns, t.rows, t.widths, {
          moreText: (hidden) =>
            `… et ${frenchInteger(hidden)} ligne(s) de plus : la liste complète est dans ${t.csvPath} du dossier ZIP.`,
        }),
      );
  });

  content.push(
    { text: 'Index des pièces', style: 'h1', tocItem: true, pageBreak: 'before' },
    {
      text: `${frenchInteger(view.evidence.length)} pièce(s), ${frenchBytes(view.evidence.reduce((n, e) => n + e.sizeBytes, 0))}. L’empreinte complète de chaque pièce et tout ce qu’elle prouve figurent dans manifest.json.`,
      fontSize: 9,
      margin: [0, 0, 0, 6],
    },
    ...pdfTable(
      [
        { title: 'Réf.', value: (e) => e.ref },
        { title: 'Fichier', value: (e) => e.path },
        { title: 'SHA-256 (début)', value: (e) => e.sha256.slice(0, 16) },
        { title: 'Taille', value: (e) => frenchBytes(e.sizeBytes) },
        {
          title: 'Prouve',
          value: (e) => (e.proves.length > 1 ? `${e.proves[0]} (+${e.proves.length - 1})` : e.proves[0]),
        },
      ],
      view.evidence,
      [35, '*', 75, 40, '*'],
      {
        moreText: (hidden) =>
          `… et ${frenchInteger(hidden)} pièce(s) de plus, toutes listées dans manifest.json.`,
      },
    ),
    { text: 'Vérifier ce dossier', style: 'h1', tocItem: true, pageBreak: 'before' },
    {
      ul: [
        'manifest.json liste chaque fichier du ZIP avec son chemin, sa taille, son empreinte SHA-256 et ce qu’il prouve.',
        'journal-audit.jsonl est l’extrait du journal d’audit : les entrées relatives aux éléments du dossier avec leur contenu, les autres par leurs seules empreintes, de façon continue jusqu’à la tête de chaîne indiquée en couverture.',
        'La commande « npx habilis dossier verify <fichier.zip> » recalcule chaque empreinte et la chaîne du journal, et nomme tout fichier modifié, ajouté ou manquant.',
        'L’empreinte de manifest.json est enregistrée dans le journal d’audit de Habilis au moment où le dossier est établi (action dossier.generate).',
      ],
      fontSize: 9.5,
    },
  );

  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [40, 45, 40, 40],
    info: {
      title: `${view.title} ${view.subtitle}`,
      author: view.certifierName,
      creator: 'Habilis',
      producer: 'Habilis',
      creationDate: new Date(view.generatedAt),
    },
    ...pageFrame(`${view.title} — ${view.subtitle}`, view.certifierName),
    content,
    styles: reportStyles,
    defaultStyle: { font: 'Roboto', fontSize: 10 },
  };
  return renderPdf(definition);
}
