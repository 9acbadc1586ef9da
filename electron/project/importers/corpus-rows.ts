/**
 * What CSV and JSON Lines corpora share: finding which column holds the text,
 * title, date and so on (by the usual names, or as the user mapped them), and
 * turning each row into an article or a reason it was skipped. Metadata that
 * cannot be read is left out and summed up in one warning per kind, so a
 * corpus of 10,000 rows gives a short report rather than 10,000 lines.
 */
import { WorkbenchError } from "../../../shared/result";
import {
  type ArticleField,
  FIELD_NAMES,
  readLanguageTag,
  readOneLine,
  readPublicationDate,
  readWebAddress,
  simplifyFieldName,
  toParagraphLines,
} from "./article-fields";
import type { ColumnMapping, ExtractedArticle, ExtractResult } from "./extract-articles";

/** Which column (or JSON field) each article field is read from. */
export type ColumnPlan = Partial<Record<ArticleField, string>>;

const FIELDS: ArticleField[] = ["text", "title", "date", "url", "source", "language"];
const CONFLICT_MARKER = /^(?:<{7}|={7}|>{7}|\|{7})(?:\s|$)/m;

function listNames(names: string[]): string {
  const shown = names.slice(0, 30).map((n) => `"${n}"`);
  return names.length > 30 ? `${shown.join(", ")} and ${names.length - 30} more` : shown.join(", ");
}

/**
 * Decides which of the `available` columns feed which field: the user's
 * mapping first (it must name existing columns), then the usual names.
 * `unit` is "column" for CSV and "field" for JSON Lines, for the messages.
 */
export function planColumns(
  available: string[],
  mapping: ColumnMapping | undefined,
  name: string,
  unit: "column" | "field",
): ColumnPlan {
  const plan: ColumnPlan = {};
  const taken = new Set<string>();
  const find = (wanted: string) => available.find((c) => simplifyFieldName(c) === wanted);
  for (const field of FIELDS) {
    const asked = mapping?.[field];
    if (asked === undefined || asked.trim() === "") continue;
    const column = find(simplifyFieldName(asked));
    if (column === undefined)
      throw new WorkbenchError(
        "invalid-input",
        `${name}: there is no ${unit} "${asked}" (asked for as the ${field} ${unit}); the file has the ${unit}s ${listNames(available)}`,
        name,
      );
    plan[field] = column;
    taken.add(column);
  }
  for (const field of FIELDS) {
    if (plan[field] !== undefined) continue;
    for (const usual of FIELD_NAMES[field]) {
      const column = find(usual);
      if (column !== undefined && !taken.has(column)) {
        plan[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  if (plan.text === undefined)
    throw new WorkbenchError(
      "invalid-input",
      `${name}: no ${unit} holds the article text (looked for ${FIELD_NAMES.text.join(", ")}); the file has the ${unit}s ${listNames(available)}. Say which ${unit} holds the text with a column mapping, e.g. text = "${available[0] ?? "Artikeltext"}".`,
      name,
    );
  return plan;
}

/** Text from a cell or JSON value: strings as they are, a list of strings as paragraphs, numbers as written. */
function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("\n");
  return undefined;
}

/** Collects the articles and skipped rows of one corpus file, and what could not be read in them. */
export class CorpusCollector {
  readonly articles: ExtractedArticle[] = [];
  readonly skipped: { origin: string; reason: string }[] = [];
  readonly warnings: string[] = [];
  private readonly unreadable = new Map<string, { count: number; examples: string[] }>();

  constructor(
    private readonly name: string,
    private readonly plan: ColumnPlan,
    private readonly unit: "column" | "field",
  ) {}

  /** Skips a row with a reason; `origin` is "row N" or "line N". */
  skip(origin: string, reason: string): void {
    this.skipped.push({ origin, reason });
  }

  /** Reads one row; `cellOf` gives the raw value of a column or field by name. */
  addRow(origin: string, cellOf: (column: string) => unknown): void {
    const textColumn = this.plan.text ?? "text";
    const text = toParagraphLines(asText(cellOf(textColumn)) ?? "");
    if (text.length === 0) {
      this.skip(origin, `the text ${this.unit} "${textColumn}" is empty`);
      return;
    }
    if (CONFLICT_MARKER.test(text)) {
      this.skip(origin, "the text holds git conflict markers (<<<<<<<, =======, >>>>>>>)");
      return;
    }
    const article: ExtractedArticle = { text, origin };
    const read = (field: ArticleField) => {
      const column = this.plan[field];
      const raw = column === undefined ? undefined : asText(cellOf(column));
      return raw === undefined ? undefined : readOneLine(raw);
    };
    const title = read("title");
    if (title) article.title = title;
    const source = read("source");
    if (source) article.source = source;
    this.readChecked(article, "date", read("date"), readPublicationDate, origin);
    this.readChecked(article, "url", read("url"), readWebAddress, origin);
    this.readChecked(article, "language", read("language"), readLanguageTag, origin);
    this.articles.push(article);
  }

  private readChecked(
    article: ExtractedArticle,
    field: "date" | "url" | "language",
    raw: string | undefined,
    reader: (raw: string) => string | undefined,
    origin: string,
  ): void {
    if (raw === undefined) return;
    const value = reader(raw);
    if (value !== undefined) {
      article[field] = value;
      return;
    }
    const entry = this.unreadable.get(field) ?? { count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < 3) entry.examples.push(`${origin}: "${raw.slice(0, 60)}"`);
    this.unreadable.set(field, entry);
  }

  /** The result, with one warning per kind of unreadable metadata and one naming unused columns. */
  finish(available: string[]): ExtractResult {
    const problems: Record<string, string> = {
      date: "the date could not be read unambiguously (write it as YYYY-MM-DD)",
      url: "the URL is not a web address (http or https)",
      language: "the language is not a language tag such as de or en-GB",
    };
    const row = this.unit === "column" ? "row" : "line";
    for (const [field, { count, examples }] of this.unreadable) {
      const more = count > examples.length ? ", …" : "";
      this.warnings.push(
        `${this.name}: in ${count} ${row}${count === 1 ? "" : "s"} ${problems[field]}; left out (${examples.join(", ")}${more})`,
      );
    }
    const used = new Set(Object.values(this.plan));
    const unused = available.filter((column) => !used.has(column));
    if (unused.length > 0)
      this.warnings.push(
        `${this.name}: these ${this.unit}s were not imported: ${listNames(unused)}`,
      );
    return { articles: this.articles, warnings: this.warnings, skipped: this.skipped };
  }
}

/** Whether a line or a row's first cell is a git conflict marker, and which one. */
export function findConflictMarker(line: string): "start" | "middle" | "end" | undefined {
  if (line.startsWith("<<<<<<<")) return "start";
  if (line.startsWith("=======") || line.startsWith("|||||||")) return "middle";
  if (line.startsWith(">>>>>>>")) return "end";
  return undefined;
}
