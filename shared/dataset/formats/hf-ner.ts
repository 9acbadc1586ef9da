/**
 * The NER table of the Hugging Face export: a text's sentences and tokens
 * (made once for every annotator's document), their JSON lines, and a split's
 * rows as dense Parquet columns.
 */
import { ByteWriter, utf8 } from "../byte-writer";
import type { DatasetDocument } from "../dataset";
import { type Token, tokenize } from "../tokens";
import type { DenseColumn, ParquetColumn, StringTable } from "./parquet";

/** What the NER table needs of a converted document. */
export interface NerPiece {
  article: string;
  annotator: string;
  text: HfText;
}

/** The sentences of a text: tokens (as a string table), code-point offsets, where each sentence ends. */
export interface HfText {
  words: StringTable;
  starts: Int32Array;
  ends: Int32Array;
  /** Token index after each sentence's last token. */
  sentenceEnds: Int32Array;
}

export function hfText(text: string, language: string): HfText {
  const tokenized = tokenize(text, language);
  const n = tokenized.tokens.length;
  const texts: string[] = new Array(n);
  const wordEnds = new Int32Array(n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const token = tokenized.tokens[i] as Token;
    texts[i] = token.text;
    at += token.text.length;
    wordEnds[i] = at;
    starts[i] = token.start;
    ends[i] = token.end;
  }
  const sentenceEnds = Int32Array.from(tokenized.sentences, ([, last]) => last);
  return { words: { text: texts.join(""), ends: wordEnds }, starts, ends, sentenceEnds };
}

/** Tokens `[first, last)` of a text. */
function wordsOf(words: StringTable, first: number, last: number): string[] {
  const out: string[] = new Array(last - first);
  let start = first === 0 ? 0 : (words.ends[first - 1] as number);
  for (let i = first; i < last; i++) {
    const end = words.ends[i] as number;
    out[i - first] = words.text.slice(start, end);
    start = end;
  }
  return out;
}

/**
 * Per sentence, the JSON around its `ner_tags`, the same for every
 * annotator's row: as text, or as UTF-8 one after the other with where each
 * sentence's part begins (bytes: the app's export).
 */
export interface SentenceJson {
  /** `,"sentence":N,"tokens":[…],"ner_tags":[` */
  heads: string[] | { bytes: Uint8Array; at: Int32Array };
  /** `],"token_starts":[…],"token_ends":[…]}` and the line end. */
  tails: string[] | { bytes: Uint8Array; at: Int32Array };
}

const join = (values: ArrayLike<number>, from: number, to: number) =>
  Array.prototype.join.call((values as Int32Array).subarray(from, to), ",");

/** `[from, to)` of `values` as JSON numbers separated by commas. */
function writeInts(out: ByteWriter, values: ArrayLike<number>, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (i > from) out.byte(0x2c);
    out.int(values[i] as number);
  }
}

export function sentenceJson(text: HfText, bytes = false): SentenceJson {
  const n = text.sentenceEnds.length;
  const head = (s: number, first: number, last: number) =>
    `,"sentence":${s},"tokens":${JSON.stringify(wordsOf(text.words, first, last))},"ner_tags":[`;
  if (!bytes) {
    const heads: string[] = [];
    const tails: string[] = [];
    let first = 0;
    for (let s = 0; s < n; s++) {
      const last = text.sentenceEnds[s] as number;
      heads.push(head(s, first, last));
      tails.push(
        `],"token_starts":[${join(text.starts, first, last)}],"token_ends":[${join(text.ends, first, last)}]}\n`,
      );
      first = last;
    }
    return { heads, tails };
  }
  const heads = new ByteWriter(text.words.text.length * 2 + n * 48);
  const tails = new ByteWriter(text.words.ends.length * 12 + n * 40);
  const headAt = new Int32Array(n + 1);
  const tailAt = new Int32Array(n + 1);
  let first = 0;
  for (let s = 0; s < n; s++) {
    const last = text.sentenceEnds[s] as number;
    headAt[s] = heads.length;
    heads.text(head(s, first, last));
    tailAt[s] = tails.length;
    tails.text(`],"token_starts":[`);
    writeInts(tails, text.starts, first, last);
    tails.text(`],"token_ends":[`);
    writeInts(tails, text.ends, first, last);
    tails.text("]}\n");
    first = last;
  }
  headAt[n] = heads.length;
  tailAt[n] = tails.length;
  return {
    heads: { bytes: heads.done(), at: headAt },
    tails: { bytes: tails.done(), at: tailAt },
  };
}

/** One row per sentence of `doc` as JSON lines (text, or UTF-8 with byte parts), `ner_tags` given as indices. */
export function nerLines(
  doc: Pick<DatasetDocument, "id" | "annotator">,
  text: HfText,
  json: SentenceJson,
  tags: ArrayLike<number>,
): string | Uint8Array {
  // JSON escapes character by character: the id's JSON is its parts' JSON put together.
  const id = `{"id":${JSON.stringify(doc.id).slice(0, -1)}-${JSON.stringify(doc.annotator).slice(1, -1)}-`;
  const who = `,"article":${JSON.stringify(doc.id)},"annotator":${JSON.stringify(doc.annotator)}`;
  const { heads, tails } = json;
  if (Array.isArray(heads) && Array.isArray(tails)) {
    const tagList = tags instanceof Int32Array ? tags : Int32Array.from(tags);
    const lines: string[] = [];
    let first = 0;
    for (let s = 0; s < text.sentenceEnds.length; s++) {
      const last = text.sentenceEnds[s] as number;
      lines.push(
        id,
        `${s}"`,
        who,
        heads[s] as string,
        join(tagList, first, last),
        tails[s] as string,
      );
      first = last;
    }
    return lines.join("");
  }
  const head = heads as { bytes: Uint8Array; at: Int32Array };
  const tail = tails as { bytes: Uint8Array; at: Int32Array };
  const idBytes = utf8(id);
  const whoBytes = utf8(`"${who}`);
  const n = text.sentenceEnds.length;
  const out = new ByteWriter(
    head.bytes.length +
      tail.bytes.length +
      n * (idBytes.length + whoBytes.length + 8) +
      tags.length * 3,
  );
  let first = 0;
  for (let s = 0; s < n; s++) {
    const last = text.sentenceEnds[s] as number;
    out.bytes(idBytes);
    out.int(s);
    out.bytes(whoBytes);
    out.bytes(head.bytes, head.at[s], head.at[s + 1]);
    writeInts(out, tags, first, last);
    out.bytes(tail.bytes, tail.at[s], tail.at[s + 1]);
    first = last;
  }
  return out.done();
}

/** The NER table of one split as dense columns (see parquet.ts). */
export function nerColumns<P extends NerPiece>(
  pieces: P[],
  finalTags: (piece: P) => ArrayLike<number>,
) {
  let rows = 0;
  let tokens = 0;
  for (const piece of pieces) {
    rows += piece.text.sentenceEnds.length;
    tokens += piece.text.words.ends.length;
  }
  const ids: string[] = new Array(rows);
  const articles: string[] = new Array(rows);
  const annotators: string[] = new Array(rows);
  const sentences = new Int32Array(rows);
  const rowEnds = new Int32Array(rows);
  const texts: string[] = new Array(pieces.length);
  const wordEnds = new Int32Array(tokens);
  const tags = new Int32Array(tokens);
  const starts = new Int32Array(tokens);
  const ends = new Int32Array(tokens);
  let row = 0;
  let at = 0;
  let units = 0;
  for (const [p, piece] of pieces.entries()) {
    const { text } = piece;
    const pieceTags = finalTags(piece);
    for (let s = 0; s < text.sentenceEnds.length; s++) {
      ids[row] = `${piece.article}-${piece.annotator}-${s}`;
      articles[row] = piece.article;
      annotators[row] = piece.annotator;
      sentences[row] = s;
      rowEnds[row++] = at + (text.sentenceEnds[s] as number);
    }
    texts[p] = text.words.text;
    const n = text.words.ends.length;
    for (let i = 0; i < n; i++) {
      wordEnds[at + i] = units + (text.words.ends[i] as number);
      tags[at + i] = pieceTags[i] as number;
      starts[at + i] = text.starts[i] as number;
      ends[at + i] = text.ends[i] as number;
    }
    units += text.words.text.length;
    at += n;
  }
  const columns: Array<ParquetColumn | DenseColumn> = [
    { name: "id", values: ids },
    { name: "article", values: articles },
    { name: "annotator", values: annotators },
    { name: "sentence", values: sentences },
    { name: "tokens", values: { text: texts.join(""), ends: wordEnds }, rowEnds },
    { name: "ner_tags", values: tags, rowEnds },
    { name: "token_starts", values: starts, rowEnds },
    { name: "token_ends", values: ends, rowEnds },
  ];
  return { columns, rows, tokens };
}
