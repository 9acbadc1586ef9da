/**
 * Markdown files (.md, .markdown): front matter (`---` … `---`) read as
 * metadata, the rest rendered by `marked` and read back as text with the same
 * rules as web pages. Going through HTML keeps one set of rules for lists,
 * quotes, code, tables, entities and raw HTML inside Markdown — so a
 * `<script>` in a Markdown file is dropped exactly as in a web page.
 */
import { Marked } from "marked";
import { WorkbenchError } from "../../../shared/result";
import {
  type ArticleField,
  FIELD_NAMES,
  readLanguageTag,
  readOneLine,
  readPublicationDate,
  readWebAddress,
  simplifyFieldName,
} from "./article-fields";
import { decodeTextBytes } from "./decode-text";
import type { ExtractedArticle, ExtractResult } from "./extract-articles";
import { getPageLines, parsePage } from "./page-text";

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(trimmed);
  return quoted ? (quoted[1] ?? quoted[2] ?? "") : trimmed;
}

/** Simple `key: value` front matter; nested YAML is not needed for article metadata and is ignored. */
function readFrontMatter(
  block: string,
  name: string,
  warnings: string[],
): Partial<ExtractedArticle> {
  const meta: Partial<ExtractedArticle> = {};
  const fieldOf = new Map<string, ArticleField>();
  for (const [field, names] of Object.entries(FIELD_NAMES) as [ArticleField, string[]][]) {
    for (const key of names) if (field !== "text") fieldOf.set(key, field);
  }
  for (const line of block.split(/\r?\n/)) {
    const pair = /^([A-Za-z_][\w -]*):(.*)$/.exec(line);
    if (!pair) continue;
    const field = fieldOf.get(simplifyFieldName(pair[1] ?? ""));
    const value = unquote(pair[2] ?? "");
    if (field === undefined || value === "" || meta[field] !== undefined) continue;
    if (field === "date") {
      const date = readPublicationDate(value);
      if (date) meta.date = date;
      else
        warnings.push(
          `${name}: the date "${value}" in the front matter could not be read; left out.`,
        );
    } else if (field === "url") {
      const url = readWebAddress(value);
      if (url) meta.url = url;
      else warnings.push(`${name}: "${value}" in the front matter is not a web address; left out.`);
    } else if (field === "language") {
      const language = readLanguageTag(value);
      if (language) meta.language = language;
    } else {
      const text = readOneLine(value);
      if (text) meta[field] = text;
    }
  }
  return meta;
}

/** Extracts a Markdown article: plain text one block per line, metadata from front matter, title from the first `#` heading. */
export function extractMarkdownArticle(bytes: Uint8Array, name: string): ExtractResult {
  const decoded = decodeTextBytes(bytes, name);
  const warnings = decoded.warning ? [decoded.warning] : [];
  let source = decoded.text.replace(/^\uFEFF/, "");
  let meta: Partial<ExtractedArticle> = {};
  const frontMatter = FRONT_MATTER.exec(source);
  if (frontMatter) {
    meta = readFrontMatter(frontMatter[1] ?? "", name, warnings);
    source = source.slice(frontMatter[0].length);
  }
  const html = new Marked({ gfm: true, async: false }).parse(source) as string;
  const page = parsePage(`<!doctype html><html><body>${html}</body></html>`);
  const lines = getPageLines(page.body);
  if (lines.length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the file holds no text`, name);
  const heading = Array.from(page.body.children).find((element) => element.localName === "h1");
  const headingTitle = heading ? getPageLines(heading).join(" ") : "";
  const title = meta.title ?? readOneLine(headingTitle);
  return {
    articles: [{ ...meta, text: lines.join("\n"), ...(title === undefined ? {} : { title }) }],
    warnings,
    skipped: [],
  };
}
