/**
 * spaCy v3 export: per part a `data.spacy` file that spaCy 3.x reads with
 * `DocBin().from_disk(path).get_docs(nlp.vocab)` (and `spacy train` takes as
 * corpus), plus `data.jsonl`, the same docs as readable JSON lines.
 *
 * The DocBin layout is that of `spacy/tokens/_serialize.py` `DocBin.to_bytes`
 * (spaCy 3.4 – 3.8): zlib-compressed msgpack of the map
 *   version "0.1"; attrs = ORTH first, then the other `DOCBIN_ALL_ATTRS` ids
 *   in ascending order; tokens = uint64 little-endian, rows = tokens of all
 *   docs, columns = attrs; spaces = one bool byte per token; lengths = int32
 *   little-endian tokens per doc; strings = every string behind an id, sorted;
 *   cats = one map per doc; flags = `{has_unknown_spaces: false}` per doc;
 *   span_groups = per doc the bytes of `SpanGroups.to_bytes()`: msgpack
 *   `{group bytes: [key]}`, group bytes = msgpack `{name, attrs, spans}`, each
 *   span `struct.pack(">QQQllll", id, kb_id, label, start, end, start_char,
 *   end_char)` (big-endian, 40 bytes).
 * Strings are stored as their `StringStore` ids (`murmurhash.ts`).
 *
 * What goes where:
 *  - tokens: the words of `tokenize()`. A spaCy token's trailing-space flag
 *    stands for exactly one " "; any other whitespace (line breaks, tabs, double
 *    spaces, NBSP, leading whitespace) becomes a whitespace token, as spaCy's
 *    tokenizer makes it, so `doc.text` is the article text exactly.
 *  - `doc.ents`: spans of `options.tagKinds` under the flat-tag policy of
 *    `tagTokens` (outermost wins, cut at sentence ends), kb_id = registry entity.
 *  - `doc.spans["sc"]`: every span of every kind, overlaps allowed, widened to
 *    whole tokens; kb_id = registry entity.
 *  - `doc.cats`: `"variable=option"` → 1.0 / 0.0 for single and multi choice
 *    variables a document was coded on; text and number codes are reported.
 *  - `data.jsonl`: one line per doc, `{"id","annotator","text","ents":[[start,
 *    end,label]],"spans":{"sc":[[start,end,label]]},"cats":{…}}`, offsets in
 *    code points (Python `text[start:end]`), widened exactly as in the .spacy.
 */
import { strToU8, zlibSync } from "fflate";
import { countCodePoints, sliceCodePoints } from "../../text-blocks";
import {
  compareSpans,
  type Dataset,
  type DatasetDocument,
  type DatasetPart,
  type ExportFile,
  partPath,
} from "../dataset";
import type { Exporter, ExportOptions } from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { type TaggedChunk, tagTokens } from "../token-tags";
import { type Token, tokenize } from "../tokens";
import { SPACY_SYMBOLS, spacyStringId } from "./murmurhash";
import { reportUncarriedAttributes } from "./uncarried";

/** A span on spaCy token indices `[start, end)`, with its label and optional kb_id. */
export interface SpacySpan {
  start: number;
  end: number;
  label: string;
  kbId?: string;
}

/** One spaCy `Doc` as a DocBin stores it. */
export interface SpacyDocData {
  words: string[];
  /** True when exactly one " " follows the word (spaCy's `token.whitespace_`). */
  spaces: boolean[];
  ents: SpacySpan[];
  /** `doc.spans` groups in key order. */
  spanGroups: Array<[string, SpacySpan[]]>;
  /** `doc.cats` in insertion order. */
  cats: Array<[string, number]>;
}

// ---------------------------------------------------------------------------
// msgpack as srsly writes it (`msgpack.dumps(data, use_bin_type=True)`): the
// smallest int, str and bin forms, Python floats as float64. @msgpack/msgpack
// cannot write 1.0 as a float or bytes as map keys, so the few forms are here.

/** A Python float: written as msgpack float64 even when it is a whole number. */
class Float64 {
  constructor(readonly value: number) {}
}

type Packable =
  | boolean
  | number
  | string
  | Uint8Array
  | Float64
  | readonly Packable[]
  | ReadonlyMap<Packable, Packable>
  | { readonly [key: string]: Packable };

/** A length header: the fix form up to `fixMax` (if any), then the 8-, 16- and 32-bit forms. */
function sized(
  out: number[][],
  n: number,
  [fix, fixMax, c8, c16, c32]: [number, number, number | undefined, number, number],
): void {
  if (n <= fixMax) out.push([fix | n]);
  else if (n < 0x100 && c8 !== undefined) out.push([c8, n]);
  else if (n < 0x10000) out.push([c16, n >>> 8, n & 0xff]);
  else out.push([c32, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

const STR: Parameters<typeof sized>[2] = [0xa0, 31, 0xd9, 0xda, 0xdb];
const BIN: Parameters<typeof sized>[2] = [0, -1, 0xc4, 0xc5, 0xc6];
const ARRAY: Parameters<typeof sized>[2] = [0x90, 15, undefined, 0xdc, 0xdd];
const MAP: Parameters<typeof sized>[2] = [0x80, 15, undefined, 0xde, 0xdf];

function packInto(value: Packable, out: Array<number[] | Uint8Array>): void {
  const heads = out as number[][];
  if (typeof value === "boolean") out.push([value ? 0xc3 : 0xc2]);
  else if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new Error(`not a uint32: ${value}`);
    if (value < 0x80) out.push([value]);
    else if (value < 0x100) out.push([0xcc, value]);
    else if (value < 0x10000) out.push([0xcd, value >>> 8, value & 0xff]);
    else out.push([0xce, value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
  } else if (typeof value === "string") {
    const bytes = strToU8(value);
    sized(heads, bytes.length, STR);
    out.push(bytes);
  } else if (value instanceof Uint8Array) {
    sized(heads, value.length, BIN);
    out.push(value);
  } else if (value instanceof Float64) {
    const bytes = new Uint8Array(9);
    bytes[0] = 0xcb;
    new DataView(bytes.buffer).setFloat64(1, value.value);
    out.push(bytes);
  } else if (Array.isArray(value)) {
    sized(heads, value.length, ARRAY);
    for (const item of value) packInto(item, out);
  } else {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    sized(heads, entries.length, MAP);
    for (const [key, item] of entries) {
      packInto(key, out);
      packInto(item, out);
    }
  }
}

function pack(value: Packable): Uint8Array {
  const out: Array<number[] | Uint8Array> = [];
  packInto(value, out);
  const bytes = new Uint8Array(out.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of out) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

// ---------------------------------------------------------------------------
// DocBin

/** `DOCBIN_ALL_ATTRS` as `DocBin()` stores them: ORTH first, then the other ids ascending. */
export const DOCBIN_ATTR_NAMES: readonly string[] =
  "ORTH NORM LEMMA POS TAG DEP ENT_IOB ENT_TYPE HEAD SENT_START ENT_KB_ID MORPH ENT_ID".split(" ");
/** The attribute ids (`spacy.attrs.IDS`) of `DOCBIN_ATTR_NAMES`: 65, 67, 73 … 80, 452, 453, 454. */
export const DOCBIN_ATTRS: readonly number[] = DOCBIN_ATTR_NAMES.map(
  (n) => SPACY_SYMBOLS.get(n) ?? -1,
);
const [ORTH, ENT_IOB, ENT_TYPE, ENT_KB_ID, SENT_START] = [
  "ORTH",
  "ENT_IOB",
  "ENT_TYPE",
  "ENT_KB_ID",
  "SENT_START",
].map((name) => DOCBIN_ATTR_NAMES.indexOf(name)) as [number, number, number, number, number];
/** `Token.iob_strings()`: "" (missing) 0, I 1, O 2, B 3. */
const IOB_I = 1n;
const IOB_O = 2n;
const IOB_B = 3n;

/** Sorts like Python's `sorted()` on str: by code point, not by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000…U+FFFF.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** Code-point start of every token, from words and spaces. */
function charStarts(doc: SpacyDocData): number[] {
  const starts: number[] = [];
  let offset = 0;
  doc.words.forEach((word, i) => {
    starts.push(offset);
    offset += countCodePoints(word) + (doc.spaces[i] ? 1 : 0);
  });
  return starts;
}

/** The char offsets `[start_char, end_char)` of a token span. */
function spanChars(doc: SpacyDocData, starts: number[], span: SpacySpan): [number, number] {
  const last = span.end - 1;
  return [starts[span.start] ?? 0, (starts[last] ?? 0) + countCodePoints(doc.words[last] ?? "")];
}

/**
 * The uncompressed msgpack DocBin of `docs`: byte for byte what spaCy 3.8's
 * `DocBin(docs=…).to_bytes()` packs before `zlib.compress` for the same docs
 * built on a bare `Vocab()` (no NORM, LEMMA, tags or parse; those columns are 0,
 * so the loading vocab supplies NORM, and "" stands in `strings` for the empty
 * tag_, lemma_, dep_ … as in spaCy's own files).
 */
export function docBinMessage(docs: readonly SpacyDocData[]): Uint8Array {
  const strings = new Set<string>([""]); // tag_, lemma_, dep_ … of every token are ""
  const ids = new Map<string, bigint>();
  const idOf = (text: string): bigint => {
    let id = ids.get(text);
    if (id === undefined) {
      id = spacyStringId(text);
      ids.set(text, id);
    }
    strings.add(text);
    return id;
  };
  const rows = docs.reduce((sum, doc) => sum + doc.words.length, 0);
  const width = DOCBIN_ATTRS.length;
  const tokens = new Uint8Array(rows * width * 8);
  const view = new DataView(tokens.buffer);
  const set = (row: number, col: number, value: bigint) =>
    view.setBigUint64((row * width + col) * 8, value, true);
  const spaces = new Uint8Array(rows);
  const lengths = new Uint8Array(docs.length * 4);
  const spanGroups: Uint8Array[] = [];
  let row = 0;
  docs.forEach((doc, d) => {
    if (doc.spaces.length !== doc.words.length)
      throw new Error("words and spaces differ in length");
    new DataView(lengths.buffer).setInt32(d * 4, doc.words.length, true);
    doc.words.forEach((word, i) => {
      set(row + i, ORTH, idOf(word));
      set(row + i, ENT_IOB, IOB_O);
      spaces[row + i] = doc.spaces[i] ? 1 : 0;
    });
    // A new Doc marks its first token as a sentence start (1); the rest stay unknown (0).
    if (doc.words.length > 0) set(row, SENT_START, 1n);
    let covered = 0;
    for (const ent of doc.ents) {
      if (ent.start < covered || ent.end <= ent.start || ent.end > doc.words.length)
        throw new Error(`ents overlap or lie outside the doc at token ${ent.start}`);
      for (let i = ent.start; i < ent.end; i++) {
        set(row + i, ENT_IOB, i === ent.start ? IOB_B : IOB_I);
        set(row + i, ENT_TYPE, idOf(ent.label));
        if (ent.kbId) set(row + i, ENT_KB_ID, idOf(ent.kbId));
      }
      covered = ent.end;
    }
    const starts = charStarts(doc);
    const groups = new Map<Uint8Array, string[]>();
    for (const [name, spans] of doc.spanGroups) {
      const packed = spans.map((span) => {
        const struct = new Uint8Array(40);
        const s = new DataView(struct.buffer);
        const [startChar, endChar] = spanChars(doc, starts, span);
        s.setBigUint64(0, 0n); // id
        s.setBigUint64(8, span.kbId ? idOf(span.kbId) : 0n);
        s.setBigUint64(16, idOf(span.label));
        s.setInt32(24, span.start);
        s.setInt32(28, span.end);
        s.setInt32(32, startChar);
        s.setInt32(36, endChar);
        return struct;
      });
      groups.set(pack({ name, attrs: {}, spans: packed }), [name]);
    }
    spanGroups.push(groups.size === 0 ? pack([]) : pack(groups));
    row += doc.words.length;
  });
  return pack({
    version: "0.1",
    attrs: DOCBIN_ATTRS,
    tokens,
    spaces,
    lengths,
    strings: [...strings].sort(compareCodePoints),
    cats: docs.map((doc) => new Map(doc.cats.map(([key, value]) => [key, new Float64(value)]))),
    flags: docs.map(() => ({ has_unknown_spaces: false })),
    span_groups: spanGroups,
  });
}

/** The bytes of a `.spacy` file: `docBinMessage` compressed with zlib, as `DocBin.to_bytes()`. */
export function encodeDocBin(docs: readonly SpacyDocData[]): Uint8Array {
  return zlibSync(docBinMessage(docs), { level: 1 });
}

// ---------------------------------------------------------------------------
// Dataset documents → spaCy docs

/** spaCy words for `text`: our tokens plus whitespace tokens, and our token index → spaCy index. */
function spacyWords(text: string, tokens: readonly Token[]) {
  const words: string[] = [];
  const spaces: boolean[] = [];
  const index: number[] = [];
  const gap = (whitespace: string) => {
    if (whitespace !== "") {
      words.push(whitespace);
      spaces.push(false);
    }
  };
  gap(sliceCodePoints(text, 0, tokens[0]?.start ?? countCodePoints(text)));
  for (const token of tokens) {
    index.push(words.length);
    words.push(token.text);
    const single = token.whitespaceAfter.startsWith(" ");
    spaces.push(single);
    gap(single ? token.whitespaceAfter.slice(1) : token.whitespaceAfter);
  }
  const rebuilt = words.map((word, i) => (spaces[i] ? `${word} ` : word)).join("");
  if (rebuilt !== text) throw new Error("spaCy words do not rebuild the text");
  return { words, spaces, index };
}

/** First token whose end is after `offset`. */
function firstTokenEndingAfter(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((tokens[mid]?.end ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `doc.cats` for the single and multi choice codes of `doc`; text and number codes are reported. */
function catsFor(
  doc: DatasetDocument,
  dataset: Dataset,
  report: LossReport,
): Array<[string, number]> {
  const cats: Array<[string, number]> = [];
  for (const variable of dataset.codebook.documentVariables) {
    const value = doc.codes[variable.id];
    if (value === undefined) continue;
    if (variable.type === "text" || variable.type === "number") {
      report.add(
        `document-code-${variable.type}-not-carried`,
        `${variable.type} document codes (spaCy cats hold only single and multi choices)`,
        `${doc.id} (${doc.annotator}) ${variable.id}=${JSON.stringify(value)}`,
      );
      continue;
    }
    const chosen = (Array.isArray(value) ? value : [value]).map(String);
    const options = [...variable.options, ...chosen.filter((c) => !variable.options.includes(c))];
    for (const option of options)
      cats.push([`${variable.id}=${option}`, chosen.includes(option) ? 1 : 0]);
  }
  return cats;
}

/** One dataset document as a spaCy doc and its JSONL record, reporting what does not fit. */
export function spacyDocument(
  doc: DatasetDocument,
  dataset: Dataset,
  options: Pick<ExportOptions, "tagKinds">,
  report: LossReport,
): { doc: SpacyDocData; record: Record<string, unknown> } {
  const tokenized = tokenize(doc.text, doc.meta.language);
  const { tokens } = tokenized;
  const { words, spaces, index } = spacyWords(doc.text, tokens);
  // Our tokens [first, last) → spaCy tokens, whitespace tokens inside included.
  const toSpacy = ({ span, first, last }: TaggedChunk): SpacySpan => ({
    start: index[first] ?? 0,
    end: (index[last - 1] ?? 0) + 1,
    label: span.label,
    ...(span.entity ? { kbId: span.entity } : {}),
  });
  const { chunks } = tagTokens(doc, tokenized, "iob2", report, options.tagKinds);
  const ents = chunks.map(toSpacy);
  const sc: SpacySpan[] = [];
  for (const span of [...doc.spans].sort(compareSpans)) {
    const first = firstTokenEndingAfter(tokens, span.start);
    let last = first;
    while (last < tokens.length && (tokens[last]?.start ?? 0) < span.end) last++;
    if (last === first) {
      report.add(
        "span-group-no-token",
        'spans covering no token (whitespace only), left out of spans["sc"]',
        describeSpanForReport(doc, span),
      );
      continue;
    }
    if (tokens[first]?.start !== span.start || tokens[last - 1]?.end !== span.end)
      report.add(
        "span-group-widened",
        'spans not on token boundaries, widened to whole tokens in spans["sc"]',
        describeSpanForReport(doc, span),
      );
    sc.push(toSpacy({ span, first, last }));
  }
  const variables = new Set(dataset.codebook.documentVariables.map((v) => v.id));
  reportUncarriedAttributes(doc, report, "spaCy DocBin", {
    attributes: () => ["entity"], // as the kb_id of ents and spans
    codes: (variable) => variables.has(variable), // codebook variables: cats or reported above
  });
  const cats = catsFor(doc, dataset, report);
  const spacy: SpacyDocData = { words, spaces, ents, spanGroups: [["sc", sc]], cats };
  const starts = charStarts(spacy);
  const offsets = (span: SpacySpan) => [...spanChars(spacy, starts, span), span.label];
  return {
    doc: spacy,
    record: {
      id: doc.id,
      annotator: doc.annotator,
      text: doc.text,
      ents: ents.map(offsets),
      spans: { sc: sc.map(offsets) },
      cats: Object.fromEntries(cats),
    },
  };
}

/** JSON with U+2028, U+2029 and U+0085 escaped, so Python's `splitlines()` keeps one record per line. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u2028\u2029\u0085]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** spaCy v3 export: `data.spacy` (DocBin) and `data.jsonl` per part; see the module comment. */
export const spacyExporter: Exporter = {
  format: "spacy",
  description: '.spacy DocBin with ents, spans["sc"] and cats, plus JSONL (spacy train).',
  lossless: false,
  exportParts(dataset: Dataset, parts: DatasetPart[], options: ExportOptions, report: LossReport) {
    const files: ExportFile[] = [];
    for (const part of parts) {
      const converted = part.documents.map((doc) => spacyDocument(doc, dataset, options, report));
      files.push({
        path: partPath(part, "data.spacy"),
        data: encodeDocBin(converted.map((c) => c.doc)),
      });
      files.push({
        path: partPath(part, "data.jsonl"),
        data: converted.map((c) => `${jsonLine(c.record)}\n`).join(""),
      });
    }
    report.note(
      `doc.ents hold ${options.tagKinds.join(", ")} spans (outermost wins, cut at sentence ends); ` +
        'doc.spans["sc"] holds every span, overlaps included; kb_id is the registry entity id. ' +
        'Tokens are Unicode words; whitespace other than one " " after a word is a token of its own, ' +
        "so doc.text is the article text. data.jsonl repeats the docs with code-point offsets.",
    );
    return files;
  },
};
