/**
 * Convention templates: plain text with `{{variables}}`, a few line markers for structure, nothing else, so
 * that a quality manager can write one without learning a templating language.
 *
 * - `# Title` is the document's title, `## Heading` an article heading, `### Heading` a sub-heading;
 * - a line starting with `- ` is a bullet;
 * - a blank line ends a paragraph; consecutive lines of text are one paragraph;
 * - `{{name}}` is replaced by the variable's value. A variable alone on its line may hold several lines
 *   (a list of bullets, paragraphs); inside a sentence its lines are joined with `, `.
 */

export type TemplateBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullet'; text: string };

export interface TemplateIssue {
  line: number;
  message: string;
}

const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Every problem of a template against the known variables: unknown names, unclosed braces, by line. */
export function templateIssues(template: string, known: ReadonlySet<string>): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  template.split(/\r?\n/).forEach((line, i) => {
    for (const match of line.matchAll(VARIABLE)) {
      const name = match[1]!;
      if (!known.has(name)) issues.push({ line: i + 1, message: `unknown variable {{${name}}}` });
    }
    const rest = line.replace(VARIABLE, '');
    if (rest.includes('{{') || rest.includes('}}'))
      issues.push({ line: i + 1, message: 'braces that do not form a {{variable}}' });
  });
  return issues;
}

/** One line of a value, kept from being read as template structure (a partner named "# Formation"). */
const inert = (line: string) => line.replace(/^(#+|-)\s/, (m) => `\u200b${m}`);

/**
 * Fills the template with the values and cuts it into blocks. Call `templateIssues` first: an unknown
 * variable here becomes an empty string.
 *
 * @example fillTemplate('## Objet\nLa convention lie {{partner}}.', { partner: 'Forma Sud' })
 * // [{ kind: 'heading', text: 'Objet' }, { kind: 'paragraph', text: 'La convention lie Forma Sud.' }]
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): TemplateBlock[] {
  const lines: string[] = [];
  for (const raw of template.split(/\r?\n/)) {
    const alone = raw.trim().match(/^\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}$/);
    if (alone) {
      // A multi-line value keeps its structure: its own bullets and paragraphs.
      lines.push(...(values[alone[1]!] ?? '').split('\n'));
      continue;
    }
    lines.push(
      raw.replace(VARIABLE, (_, name: string) =>
        (values[name] ?? '')
          .split('\n')
          .map((l) => l.replace(/^-\s+/, '').trim())
          .filter(Boolean)
          .map(inert)
          .join(', '),
      ),
    );
  }

  const blocks: TemplateBlock[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const line of lines) {
    const text = line.trim();
    if (text === '') flush();
    else if (text.startsWith('### ')) {
      flush();
      blocks.push({ kind: 'subheading', text: text.slice(4).trim() });
    } else if (text.startsWith('## ')) {
      flush();
      blocks.push({ kind: 'heading', text: text.slice(3).trim() });
    } else if (text.startsWith('# ')) {
      flush();
      blocks.push({ kind: 'title', text: text.slice(2).trim() });
    } else if (text.startsWith('- ')) {
      flush();
      blocks.push({ kind: 'bullet', text: text.slice(2).trim() });
    } else paragraph.push(text.replace(/^\u200b/, ''));
  }
  flush();
  return blocks;
}
