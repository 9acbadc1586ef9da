/**
 * The article as a ProseMirror document: paragraphs of bounded chunks (see
 * shared/text-blocks.ts) with one `annotation` mark per stored annotation.
 *
 * The mark carries only `{ id, label }`; the annotation's body lives in the
 * store. `excludes: ""` lets any number of annotation marks overlap or nest.
 * `ChunkIndex` maps between code-point offsets (the file format) and
 * ProseMirror positions (UTF-16 based) in both directions.
 *
 * `prepareArticle` splits the text and places every span once, but builds
 * paragraph nodes only on demand, so a long article can be shown from its
 * first paragraphs while the rest is appended later (editor/progressive-load.ts).
 * The index and the spans always cover the whole text.
 */
import { type Mark, type Node, Schema } from "prosemirror-model";
import {
  codePointToUtf16,
  countCodePoints,
  splitIntoParagraphs,
  type TextChunk,
} from "../../../shared/text-blocks";

/** The schema of an article document. */
export const articleSchema = new Schema({
  nodes: {
    doc: { content: "paragraph+" },
    paragraph: {
      content: "chunk+",
      toDOM: () => ["p", { class: "tw-paragraph" }, 0],
    },
    // A textblock rendered inline, so that a long paragraph cut into chunks
    // still reads as one paragraph.
    chunk: {
      content: "text*",
      marks: "annotation",
      attrs: { start: { default: 0 } },
      toDOM: () => ["span", { class: "tw-chunk" }, 0],
    },
    text: {},
  },
  marks: {
    annotation: {
      attrs: { id: {}, label: {}, title: { default: "" } },
      excludes: "",
      inclusive: false,
      toDOM: (mark) => [
        "span",
        {
          class: "tw-ann",
          "data-annotation": mark.attrs.id as string,
          "data-label": mark.attrs.label as string,
          title: mark.attrs.title as string,
        },
        0,
      ],
    },
  },
});

/** A span as the document holds it: code-point offsets into the article text. */
export interface Span {
  id: string;
  label: string;
  start: number;
  end: number;
}

/** The minimal facts about an annotation the document needs. */
export interface SpanForDoc extends Span {
  /** Hover text, e.g. `PER · Person: "Steve Witkoff"`. */
  title?: string;
}

/** Where each chunk of the text sits in the document. */
export interface ChunkIndex {
  /** Code-point start of each chunk, ascending. */
  starts: number[];
  /** Code-point end of each chunk. */
  ends: number[];
  /** ProseMirror position of each chunk's first character. */
  positions: number[];
  /** Text of each chunk. */
  texts: string[];
  /** Per chunk: no astral characters, so code points and UTF-16 units coincide (no scanning needed). */
  simple: boolean[];
}

/** The document of an article and its offset index. */
export interface ArticleDoc {
  doc: Node;
  index: ChunkIndex;
  /** Every span as the document marks it (clipped to the text), by id. */
  spans: Map<string, Span>;
}

/** An article split and ready to be built into paragraph nodes, all at once or a few at a time. */
export interface PreparedArticle {
  index: ChunkIndex;
  /** Every span as the document marks it (clipped to the text), by id. */
  spans: Map<string, Span>;
  /** Number of paragraphs (at least one: an empty text gets one empty paragraph). */
  paragraphCount: number;
  /** Code-point end of each paragraph, ascending. */
  paragraphEnds: number[];
  /** Index of the paragraph holding code-point `offset` (the next one when it falls between two). */
  paragraphOf(offset: number): number;
  /**
   * The smallest paragraph count ≥ `count` that cuts no span in two: a document
   * of that many paragraphs holds each span either whole or not at all.
   */
  wholeSpansBoundary(count: number): number;
  /** Builds the paragraph nodes `from` (inclusive) to `to` (exclusive). */
  buildParagraphs(from: number, to: number): Node[];
}

function findChunk(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The text nodes of one chunk: a piece between every two span boundaries, with the marks covering it. */
function chunkContent<S extends Span>(chunk: TextChunk, spansHere: S[], marks: Map<S, Mark>) {
  const schema = articleSchema;
  const length = chunk.end - chunk.start;
  if (spansHere.length === 0) return chunk.text.length > 0 ? [schema.text(chunk.text)] : [];
  const cuts = new Set<number>([0, length]);
  for (const s of spansHere) {
    cuts.add(Math.max(0, s.start - chunk.start));
    cuts.add(Math.min(length, s.end - chunk.start));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const simple = length === chunk.text.length;
  const pieces: Node[] = [];
  let unitFrom = 0;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const from = sorted[k] ?? 0;
    const to = sorted[k + 1] ?? 0;
    const unitTo = simple ? to : unitFrom + codePointToUtf16(chunk.text.slice(unitFrom), to - from);
    const pieceText = chunk.text.slice(unitFrom, unitTo);
    unitFrom = unitTo;
    if (pieceText.length === 0) continue;
    const pieceMarks: Mark[] = [];
    for (const s of spansHere)
      if (s.start - chunk.start <= from && s.end - chunk.start >= to)
        pieceMarks.push(marks.get(s) as Mark);
    pieces.push(schema.text(pieceText, pieceMarks));
  }
  return pieces;
}

/**
 * Splits `text`, places `spans` (clipped to chunk bounds) and indexes offsets,
 * without building nodes yet. A mark's hover title is `titleOf(span)`, asked
 * only when the span's paragraph is built (the span's `title`, else its label).
 */
export function prepareArticle<S extends SpanForDoc>(
  text: string,
  spans: S[],
  language = "und",
  titleOf: (span: S) => string = (span) => span.title ?? span.label,
): PreparedArticle {
  const paragraphs = splitIntoParagraphs(text, { language });
  const chunks = paragraphs.flatMap((p) => p.chunks);
  const starts = chunks.map((c) => c.start);
  const perChunk: S[][] = chunks.map(() => []);
  const placed = new Map<string, Span>();
  for (const span of spans) {
    if (chunks.length === 0 || span.end <= span.start) continue;
    for (let i = findChunk(starts, span.start); i < chunks.length; i++) {
      const chunk = chunks[i];
      if (!chunk || chunk.start >= span.end) break;
      if (chunk.end <= span.start) continue;
      perChunk[i]?.push(span);
      // Where the document will carry the mark: only non-empty overlaps become text.
      const from = Math.max(span.start, chunk.start);
      const to = Math.min(span.end, chunk.end);
      if (to <= from) continue;
      const known = placed.get(span.id);
      if (known) {
        known.start = Math.min(known.start, from);
        known.end = Math.max(known.end, to);
      } else placed.set(span.id, { id: span.id, label: span.label, start: from, end: to });
    }
  }

  const positions: number[] = [];
  let pos = 0;
  for (const paragraph of paragraphs) {
    pos += 1; // paragraph open
    for (const chunk of paragraph.chunks) {
      pos += 1; // chunk open
      positions.push(pos);
      pos += chunk.text.length + 1; // content + chunk close
    }
    pos += 1; // paragraph close
  }
  const firstChunk: number[] = [];
  let chunkNo = 0;
  for (const paragraph of paragraphs) {
    firstChunk.push(chunkNo);
    chunkNo += paragraph.chunks.length;
  }
  // One mark object per span, shared by all its pieces.
  const marks = new Map<S, Mark>();
  const markType = articleSchema.marks.annotation;
  const markOf = (s: S) => markType.create({ id: s.id, label: s.label, title: titleOf(s) });

  const paragraphEnds = paragraphs.map((p) => p.end);
  const paragraphOf = (offset: number): number => {
    let lo = 0;
    let hi = paragraphEnds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((paragraphEnds[mid] ?? 0) >= offset) hi = mid;
      else lo = mid + 1;
    }
    return Math.max(0, lo);
  };
  // crossing[b] > 0: some span runs over the boundary between paragraphs b - 1 and b.
  const crossing = new Int32Array(paragraphs.length + 1);
  for (const span of placed.values()) {
    const first = paragraphOf(span.start);
    const last = paragraphOf(span.end);
    if (last > first) {
      crossing[first + 1] = (crossing[first + 1] ?? 0) + 1;
      crossing[last + 1] = (crossing[last + 1] ?? 0) - 1;
    }
  }
  for (let b = 1; b < crossing.length; b++)
    crossing[b] = (crossing[b] ?? 0) + (crossing[b - 1] ?? 0);
  const wholeSpansBoundary = (count: number): number => {
    let b = Math.max(1, count);
    while (b < paragraphs.length && (crossing[b] ?? 0) > 0) b++;
    return Math.min(b, Math.max(1, paragraphs.length));
  };

  const buildParagraphs = (from: number, to: number): Node[] => {
    const schema = articleSchema;
    if (paragraphs.length === 0)
      return from === 0 && to > 0
        ? [schema.nodes.paragraph.create(null, schema.nodes.chunk.create({ start: 0 }))]
        : [];
    const out: Node[] = [];
    for (let p = from; p < Math.min(to, paragraphs.length); p++) {
      const paragraph = paragraphs[p];
      if (!paragraph) continue;
      const chunkNodes = paragraph.chunks.map((chunk, c) => {
        const spansHere = perChunk[(firstChunk[p] ?? 0) + c] ?? [];
        for (const s of spansHere) if (!marks.has(s)) marks.set(s, markOf(s));
        return schema.nodes.chunk.create(
          { start: chunk.start },
          chunkContent(chunk, spansHere, marks),
        );
      });
      out.push(schema.nodes.paragraph.create(null, chunkNodes));
    }
    return out;
  };

  return {
    index: {
      starts,
      ends: chunks.map((c) => c.end),
      positions,
      texts: chunks.map((c) => c.text),
      simple: chunks.map((c) => c.end - c.start === c.text.length),
    },
    spans: placed,
    paragraphCount: Math.max(1, paragraphs.length),
    paragraphEnds: paragraphEnds.length > 0 ? paragraphEnds : [0],
    paragraphOf,
    wholeSpansBoundary,
    buildParagraphs,
  };
}

/** A document of the first `count` paragraphs of a prepared article. */
export function createPartialDoc(article: PreparedArticle, count: number): Node {
  return articleSchema.nodes.doc.create(
    null,
    article.buildParagraphs(0, Math.max(1, Math.min(count, article.paragraphCount))),
  );
}

/** Builds the whole document for `text` with `spans` as marks; spans are clipped to chunk bounds. */
export function createArticleDoc(text: string, spans: SpanForDoc[], language = "und"): ArticleDoc {
  const article = prepareArticle(text, spans, language);
  return {
    doc: createPartialDoc(article, article.paragraphCount),
    index: article.index,
    spans: article.spans,
  };
}

/** ProseMirror position of code-point offset `offset` (snapped into the nearest chunk). */
export function positionOfOffset(index: ChunkIndex, offset: number): number {
  if (index.starts.length === 0) return 1;
  const i = findChunk(index.starts, offset);
  const start = index.starts[i] ?? 0;
  const end = index.ends[i] ?? start;
  const within = Math.max(0, Math.min(offset, end) - start);
  const base = index.positions[i] ?? 1;
  return index.simple[i] ? base + within : base + codePointToUtf16(index.texts[i] ?? "", within);
}

/** Code-point offset of ProseMirror position `pos`. */
export function offsetOfPosition(index: ChunkIndex, pos: number): number {
  if (index.positions.length === 0) return 0;
  const i = findChunk(index.positions, pos);
  const text = index.texts[i] ?? "";
  const within = Math.max(0, Math.min(pos - (index.positions[i] ?? 0), text.length));
  return (
    (index.starts[i] ?? 0) + (index.simple[i] ? within : countCodePoints(text.slice(0, within)))
  );
}
