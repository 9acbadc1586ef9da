/**
 * The loss report every export writes: what the chosen format could not carry,
 * with counts and a few examples, so that nothing is dropped silently.
 */

/** One kind of loss, e.g. "overlapping spans left out of the CoNLL tags". */
export interface LossItem {
  /** Stable key, e.g. `overlap`, `not-on-token-boundary`, `attribute-not-carried`. */
  code: string;
  /** What happened, in words. */
  description: string;
  count: number;
  /** Up to five examples, each naming the article, annotator and span. */
  examples: string[];
}

/** What one export wrote and what it could not carry. */
export interface LossReportData {
  format: string;
  documents: number;
  spans: number;
  items: LossItem[];
  /** Plain notes that are not losses (e.g. how overlaps were resolved). */
  notes: string[];
}

const MAX_EXAMPLES = 5;

/** What a report holds besides its totals: the losses and notes (what one converted piece reported). */
export interface LossEntries {
  items: LossItem[];
  notes: string[];
}

/** Collects losses while an export runs. */
export class LossReport {
  private readonly items = new Map<string, LossItem>();
  private readonly notes: string[] = [];
  documents = 0;
  spans = 0;

  constructor(readonly format: string) {}

  /**
   * Counts one loss of kind `code`; the first examples are kept. An example
   * given as a function is only called when it is kept.
   */
  add(code: string, description: string, example?: string | (() => string)): void {
    let item = this.items.get(code);
    if (!item) {
      item = { code, description, count: 0, examples: [] };
      this.items.set(code, item);
    }
    item.count += 1;
    if (example !== undefined && item.examples.length < MAX_EXAMPLES)
      item.examples.push(typeof example === "string" ? example : example());
  }

  /**
   * Adds what another report collected, as if its losses and notes had been
   * added here one by one after everything so far (the first examples stay first).
   */
  merge(other: LossEntries): void {
    for (const { code, description, count, examples } of other.items) {
      let item = this.items.get(code);
      if (!item) {
        item = { code, description, count: 0, examples: [] };
        this.items.set(code, item);
      }
      item.count += count;
      for (const example of examples) {
        if (item.examples.length >= MAX_EXAMPLES) break;
        item.examples.push(example);
      }
    }
    for (const text of other.notes) this.note(text);
  }

  /** The losses and notes so far (for `merge` into another report). */
  entries(): LossEntries {
    return { items: [...this.items.values()], notes: [...this.notes] };
  }

  /** Adds a note that is not a loss (policies applied, files written). */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Total number of losses of every kind. */
  get lossCount(): number {
    let total = 0;
    for (const item of this.items.values()) total += item.count;
    return total;
  }

  /** The report as data (for JSON and the app). */
  toData(): LossReportData {
    return {
      format: this.format,
      documents: this.documents,
      spans: this.spans,
      items: [...this.items.values()],
      notes: [...this.notes],
    };
  }
}

/** The report as the short text printed by the CLI and written to `export-report.txt`. */
export function formatLossReport(data: LossReportData): string {
  const lines = [`Export as ${data.format}: ${data.documents} document(s), ${data.spans} span(s).`];
  if (data.items.length === 0)
    lines.push("Nothing was lost: the format holds every span and attribute.");
  else {
    lines.push("Not carried by this format (kept in the project and in the JSONL export):");
    for (const item of data.items) {
      lines.push(`- ${item.description}: ${item.count}`);
      for (const example of item.examples) lines.push(`    e.g. ${example}`);
    }
  }
  for (const note of data.notes) lines.push(`Note: ${note}`);
  return `${lines.join("\n")}\n`;
}

/** A short example naming where a span is: `article (annotator) LABEL "text" 12–19`. */
export function describeSpanForReport(
  doc: { id: string; annotator: string },
  span: { label: string; text: string; start: number; end: number },
): string {
  const text = span.text.length > 40 ? `${span.text.slice(0, 39)}…` : span.text;
  return `${doc.id} (${doc.annotator}) ${span.label} "${text}" ${span.start}–${span.end}`;
}
