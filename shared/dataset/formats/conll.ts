/**
 * CoNLL-2003 style token/tag columns, the lingua franca of NER tools.
 *
 * Export, per part: `data.conll` — every document starts with the line
 * `-DOCSTART- -X- -X- O` and a blank line, then one block per sentence (blank
 * line after each), one token per line as `TOKEN -X- _ TAG` (no `#` comments:
 * CoNLL-2003 readers take them for tokens). Tokens and sentences come from
 * `tokenize`, tags from `tagTokens` (IOB1, IOB2 or BIOES; its policy for
 * overlaps, boundaries and sentence ends). A token with whitespace-like
 * characters in it (e.g. a space followed by a stray combining mark) gets `_`
 * in their place, reported. `data.offsets.jsonl` has one line per document in
 * the same order — `{"id","annotator","language","text","tokens":[[start,end],…]}`
 * with code-point offsets — so tokens align exactly with the text.
 *
 * Import: documents split at `-DOCSTART-`, sentences at blank lines; the first
 * column is the token, the last the tag (any number of columns, but the same on
 * every line). Without an offsets file the text is rebuilt: tokens joined by a
 * space, sentences by a line break. With the sibling `<name>.offsets.jsonl`
 * among the files, its text and offsets are used exactly, so export → import →
 * export gives the same bytes. Tags of all three schemes are decoded by one
 * lenient reader (an `I-` or `E-` that opens a chunk starts one).
 */

import {
  DatasetFileError,
  type ImportedData,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type ImportFile,
} from "../format-types";
import { tokenCell } from "./conll-export";

export { conllExporter } from "./conll-export";

const DOCSTART = "-DOCSTART-";
/** A legal tag: `O`, or a prefix and a label. */
const TAG = /^(?:O|[BIES]-\S+)$/;
const CONLL_NAME = /\.(?:conll|iob|bio|txt)$/i;
const OFFSETS_SUFFIX = ".offsets.jsonl";

// ---------------------------------------------------------------- import

/** A token line: the first column, the last (the tag) and the line number. */
type TokenLine = { cell: string; tag: string; line: number };

interface ParsedDocument {
  /** Line of its `-DOCSTART-` (or first token). */
  line: number;
  sentences: TokenLine[][];
}

type Utf8Decoder = { decode(bytes: Uint8Array): string };
const { TextDecoder: Decoder } = globalThis as unknown as {
  TextDecoder: new (label: string, options?: { fatal?: boolean }) => Utf8Decoder;
};

function decodeFile(file: ImportFile): string {
  try {
    return new Decoder("utf-8", { fatal: true }).decode(file.data);
  } catch {
    throw new DatasetFileError(file.name, "not UTF-8 text");
  }
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** True for a `#` line that is not a token line (a comment some tools write). */
function isComment(line: string, cells: string[]): boolean {
  return line.startsWith("#") && !TAG.test(cells[cells.length - 1] ?? "");
}

/** Reads the documents, sentences and token lines of a CoNLL file; malformed lines throw. */
function parseConll(name: string, text: string): ParsedDocument[] {
  const documents: ParsedDocument[] = [];
  let columns: number | undefined;
  let sentence: TokenLine[] = [];
  let tokenLines = 0;
  const endSentence = () => {
    if (sentence.length === 0) return;
    let doc = documents[documents.length - 1];
    if (!doc) {
      doc = { line: sentence[0]?.line ?? 1, sentences: [] };
      documents.push(doc);
    }
    doc.sentences.push(sentence);
    sentence = [];
  };
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim();
    const lineNumber = index + 1;
    if (line === "") {
      endSentence();
      return;
    }
    const cells = line.split(/[ \t]+/);
    if (cells[0] === DOCSTART) {
      endSentence();
      documents.push({ line: lineNumber, sentences: [] });
      return;
    }
    if (isComment(line, cells)) return;
    if (cells.length < 2) {
      throw new DatasetFileError(name, `expected a token and a tag, found "${line}"`, lineNumber);
    }
    columns ??= cells.length;
    if (cells.length !== columns) {
      throw new DatasetFileError(
        name,
        `${cells.length} columns, but the first token line has ${columns}`,
        lineNumber,
      );
    }
    const tag = cells[cells.length - 1] ?? "";
    if (!TAG.test(tag)) {
      throw new DatasetFileError(
        name,
        `illegal tag "${tag}" (expected O, or B-, I-, E- or S- and a label)`,
        lineNumber,
      );
    }
    sentence.push({ cell: cells[0] ?? "", tag, line: lineNumber });
    tokenLines++;
  });
  endSentence();
  if (tokenLines === 0) throw new DatasetFileError(name, "no token lines (empty file?)", 1);
  return documents;
}

/** A decoded chunk: a label over tokens `[first, last)` of the document. */
type Chunk = { label: string; first: number; last: number };

/**
 * Decodes one sentence's tags into chunks `[first, last)`. Reads IOB1, IOB2
 * and BIOES alike: B and S open a chunk, I and E continue one of their label
 * (or open one), E and S close it, O closes. Counts chunks that break BIOES.
 */
function decodeTags(tags: string[], offset: number, chunks: Chunk[]): number {
  let open: Chunk | undefined;
  let irregular = 0;
  let openedBy = "";
  const close = () => {
    if (open) {
      chunks.push(open);
      if (openedBy !== "S" && openedBy !== "BE") irregular++;
    }
    open = undefined;
  };
  tags.forEach((tag, i) => {
    const index = offset + i;
    if (tag === "O") {
      close();
      return;
    }
    const prefix = tag[0] ?? "";
    const label = tag.slice(2);
    const continues = (prefix === "I" || prefix === "E") && open?.label === label;
    if (continues && open) open.last = index + 1;
    else {
      close();
      open = { label, first: index, last: index + 1 };
      openedBy = prefix;
    }
    if (prefix === "E" && openedBy === "B") openedBy = "BE";
    if (prefix === "E" || prefix === "S") close();
  });
  close();
  return irregular;
}

interface OffsetsLine {
  id: string;
  annotator: string;
  language?: string;
  text: string;
  tokens: Array<[number, number]>;
}

function parseOffsets(file: ImportFile): OffsetsLine[] {
  const rows: OffsetsLine[] = [];
  splitLines(decodeFile(file)).forEach((line, index) => {
    if (line.trim() === "") return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new DatasetFileError(file.name, "not a JSON object", index + 1);
    }
    const r = row as Partial<OffsetsLine> | null;
    const tokensOk =
      Array.isArray(r?.tokens) &&
      r.tokens.every(
        (t) => Array.isArray(t) && t.length === 2 && t.every((n) => Number.isInteger(n) && n >= 0),
      );
    if (typeof r?.text !== "string" || typeof r.id !== "string" || !tokensOk) {
      throw new DatasetFileError(
        file.name,
        'expected {"id","annotator","text","tokens":[[start,end],…]}',
        index + 1,
      );
    }
    const { id, text, tokens } = r as OffsetsLine;
    const annotator = typeof r.annotator === "string" ? r.annotator : "";
    rows.push({
      id,
      annotator,
      text,
      tokens,
      language: typeof r.language === "string" ? r.language : undefined,
    });
  });
  return rows;
}

function offsetsNameFor(name: string): string {
  return name.replace(CONLL_NAME, OFFSETS_SUFFIX);
}

type TokenOffsets = Array<[number, number]>;

/** The text when there is no offsets file: tokens joined by spaces, sentences by line breaks. */
function rebuiltText(doc: ParsedDocument): { text: string; tokens: TokenOffsets } {
  const tokens: TokenOffsets = [];
  let at = 0;
  for (const [s, sentence] of doc.sentences.entries()) {
    if (s > 0) at += 1; // the "\n" between sentences
    for (const [i, token] of sentence.entries()) {
      if (i > 0) at += 1; // the " " between tokens
      const length = Array.from(token.cell).length;
      tokens.push([at, at + length]);
      at += length;
    }
  }
  const text = doc.sentences
    .map((sentence) => sentence.map((token) => token.cell).join(" "))
    .join("\n");
  return { text, tokens };
}

/** The text and token offsets of the offsets file, checked token by token against the CoNLL file. */
function checkedText(
  name: string,
  doc: ParsedDocument,
  offsets: { name: string; line: number; row: OffsetsLine },
): { text: string; tokens: TokenOffsets } {
  const { text, tokens } = offsets.row;
  const lines = doc.sentences.flat();
  if (tokens.length !== lines.length) {
    throw new DatasetFileError(
      offsets.name,
      `${tokens.length} token offsets, but ${name}:${doc.line} has ${lines.length} tokens`,
      offsets.line,
    );
  }
  const codePoints = Array.from(text);
  for (const [i, token] of lines.entries()) {
    const [start, end] = tokens[i] ?? [0, 0];
    const slice = codePoints.slice(start, end).join("");
    if (end <= start || end > codePoints.length || tokenCell(slice) !== token.cell) {
      throw new DatasetFileError(
        name,
        `token "${token.cell}" does not match the text at ${start}–${end} ("${slice}") in ${offsets.name}:${offsets.line}`,
        token.line,
      );
    }
  }
  return { text, tokens };
}

/** Reads one CoNLL file (with its offsets file, if any) into documents. */
function readConll(
  file: ImportFile,
  offsetsFile: ImportFile | undefined,
  data: ImportedData,
): void {
  const parsed = parseConll(file.name, decodeFile(file));
  const offsets = offsetsFile ? parseOffsets(offsetsFile) : undefined;
  if (offsets && offsetsFile && offsets.length !== parsed.length) {
    throw new DatasetFileError(
      offsetsFile.name,
      `has ${offsets.length} document line(s), but ${file.name} has ${parsed.length} document(s)`,
    );
  }
  let irregular = 0;
  parsed.forEach((doc, d) => {
    const origin = `${file.name}:${doc.line}`;
    const row = offsets?.[d];
    const where = offsetsFile && row ? { name: offsetsFile.name, line: d + 1, row } : undefined;
    const { text, tokens } = where ? checkedText(file.name, doc, where) : rebuiltText(doc);
    if (tokens.length === 0) {
      data.warnings.push(`${origin}: document without tokens, skipped`);
      return;
    }
    const chunks: Chunk[] = [];
    let offset = 0;
    for (const sentence of doc.sentences) {
      irregular += decodeTags(
        sentence.map((token) => token.tag),
        offset,
        chunks,
      );
      offset += sentence.length;
    }
    const codePoints = Array.from(text);
    const spans: ImportedSpan[] = chunks.map(({ label, first, last }) => {
      const start = tokens[first]?.[0] ?? 0;
      const end = tokens[last - 1]?.[1] ?? start;
      return { start, end, label, text: codePoints.slice(start, end).join("") };
    });
    const result: ImportedDocument = { origin, text, spans };
    if (row) {
      result.id = row.id;
      result.annotator = row.annotator;
      if (row.language !== undefined) result.meta = { language: row.language };
    }
    data.documents.push(result);
  });
  const bioes = parsed.some((doc) => doc.sentences.flat().some((t) => /^[ES]-/.test(t.tag)));
  if (bioes && irregular > 0) {
    data.warnings.push(
      `${file.name}: read as BIOES; ${irregular} chunk(s) did not start with B- and end with E- (or be S-), read leniently`,
    );
  }
}

/** The first `bytes` bytes of `file` as text (a character cut in two becomes U+FFFD). */
function headText(file: ImportFile, bytes: number): string {
  return new Decoder("utf-8").decode(file.data.subarray(0, bytes));
}

/** CoNLL import: `.conll`, `.iob`, `.bio` or `.txt` token/tag columns, with `data.offsets.jsonl` when given. */
export const conllImporter: Importer = {
  format: "conll",
  detect(file) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith(OFFSETS_SUFFIX)) {
      const end = file.data.indexOf(10);
      try {
        const row = JSON.parse(headText(file, end < 0 ? file.data.length : end));
        return typeof row?.text === "string" && Array.isArray(row?.tokens);
      } catch {
        return false;
      }
    }
    if (!CONLL_NAME.test(lower)) return false;
    const lines = splitLines(headText(file, 4096));
    if (file.data.length > 4096) lines.pop(); // possibly cut in the middle
    const rows = lines
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .slice(0, 10);
    if (rows[0]?.startsWith(DOCSTART)) return true;
    const tokenRows = rows
      .map((line) => line.split(/[ \t]+/))
      .filter((cells, i) => !isComment(rows[i] ?? "", cells));
    const columns = tokenRows[0]?.length ?? 0;
    const minimum = lower.endsWith(".txt") ? 2 : 1;
    return (
      columns >= 2 &&
      tokenRows.length >= minimum &&
      tokenRows.every((cells) => cells.length === columns && TAG.test(cells[columns - 1] ?? ""))
    );
  },
  read(files) {
    const data: ImportedData = { documents: [], warnings: [] };
    const byName = new Map(files.map((file) => [file.name, file]));
    const used = new Set<string>();
    for (const file of files) {
      if (file.name.toLowerCase().endsWith(OFFSETS_SUFFIX)) continue;
      const offsets = byName.get(offsetsNameFor(file.name));
      if (offsets) used.add(offsets.name);
      readConll(file, offsets, data);
    }
    for (const file of files) {
      if (file.name.toLowerCase().endsWith(OFFSETS_SUFFIX) && !used.has(file.name)) {
        data.warnings.push(`${file.name}: no CoNLL file of the same name, ignored`);
      }
    }
    return data;
  },
};
