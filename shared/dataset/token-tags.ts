/**
 * Spans to per-token tags (IOB1, IOB2, BIOES) for the token-based exports, with
 * one documented policy for what a flat tag sequence cannot hold:
 *  - kinds: only the kinds asked for become tags (default: entity and date);
 *    spans of other kinds are reported as not carried.
 *  - boundaries: a span that starts or ends inside a token is widened to the
 *    whole tokens it touches, and reported; a span over whitespace only is
 *    dropped and reported.
 *  - overlap and nesting: the outermost span wins (earlier start first, then
 *    the longer one); every span that overlaps a kept one is reported.
 *  - sentences: a span that crosses a sentence boundary is cut into one chunk
 *    per sentence, so every sentence's tags are valid on their own; reported.
 */
import type { LabelKind } from "../project-files";
import type { DatasetDocument, DatasetSpan } from "./dataset";
import { describeSpanForReport, type LossReport } from "./loss-report";
import type { TokenizedText } from "./tokens";

/** The tagging schemes of the CoNLL family. */
export const tagSchemes = ["iob1", "iob2", "bioes"] as const;
/** One of `tagSchemes`. */
export type TagScheme = (typeof tagSchemes)[number];

/** Kinds tagged unless the user asks otherwise. */
export const DEFAULT_TAG_KINDS: readonly LabelKind[] = ["entity", "date"];

/** A span that made it into the tags: its label and token range `[first, last + 1)`. */
export interface TaggedChunk {
  span: DatasetSpan;
  first: number;
  last: number;
}

/** Tags for every token, and the spans they came from. */
export interface TokenTags {
  tags: string[];
  chunks: TaggedChunk[];
}

/** The tag names a scheme uses for `labels`, `O` first (the ClassLabel order of the HF export). */
export function tagNames(labels: readonly string[], scheme: TagScheme): string[] {
  const prefixes = scheme === "bioes" ? ["B", "I", "E", "S"] : ["B", "I"];
  return ["O", ...labels.flatMap((label) => prefixes.map((prefix) => `${prefix}-${label}`))];
}

/** First token whose end is after `offset` (binary search over token ends). */
function firstTokenEndingAfter(tokenized: TokenizedText, offset: number): number {
  const { tokens } = tokenized;
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((tokens[mid]?.end ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Tags the tokens of `doc` with its spans of `kinds` under `scheme`, reporting what does not fit. */
export function tagTokens(
  doc: DatasetDocument,
  tokenized: TokenizedText,
  scheme: TagScheme,
  report: LossReport,
  kinds: readonly LabelKind[] = DEFAULT_TAG_KINDS,
): TokenTags {
  const { tokens, sentences } = tokenized;
  const candidates: TaggedChunk[] = [];
  for (const span of doc.spans) {
    if (!kinds.includes(span.kind)) {
      report.add(
        `kind-${span.kind}-not-tagged`,
        `${span.kind} spans not in the token tags (choose which kinds become tags: --kinds)`,
        () => describeSpanForReport(doc, span),
      );
      continue;
    }
    const first = firstTokenEndingAfter(tokenized, span.start);
    let last = first;
    while (last < tokens.length && (tokens[last]?.start ?? 0) < span.end) last++;
    if (last === first) {
      report.add("no-token", "spans covering no token (whitespace only), left out", () =>
        describeSpanForReport(doc, span),
      );
      continue;
    }
    if (tokens[first]?.start !== span.start || tokens[last - 1]?.end !== span.end) {
      report.add(
        "not-on-token-boundary",
        "spans not on token boundaries, widened to whole tokens",
        () => describeSpanForReport(doc, span),
      );
    }
    candidates.push({ span, first, last });
  }
  candidates.sort((a, b) => a.first - b.first || b.last - a.last);

  const chunks: TaggedChunk[] = [];
  let coveredUntil = 0;
  for (const candidate of candidates) {
    if (candidate.first < coveredUntil) {
      report.add(
        "overlap",
        "overlapping or nested spans left out of the tags (the outermost span wins)",
        () => describeSpanForReport(doc, candidate.span),
      );
      continue;
    }
    chunks.push(candidate);
    coveredUntil = candidate.last;
  }

  // Cut chunks at sentence boundaries so that each sentence's tags stand alone.
  const pieces: TaggedChunk[] = [];
  let sentenceIndex = 0;
  for (const chunk of chunks) {
    while (sentenceIndex < sentences.length && (sentences[sentenceIndex]?.[1] ?? 0) <= chunk.first)
      sentenceIndex++;
    let first = chunk.first;
    let s = sentenceIndex;
    let cut = false;
    while (first < chunk.last) {
      const sentenceEnd = sentences[s]?.[1] ?? chunk.last;
      const last = Math.min(chunk.last, sentenceEnd);
      pieces.push({ span: chunk.span, first, last });
      if (last < chunk.last) cut = true;
      first = last;
      s++;
    }
    if (cut)
      report.add(
        "crosses-sentence",
        "spans crossing a sentence boundary, tagged as one chunk per sentence",
        () => describeSpanForReport(doc, chunk.span),
      );
  }

  const tags: string[] = new Array(tokens.length).fill("O");
  let previous: TaggedChunk | undefined;
  for (const piece of pieces) {
    const { label } = piece.span;
    const single = piece.last - piece.first === 1;
    for (let i = piece.first; i < piece.last; i++) {
      const isFirst = i === piece.first;
      const isLast = i === piece.last - 1;
      let tag: string;
      if (scheme === "bioes") {
        tag = single ? "S" : isFirst ? "B" : isLast ? "E" : "I";
      } else if (scheme === "iob2") {
        tag = isFirst ? "B" : "I";
      } else {
        // IOB1: B only where a chunk directly follows another chunk of the same label.
        const follows = isFirst && previous?.last === piece.first && previous.span.label === label;
        tag = follows ? "B" : "I";
      }
      tags[i] = `${tag}-${label}`;
    }
    previous = piece;
  }
  return { tags, chunks: pieces };
}
