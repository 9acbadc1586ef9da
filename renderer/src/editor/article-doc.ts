/**
 * The article as a ProseMirror document: paragraphs of bounded chunks (see
 * shared/text-blocks.ts) with one `annotation` mark per stored annotation.
 *
 * The mark carries only `{ id, label }`; the annotation's body lives in the
 * store. `excludes: ""` lets any number of annotation marks overlap or nest.
 * `ChunkIndex` maps between code-point offsets (the file format) and
 * ProseMirror positions (UTF-16 based) in both directions.
 */
import { type Mark, type Node, Schema } from "prosemirror-model";
import {
  codePointToUtf16,
  countCodePoints,
  splitIntoParagraphs,
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

/** The minimal facts about an annotation the document needs. */
export interface SpanForDoc {
  id: string;
  label: string;
  start: number;
  end: number;
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
}

/** The document of an article and its offset index. */
export interface ArticleDoc {
  doc: Node;
  index: ChunkIndex;
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

/** Builds the document for `text` with `spans` as marks; spans are clipped to chunk bounds. */
export function createArticleDoc(text: string, spans: SpanForDoc[], language = "und"): ArticleDoc {
  const paragraphs = splitIntoParagraphs(text, { language });
  const chunks = paragraphs.flatMap((p) => p.chunks);
  const starts = chunks.map((c) => c.start);
  const perChunk: SpanForDoc[][] = chunks.map(() => []);
  for (const span of spans) {
    if (chunks.length === 0 || span.end <= span.start) continue;
    for (let i = findChunk(starts, span.start); i < chunks.length; i++) {
      const chunk = chunks[i];
      if (!chunk || chunk.start >= span.end) break;
      if (chunk.end > span.start) perChunk[i]?.push(span);
    }
  }

  const schema = articleSchema;
  const markType = schema.marks.annotation;
  const positions: number[] = [];
  let pos = 0;
  let chunkNo = 0;
  const paragraphNodes = paragraphs.map((paragraph) => {
    pos += 1; // paragraph open
    const chunkNodes = paragraph.chunks.map((chunk) => {
      pos += 1; // chunk open
      positions.push(pos);
      const spansHere = perChunk[chunkNo] ?? [];
      chunkNo++;
      const cuts = new Set<number>([0, chunk.end - chunk.start]);
      for (const s of spansHere) {
        cuts.add(Math.max(0, s.start - chunk.start));
        cuts.add(Math.min(chunk.end - chunk.start, s.end - chunk.start));
      }
      const sorted = [...cuts].sort((a, b) => a - b);
      const pieces: Node[] = [];
      let unitFrom = 0;
      for (let k = 0; k + 1 < sorted.length; k++) {
        const from = sorted[k] ?? 0;
        const to = sorted[k + 1] ?? 0;
        const unitTo = unitFrom + codePointToUtf16(chunk.text.slice(unitFrom), to - from);
        const pieceText = chunk.text.slice(unitFrom, unitTo);
        unitFrom = unitTo;
        if (pieceText.length === 0) continue;
        const marks: Mark[] = spansHere
          .filter((s) => s.start - chunk.start <= from && s.end - chunk.start >= to)
          .map((s) => markType.create({ id: s.id, label: s.label, title: s.title ?? s.label }));
        pieces.push(schema.text(pieceText, marks));
      }
      pos += chunk.text.length + 1; // content + chunk close
      return schema.nodes.chunk.create({ start: chunk.start }, pieces);
    });
    pos += 1; // paragraph close
    return schema.nodes.paragraph.create(null, chunkNodes);
  });
  const doc = schema.nodes.doc.create(
    null,
    paragraphNodes.length > 0
      ? paragraphNodes
      : [schema.nodes.paragraph.create(null, schema.nodes.chunk.create({ start: 0 }))],
  );
  return {
    doc,
    index: { starts, ends: chunks.map((c) => c.end), positions, texts: chunks.map((c) => c.text) },
  };
}

/** ProseMirror position of code-point offset `offset` (snapped into the nearest chunk). */
export function positionOfOffset(index: ChunkIndex, offset: number): number {
  if (index.starts.length === 0) return 1;
  const i = findChunk(index.starts, offset);
  const start = index.starts[i] ?? 0;
  const end = index.ends[i] ?? start;
  const within = Math.max(0, Math.min(offset, end) - start);
  return (index.positions[i] ?? 1) + codePointToUtf16(index.texts[i] ?? "", within);
}

/** Code-point offset of ProseMirror position `pos`. */
export function offsetOfPosition(index: ChunkIndex, pos: number): number {
  if (index.positions.length === 0) return 0;
  const i = findChunk(index.positions, pos);
  const text = index.texts[i] ?? "";
  const within = Math.max(0, Math.min(pos - (index.positions[i] ?? 0), text.length));
  return (index.starts[i] ?? 0) + countCodePoints(text.slice(0, within));
}
