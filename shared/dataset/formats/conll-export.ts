/**
 * The CoNLL-2003 export (see conll.ts for the format): `data.conll` and
 * `data.offsets.jsonl` per part, built document by document; in the app's
 * export as UTF-8 bytes directly, one line per token without a string each.
 */
import { ByteWriter, utf8 } from "../byte-writer";
import { type DatasetDocument, partPath } from "../dataset";
import type { Chunk, ChunkedFile, ExportOptions, PieceExporter, PieceTools } from "../format-types";
import type { LossReport } from "../loss-report";
import { eachDocument, exportByPieces, mergeReports } from "../pieces";
import { tagTokens } from "../token-tags";
import { type Token, type TokenizedText, tokenize } from "../tokens";
import { reportUncarriedAttributes, tokenPolicyNote } from "./uncarried";

/** The line that starts every document. */
export const DOCSTART_LINE = "-DOCSTART- -X- -X- O";
/** Characters a CoNLL reader splits columns on: JavaScript's `\s` plus Python's extra `str.split` ones. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.split() splits on U+001C–U+001F.
const WHITESPACE_LIKE = /[\s\u001c-\u001f\u0085]/gu;

/** The token as written in the first column: whitespace-like characters become `_`, never empty. */
export function tokenCell(text: string): string {
  const cell = text.replace(WHITESPACE_LIKE, "_");
  return cell === "" ? "_" : cell;
}

/** Per UTF-16 unit: 1 when `WHITESPACE_LIKE` matches it, 2 when not, 0 not yet known. */
const whitespaceLike = new Uint8Array(0x10000);
const ONE_WHITESPACE_LIKE = new RegExp(`^${WHITESPACE_LIKE.source}$`, "u");

/** True when `WHITESPACE_LIKE` matches UTF-16 unit `unit`. */
function whitespaceLikeUnit(unit: number): boolean {
  let known = whitespaceLike[unit] as number;
  if (known === 0) {
    known = ONE_WHITESPACE_LIKE.test(String.fromCharCode(unit)) ? 1 : 2;
    whitespaceLike[unit] = known;
  }
  return known === 1;
}

/** `tokenCell(text)` without a regular expression for the usual token. */
function cellOf(text: string): string {
  if (text === "") return "_";
  for (let i = 0; i < text.length; i++)
    if (whitespaceLikeUnit(text.charCodeAt(i))) return tokenCell(text);
  return text;
}

/** What every annotator's document of one text shares: its tokens, their lines' starts, offsets JSON. */
interface TextLines {
  tokenized: TokenizedText;
  /** `TOKEN -X- _ ` of each token (text output). */
  starts?: string[];
  /** The same as UTF-8, one after the other, and where each begins (byte output). */
  startBytes?: { bytes: Uint8Array; at: Int32Array };
  /** Indices of tokens whose cell is not the token (whitespace replaced). */
  replaced: number[];
  /** `"text":…,"tokens":[…]}` of the offsets line. */
  offsetsTail: Chunk;
}

const COLUMNS = " -X- _ ";
const COLUMN_BYTES = utf8(COLUMNS);

function textLines(text: string, language: string, tools: PieceTools): TextLines {
  const tokenized = tokenize(text, language);
  const { tokens } = tokenized;
  const replaced: number[] = [];
  const head = `"text":${JSON.stringify(text)},"tokens":[`;
  if (!tools.utf8) {
    const starts: string[] = new Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      const cell = cellOf(token.text);
      if (cell !== token.text) replaced.push(i);
      starts[i] = `${cell}${COLUMNS}`;
    }
    const offsets = tokens.map((token) => `[${token.start},${token.end}]`).join(",");
    return { tokenized, starts, replaced, offsetsTail: `${head}${offsets}]}\n` };
  }
  const at = new Int32Array(tokens.length + 1);
  const starts = new ByteWriter(text.length * 2 + tokens.length * COLUMNS.length);
  const offsets = new ByteWriter(head.length * 3 + tokens.length * 12 + 8);
  offsets.text(head);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    at[i] = starts.length;
    if (!starts.asciiWord(token.text, whitespaceLikeUnit)) {
      const cell = cellOf(token.text);
      if (cell !== token.text) replaced.push(i);
      starts.text(cell);
    }
    starts.bytes(COLUMN_BYTES);
    if (i > 0) offsets.byte(0x2c);
    offsets.byte(0x5b);
    offsets.int(token.start);
    offsets.byte(0x2c);
    offsets.int(token.end);
    offsets.byte(0x5d);
  }
  at[tokens.length] = starts.length;
  offsets.text("]}\n");
  const startBytes = { bytes: starts.done(), at };
  return { tokenized, startBytes, replaced, offsetsTail: offsets.done() };
}

/** One document's lines of `data.conll` and its line of `data.offsets.jsonl`. */
interface ConllPiece {
  conll: Chunk;
  offsets: Chunk[];
}

const DOCSTART_BYTES = utf8(`${DOCSTART_LINE}\n\n`);

/** The token lines of one document: `TOKEN -X- _ TAG`, a blank line after each sentence. */
function tokenLines(shared: TextLines, tags: string[], tools: PieceTools): Chunk {
  const { tokenized, starts, startBytes } = shared;
  if (!startBytes || !tools.utf8) {
    // Pieces joined once: no string per line.
    const out: string[] = [`${DOCSTART_LINE}\n\n`];
    for (const [first, last] of tokenized.sentences) {
      for (let i = first; i < last; i++) out.push(starts?.[i] ?? "", tags[i] ?? "O", "\n");
      out.push("\n");
    }
    return tools.chunk(out.join(""));
  }
  const { bytes, at } = startBytes;
  const tagBytes = new Map<string, Uint8Array>();
  // The exact size, so that the buffer is handed on as it is.
  let size = DOCSTART_BYTES.length + bytes.length + tags.length + tokenized.sentences.length;
  for (const tag of tags) {
    if (tag === "O") size++;
    else {
      let encoded = tagBytes.get(tag);
      if (!encoded) {
        encoded = utf8(tag);
        tagBytes.set(tag, encoded);
      }
      size += encoded.length;
    }
  }
  const out = new Uint8Array(size);
  out.set(DOCSTART_BYTES);
  let pos = DOCSTART_BYTES.length;
  for (const [first, last] of tokenized.sentences) {
    for (let i = first; i < last; i++) {
      const to = at[i + 1] as number;
      for (let b = at[i] as number; b < to; b++) out[pos++] = bytes[b] as number;
      const tag = tags[i] ?? "O";
      if (tag === "O") out[pos++] = 0x4f;
      else {
        const encoded = tagBytes.get(tag) as Uint8Array;
        for (let b = 0; b < encoded.length; b++) out[pos++] = encoded[b] as number;
      }
      out[pos++] = 0x0a;
    }
    out[pos++] = 0x0a;
  }
  return out;
}

function conllDocument(
  doc: DatasetDocument,
  shared: TextLines,
  options: ExportOptions,
  report: LossReport,
  tools: PieceTools,
): ConllPiece {
  const { tokenized } = shared;
  const { tags } = tagTokens(doc, tokenized, options.scheme, report, options.tagKinds);
  reportUncarriedAttributes(doc, report, "CoNLL");
  const conll = tokenLines(shared, tags, tools);
  for (const i of shared.replaced) {
    const token = tokenized.tokens[i] as Token;
    report.add(
      "token-whitespace-replaced",
      "tokens with whitespace-like characters, written with _ in their place (data.offsets.jsonl has the text)",
      () =>
        `${doc.id} (${doc.annotator}) ${JSON.stringify(token.text)} ${token.start}–${token.end}`,
    );
  }
  const head = `{"id":${JSON.stringify(doc.id)},"annotator":${JSON.stringify(doc.annotator)},"language":${JSON.stringify(doc.meta.language)},`;
  return { conll, offsets: [tools.chunk(head), shared.offsetsTail] };
}

/** CoNLL-2003 export: `data.conll` plus `data.offsets.jsonl` per non-empty part. */
export const conllExporter: PieceExporter<ConllPiece> = {
  format: "conll",
  description:
    "CoNLL-2003 columns (TOKEN -X- _ TAG; IOB1, IOB2 or BIOES) with a code-point offsets file",
  lossless: false,
  begin(_context, options, report) {
    report.note(tokenPolicyNote(options.scheme, options.tagKinds));
  },
  convert(documents, _context, options, tools) {
    // Every annotator's document has the article's text: tokenize and lay out its lines once.
    const shared = new Map<string, TextLines>();
    return eachDocument(documents, (doc, report) => {
      const key = `${doc.meta.language}\u0000${doc.text}`;
      let lines = shared.get(key);
      if (!lines) {
        lines = textLines(doc.text, doc.meta.language, tools);
        shared.set(key, lines);
      }
      return conllDocument(doc, lines, options, report, tools);
    });
  },
  assemble(_context, parts, _options, report) {
    const files: ChunkedFile[] = [];
    for (const part of parts) {
      if (part.documents === 0) continue;
      const pieces = mergeReports(report, part.converted);
      files.push({ path: partPath(part, "data.conll"), chunks: pieces.map((p) => p.conll) });
      files.push({
        path: partPath(part, "data.offsets.jsonl"),
        chunks: pieces.flatMap((p) => p.offsets),
      });
    }
    return files;
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(conllExporter, dataset, parts, options, report);
  },
};
