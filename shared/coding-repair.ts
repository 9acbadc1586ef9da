/**
 * Keeping a coder's annotation file in step with its article's text. Two
 * cases: the text is changed through Tagwerk (old and new text known: full
 * diff-based re-anchoring), or a file arrives whose text changed without
 * Tagwerk (only the new text known: quote + context search). Either way,
 * what cannot be placed becomes an orphan with a reason — never dropped.
 */
import { anchorContext, findQuote, reanchor } from "./anchoring";
import type { AnnotationFile, StoredAnnotation } from "./project-files";
import { sliceCodePoints } from "./text-blocks";

/** What happened to one file's annotations. */
export interface RepairSummary {
  placed: number;
  moved: number;
  orphaned: number;
}

function withPlace(
  a: StoredAnnotation,
  text: string,
  start: number,
  end: number,
): StoredAnnotation {
  return { ...a, start, end, ...anchorContext(text, start, end) };
}

/** Re-anchors a file from `oldText` to `newText` (text changed through Tagwerk). */
export function reanchorCoding(
  file: AnnotationFile,
  oldText: string,
  newText: string,
  newHash: string,
): { file: AnnotationFile; summary: RepairSummary } {
  const result = reanchor(oldText, newText, file.annotations);
  const annotations = result.placed.map((p) => ({
    ...p.annotation,
    start: p.start,
    end: p.end,
    ...p.context,
  }));
  const orphans = [
    ...file.orphans,
    ...result.orphaned.map((o) => ({ ...o.annotation, reason: o.reason })),
  ];
  return {
    file: { ...file, textHash: newHash, annotations, orphans },
    summary: {
      placed: annotations.length,
      moved: result.placed.filter((p) => p.how !== "unchanged").length,
      orphaned: result.orphaned.length,
    },
  };
}

/**
 * Brings a file whose `textHash` differs from the article's in line with the
 * current text, using each annotation's quote and context (the old text is
 * unknown, e.g. after a pull). Annotations whose quote still stands at their
 * offsets stay; the others are searched for; the rest become orphans.
 */
export function reconcileCoding(
  file: AnnotationFile,
  text: string,
  textHash: string,
): { file: AnnotationFile; summary: RepairSummary } {
  if (file.textHash === textHash)
    return { file, summary: { placed: file.annotations.length, moved: 0, orphaned: 0 } };
  const annotations: StoredAnnotation[] = [];
  const orphans = [...file.orphans];
  let moved = 0;
  for (const a of file.annotations) {
    if (sliceCodePoints(text, a.start, a.end) === a.quote) {
      annotations.push(withPlace(a, text, a.start, a.end));
      continue;
    }
    const found = findQuote(text, { quote: a.quote, prefix: a.prefix, suffix: a.suffix }, a.start);
    if (found) {
      annotations.push(withPlace(a, text, found.start, found.end));
      moved++;
    } else {
      orphans.push({
        ...a,
        reason: "the text changed outside Tagwerk and this quote could not be found again",
      });
    }
  }
  return {
    file: { ...file, textHash, annotations, orphans },
    summary: { placed: annotations.length, moved, orphaned: orphans.length - file.orphans.length },
  };
}
