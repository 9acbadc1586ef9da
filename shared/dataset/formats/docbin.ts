/**
 * spaCy's DocBin, byte for byte as `spacy/tokens/_serialize.py`
 * `DocBin.to_bytes` (spaCy 3.4 – 3.8) packs it before zlib: msgpack of the map
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
 * Each doc is packed on its own (`docBinPart`, where the article is converted)
 * and the parts are put together as a list of chunks (`docBinChunks`), so a
 * corpus's token matrix is never copied into one buffer.
 */
import { strToU8 } from "fflate";
import { countCodePoints } from "../../text-blocks";
import { ByteWriter } from "../byte-writer";
import { concatBytes } from "../pieces";
import { SPACY_SYMBOLS, spacyStringIdHalves } from "./murmurhash";

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
export class Float64 {
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

type SizeForms = [number, number, number | undefined, number, number];

/** A length header: the fix form up to `fixMax` (if any), then the 8-, 16- and 32-bit forms. */
function sizeHeader(n: number, [fix, fixMax, c8, c16, c32]: SizeForms): number[] {
  if (n <= fixMax) return [fix | n];
  if (n < 0x100 && c8 !== undefined) return [c8, n];
  if (n < 0x10000) return [c16, n >>> 8, n & 0xff];
  return [c32, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

const STR: SizeForms = [0xa0, 31, 0xd9, 0xda, 0xdb];
const BIN: SizeForms = [0, -1, 0xc4, 0xc5, 0xc6];
const ARRAY: SizeForms = [0x90, 15, undefined, 0xdc, 0xdd];
const MAP: SizeForms = [0x80, 15, undefined, 0xde, 0xdf];

/** A size header (see `sizeHeader`) into `out`. */
function writeHeader(out: ByteWriter, n: number, forms: SizeForms): void {
  for (const byte of sizeHeader(n, forms)) out.byte(byte);
}

/** A msgpack str into `out`. */
function writeString(out: ByteWriter, text: string): void {
  const bytes = strToU8(text);
  writeHeader(out, bytes.length, STR);
  out.bytes(bytes);
}

function packInto(value: Packable, out: Array<number[] | Uint8Array>): void {
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
    out.push(sizeHeader(bytes.length, STR), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(sizeHeader(value.length, BIN), value);
  } else if (value instanceof Float64) {
    const bytes = new Uint8Array(9);
    bytes[0] = 0xcb;
    new DataView(bytes.buffer).setFloat64(1, value.value);
    out.push(bytes);
  } else if (Array.isArray(value)) {
    out.push(sizeHeader(value.length, ARRAY));
    for (const item of value) packInto(item, out);
  } else {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    out.push(sizeHeader(entries.length, MAP));
    for (const [key, item] of entries) {
      packInto(key, out);
      packInto(item, out);
    }
  }
}

/** `value` as msgpack. */
export function pack(value: Packable): Uint8Array {
  const out: Array<number[] | Uint8Array> = [];
  packInto(value, out);
  return concatBytes(
    out.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part))),
  );
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
const WIDTH = DOCBIN_ATTRS.length;
const [ORTH, ENT_IOB, ENT_TYPE, ENT_KB_ID, SENT_START] = [
  "ORTH",
  "ENT_IOB",
  "ENT_TYPE",
  "ENT_KB_ID",
  "SENT_START",
].map((name) => DOCBIN_ATTR_NAMES.indexOf(name)) as [number, number, number, number, number];
/** `Token.iob_strings()`: "" (missing) 0, I 1, O 2, B 3. */
const IOB_I = 1;
const IOB_O = 2;
const IOB_B = 3;

/** Sorts like Python's `sorted()` on str: by code point, not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
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
export function charStarts(doc: Pick<SpacyDocData, "words" | "spaces">): number[] {
  const starts: number[] = new Array(doc.words.length);
  let offset = 0;
  for (let i = 0; i < doc.words.length; i++) {
    starts[i] = offset;
    offset += countCodePoints(doc.words[i] as string) + (doc.spaces[i] ? 1 : 0);
  }
  return starts;
}

/** The char offsets `[start_char, end_char)` of a token span. */
export function spanChars(
  doc: Pick<SpacyDocData, "words">,
  starts: number[],
  span: SpacySpan,
): [number, number] {
  const last = span.end - 1;
  return [starts[span.start] ?? 0, (starts[last] ?? 0) + countCodePoints(doc.words[last] ?? "")];
}

// String ids by string (high and low 32 bits), kept across docs: token strings repeat.
const idSlots = new Map<string, number>();
let idHalves = new Uint32Array(1 << 12);
/** Per slot: the last `docBinTokens` call that met it (to list each word once). */
let slotStamps = new Uint32Array(1 << 11);
let stamp = 0;
const MAX_CACHED_IDS = 1 << 20;

/** The slot of `text`'s id in `idHalves` (high at 2·slot, low at 2·slot + 1). */
function idSlot(text: string): number {
  let slot = idSlots.get(text);
  if (slot === undefined) {
    if (idSlots.size >= MAX_CACHED_IDS) {
      idSlots.clear();
      slotStamps.fill(0);
    }
    slot = idSlots.size;
    if (2 * slot + 2 > idHalves.length) {
      const grown = new Uint32Array(idHalves.length * 2);
      grown.set(idHalves);
      idHalves = grown;
      const stamps = new Uint32Array(slotStamps.length * 2);
      stamps.set(slotStamps);
      slotStamps = stamps;
    }
    const [hi, lo] = spacyStringIdHalves(text);
    idHalves[2 * slot] = hi;
    idHalves[2 * slot + 1] = lo;
    idSlots.set(text, slot);
  }
  return slot;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Writes uint64 cells of a token matrix (little-endian), by 32-bit halves. */
class Matrix {
  readonly bytes: Uint8Array;
  private readonly words: Uint32Array | undefined;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.words = LITTLE_ENDIAN
      ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
      : undefined;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  set(row: number, col: number, hi: number, lo: number): void {
    const cell = row * WIDTH + col;
    if (this.words) {
      this.words[2 * cell] = lo;
      this.words[2 * cell + 1] = hi;
    } else {
      this.view.setUint32(cell * 8, lo, true);
      this.view.setUint32(cell * 8 + 4, hi, true);
    }
  }

  /** Sets the cell to the id of `text`; its slot. */
  setId(row: number, col: number, text: string): number {
    const slot = idSlot(text);
    this.set(row, col, idHalves[2 * slot] as number, idHalves[2 * slot + 1] as number);
    return slot;
  }
}

/** The token rows of a doc's words: ORTH, ENT_IOB = O, SENT_START on the first; and the spaces. */
export interface DocBinTokens {
  rows: number;
  tokens: Uint8Array;
  spaces: Uint8Array;
  /** The strings behind the ids: the words, each once. */
  strings: string[];
}

/** The token rows of `words` (the part every annotator's doc of one text shares). */
export function docBinTokens(words: readonly string[], spaces: readonly boolean[]): DocBinTokens {
  if (spaces.length !== words.length) throw new Error("words and spaces differ in length");
  const rows = words.length;
  const matrix = new Matrix(new Uint8Array(rows * WIDTH * 8));
  const spaceBytes = new Uint8Array(rows);
  const strings: string[] = [];
  stamp = (stamp + 1) >>> 0 || 1;
  for (let i = 0; i < rows; i++) {
    const word = words[i] as string;
    const slot = matrix.setId(i, ORTH, word);
    if (slotStamps[slot] !== stamp) {
      slotStamps[slot] = stamp;
      strings.push(word);
    }
    matrix.set(i, ENT_IOB, 0, IOB_O);
    spaceBytes[i] = spaces[i] ? 1 : 0;
  }
  // A new Doc marks its first token as a sentence start (1); the rest stay unknown (0).
  if (rows > 0) matrix.set(0, SENT_START, 0, 1);
  return { rows, tokens: matrix.bytes, spaces: spaceBytes, strings };
}

/** One doc packed for a DocBin. */
export interface DocBinPart {
  rows: number;
  /** rows × attrs uint64 little-endian. */
  tokens: Uint8Array;
  spaces: Uint8Array;
  /** msgpack of `doc.cats` (a map of float64). */
  cats: Uint8Array;
  /** `SpanGroups.to_bytes()`. */
  spanGroups: Uint8Array;
  /** Strings behind its ids not already listed by an earlier part of the same article. */
  strings: string[];
}

/**
 * Packs `doc` for a DocBin. `base` is `docBinTokens` of its words (made here
 * when absent; shared by the docs of one text); strings in `listed` are left
 * out of the part's strings, and its own are added to `listed`; `starts` are
 * the code-point starts of its words (`charStarts`).
 */
export function docBinPart(
  doc: SpacyDocData,
  base: DocBinTokens = docBinTokens(doc.words, doc.spaces),
  listed: Set<string> = new Set(),
  starts: number[] = charStarts(doc),
): DocBinPart {
  const strings = new Set<string>(); // besides the words
  const matrix = new Matrix(base.tokens.slice());
  let covered = 0;
  for (const ent of doc.ents) {
    if (ent.start < covered || ent.end <= ent.start || ent.end > base.rows)
      throw new Error(`ents overlap or lie outside the doc at token ${ent.start}`);
    for (let i = ent.start; i < ent.end; i++) {
      matrix.set(i, ENT_IOB, 0, i === ent.start ? IOB_B : IOB_I);
      matrix.setId(i, ENT_TYPE, ent.label);
      strings.add(ent.label);
      if (ent.kbId) {
        matrix.setId(i, ENT_KB_ID, ent.kbId);
        strings.add(ent.kbId);
      }
    }
    covered = ent.end;
  }
  // SpanGroups.to_bytes(): msgpack {group bytes: [name]}, written as pack() would.
  const groups = new ByteWriter(
    64 + doc.spanGroups.reduce((n, [, spans]) => n + spans.length * 42, 0),
  );
  writeHeader(groups, doc.spanGroups.length, MAP);
  for (const [name, spans] of doc.spanGroups) {
    const group = new ByteWriter(64 + spans.length * 42);
    writeHeader(group, 3, MAP);
    writeString(group, "name");
    writeString(group, name);
    writeString(group, "attrs");
    writeHeader(group, 0, MAP);
    writeString(group, "spans");
    writeHeader(group, spans.length, ARRAY);
    for (const span of spans) {
      // struct.pack(">QQQllll", id 0, kb_id, label, start, end, start_char, end_char)
      const [startChar, endChar] = spanChars(doc, starts, span);
      writeHeader(group, 40, BIN);
      group.u32be(0);
      group.u32be(0);
      if (span.kbId) {
        const slot = idSlot(span.kbId);
        strings.add(span.kbId);
        group.u32be(idHalves[2 * slot] as number);
        group.u32be(idHalves[2 * slot + 1] as number);
      } else {
        group.u32be(0);
        group.u32be(0);
      }
      const slot = idSlot(span.label);
      strings.add(span.label);
      group.u32be(idHalves[2 * slot] as number);
      group.u32be(idHalves[2 * slot + 1] as number);
      group.u32be(span.start >>> 0);
      group.u32be(span.end >>> 0);
      group.u32be(startChar >>> 0);
      group.u32be(endChar >>> 0);
    }
    writeHeader(groups, group.length, BIN);
    groups.bytes(group.done());
    writeHeader(groups, 1, ARRAY);
    writeString(groups, name);
  }
  const own: string[] = [];
  for (const set of [base.strings, strings])
    for (const text of set)
      if (!listed.has(text)) {
        listed.add(text);
        own.push(text);
      }
  return {
    rows: base.rows,
    tokens: matrix.bytes,
    spaces: base.spaces,
    cats: pack(new Map(doc.cats.map(([key, value]) => [key, new Float64(value)]))),
    spanGroups: doc.spanGroups.length === 0 ? pack([]) : groups.done(),
    strings: own,
  };
}

const FLAGS = pack({ has_unknown_spaces: false });

/**
 * The uncompressed DocBin of `parts` as chunks: byte for byte what spaCy
 * 3.8's `DocBin(docs=…).to_bytes()` packs before `zlib.compress` for the same
 * docs built on a bare `Vocab()` (no NORM, LEMMA, tags or parse; those columns
 * are 0, so the loading vocab supplies NORM, and "" stands in `strings` for
 * the empty tag_, lemma_, dep_ … as in spaCy's own files).
 */
export function docBinChunks(parts: readonly DocBinPart[]): Uint8Array[] {
  const strings = new Set<string>([""]); // tag_, lemma_, dep_ … of every token are ""
  let rows = 0;
  for (const part of parts) {
    rows += part.rows;
    for (const text of part.strings) strings.add(text);
  }
  const lengths = new Uint8Array(parts.length * 4);
  const lengthView = new DataView(lengths.buffer);
  for (const [d, part] of parts.entries()) lengthView.setInt32(d * 4, part.rows, true);
  const sorted = [...strings].sort(compareCodePoints);
  const stringBytes = new ByteWriter(sorted.length * 12 + 16);
  writeHeader(stringBytes, sorted.length, ARRAY);
  for (const text of sorted) writeString(stringBytes, text);
  const head = (key: string, header: number[]) => concatBytes([pack(key), Uint8Array.from(header)]);
  const chunks: Uint8Array[] = [
    Uint8Array.from(sizeHeader(9, MAP)),
    pack("version"),
    pack("0.1"),
    pack("attrs"),
    pack(DOCBIN_ATTRS),
    head("tokens", sizeHeader(rows * WIDTH * 8, BIN)),
  ];
  for (const part of parts) chunks.push(part.tokens);
  chunks.push(head("spaces", sizeHeader(rows, BIN)));
  for (const part of parts) chunks.push(part.spaces);
  chunks.push(pack("lengths"), pack(lengths), pack("strings"), stringBytes.done());
  chunks.push(head("cats", sizeHeader(parts.length, ARRAY)));
  for (const part of parts) chunks.push(part.cats);
  chunks.push(head("flags", sizeHeader(parts.length, ARRAY)));
  for (const _ of parts) chunks.push(FLAGS);
  chunks.push(head("span_groups", sizeHeader(parts.length, ARRAY)));
  for (const part of parts)
    chunks.push(Uint8Array.from(sizeHeader(part.spanGroups.length, BIN)), part.spanGroups);
  return chunks;
}

/** The uncompressed msgpack DocBin of `docs` (see `docBinChunks`). */
export function docBinMessage(docs: readonly SpacyDocData[]): Uint8Array {
  return concatBytes(docBinChunks(docs.map((doc) => docBinPart(doc))));
}
