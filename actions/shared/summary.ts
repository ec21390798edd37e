/**
 * Job-summary writer: builds GitHub-flavoured markdown with every cell
 * escaped, then appends it once through the Runner.
 */
import { Runner } from './runner';

/** Escape text for a markdown table cell or paragraph: no HTML, no pipes breaking the table, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

/** A markdown link, or the bare text when there is no (http/https) URL to link to. */
export function link(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//.test(url)) return escapeMarkdown(text);
  return `[${escapeMarkdown(text)}](${url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
}

/** A cell is plain text (escaped) or pre-rendered markdown such as a link. */
export type Cell = string | { readonly markdown: string };

function renderCell(cell: Cell): string {
  return typeof cell === 'string' ? escapeMarkdown(cell) : cell.markdown;
}

export class SummaryWriter {
  private readonly blocks: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 = 3): this {
    this.blocks.push(`${'#'.repeat(level)} ${escapeMarkdown(text)}`);
    return this;
  }

  /** A paragraph of plain text, escaped. */
  paragraph(text: string): this {
    this.blocks.push(escapeMarkdown(text));
    return this;
  }

  /** Markdown the caller has already built from escaped parts (e.g. with `link`). */
  markdown(text: string): this {
    this.blocks.push(text);
    return this;
  }

  table(header: readonly string[], rows: readonly (readonly Cell[])[]): this {
    const lines = [
      `| ${header.map(escapeMarkdown).join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...rows.map((row) => `| ${row.map(renderCell).join(' | ')} |`),
    ];
    this.blocks.push(lines.join('\n'));
    return this;
  }

  list(items: readonly Cell[]): this {
    this.blocks.push(items.map((item) => `- ${renderCell(item)}`).join('\n'));
    return this;
  }

  /** A collapsed section whose body is already-rendered markdown. */
  details(summary: string, body: string): this {
    this.blocks.push(`<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n\n</details>`);
    return this;
  }

  isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  render(): string {
    return `${this.blocks.join('\n\n')}\n`;
  }

  /** Append everything to the job summary and start over. */
  async write(runner: Pick<Runner, 'appendSummary'>): Promise<void> {
    if (this.isEmpty()) return;
    const markdown = this.render();
    this.blocks.length = 0;
    await runner.appendSummary(markdown);
  }
}
