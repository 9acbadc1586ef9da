/**
 * Adjudication of one article between two coders into the gold layer. What
 * both coders annotated identically is agreed and goes to gold unasked; every
 * other aligned pair (different label, different boundaries, only one coder)
 * and every differing document code is a decision: take A, take B, reject, or
 * edit (A's or B's offsets with another label). Decisions are read back from
 * the gold file itself: a gold span equal to one side is that side taken; a
 * rejection is kept in the gold file's `rejected` list. Pure functions; the
 * curation view saves what they return.
 */
import type { AnnotationInput } from "../api";
import type { DocumentCodeValue, Label, StoredAnnotation } from "../project-files";
import { alignSpans, type SpanPair } from "./spans";

/** A span as the curation view shows it (an annotation of one coder). */
export type CurationSpan = StoredAnnotation;

/** What became of one decision. */
export type Decision = "undecided" | "a" | "b" | "edited" | "rejected";

/** One row of the curation view. */
export interface CurationItem {
  /** Stable key: the two sides' signatures. */
  key: string;
  kind: SpanPair["kind"] | "code";
  a?: CurationSpan;
  b?: CurationSpan;
  /** For document codes: the variable and each side's value. */
  variable?: string;
  codeA?: DocumentCodeValue;
  codeB?: DocumentCodeValue;
  decision: Decision;
  /** The gold annotation standing for this item, when there is one. */
  gold?: StoredAnnotation;
}

/** `start-end-label`: how a span is recognised across coders and the gold layer. */
export function signature(span: { start: number; end: number; label: string }): string {
  return `${span.start}-${span.end}-${span.label}`;
}

/** The gold annotation id for a span (deterministic, so re-deciding replaces it). */
export function goldId(span: { start: number; end: number; label: string }): string {
  return `gold-${span.start}-${span.end}-${span.label}`;
}

/** The annotation input that puts `span` (with `label` when edited) into the gold layer. */
export function toGold(span: StoredAnnotation, label?: Label): AnnotationInput {
  const chosen = label
    ? { label: label.id, kind: label.kind }
    : { label: span.label, kind: span.kind };
  const input: AnnotationInput = {
    id: goldId({ ...span, label: chosen.label }),
    kind: chosen.kind,
    label: chosen.label,
    start: span.start,
    end: span.end,
  };
  for (const key of ["value", "target", "polarity", "holder", "entity", "note"] as const) {
    const value = span[key];
    // Attributes only carry over when the kind stays the same.
    if (value !== undefined && chosen.kind === span.kind) input[key] = value;
  }
  return input;
}

/** The rows of the curation view for coders `a` and `b`, with their decisions read from `gold`. */
export function curationItems(
  a: { annotations: StoredAnnotation[]; codes: Record<string, DocumentCodeValue> },
  b: { annotations: StoredAnnotation[]; codes: Record<string, DocumentCodeValue> },
  gold: {
    annotations: StoredAnnotation[];
    codes: Record<string, DocumentCodeValue>;
    rejected?: string[];
  } | null,
  variables: readonly string[],
): CurationItem[] {
  const goldBySignature = new Map((gold?.annotations ?? []).map((g) => [signature(g), g]));
  const rejected = new Set(gold?.rejected ?? []);
  const claimed = new Set<string>();
  const items: CurationItem[] = [];
  for (const pair of alignSpans(a.annotations, b.annotations)) {
    const spanA = pair.a as CurationSpan | undefined;
    const spanB = pair.b as CurationSpan | undefined;
    const key = `${spanA ? signature(spanA) : "-"}|${spanB ? signature(spanB) : "-"}`;
    let decision: Decision = "undecided";
    let goldSpan: StoredAnnotation | undefined;
    const fromA = spanA ? goldBySignature.get(signature(spanA)) : undefined;
    const fromB = spanB ? goldBySignature.get(signature(spanB)) : undefined;
    if (fromA) {
      decision = "a";
      goldSpan = fromA;
    } else if (fromB) {
      decision = "b";
      goldSpan = fromB;
    } else {
      // An edit keeps one side's offsets with another label.
      const edited = (gold?.annotations ?? []).find(
        (g) =>
          !claimed.has(g.id) &&
          ((spanA && g.start === spanA.start && g.end === spanA.end) ||
            (spanB && g.start === spanB.start && g.end === spanB.end)),
      );
      if (edited) {
        decision = "edited";
        goldSpan = edited;
      } else if (rejected.has(key)) decision = "rejected";
    }
    if (goldSpan) claimed.add(goldSpan.id);
    items.push({
      key,
      kind: pair.kind,
      ...(spanA ? { a: spanA } : {}),
      ...(spanB ? { b: spanB } : {}),
      decision,
      ...(goldSpan ? { gold: goldSpan } : {}),
    });
  }
  for (const variable of variables) {
    const codeA = a.codes[variable];
    const codeB = b.codes[variable];
    if (codeA === undefined && codeB === undefined) continue;
    const same = JSON.stringify(codeA) === JSON.stringify(codeB);
    const goldValue = gold?.codes[variable];
    let decision: Decision = "undecided";
    if (goldValue !== undefined)
      decision =
        JSON.stringify(goldValue) === JSON.stringify(codeA)
          ? "a"
          : JSON.stringify(goldValue) === JSON.stringify(codeB)
            ? "b"
            : "edited";
    else if (rejected.has(`code:${variable}`)) decision = "rejected";
    items.push({
      key: `code:${variable}`,
      kind: same ? "same" : "code",
      variable,
      ...(codeA === undefined ? {} : { codeA }),
      ...(codeB === undefined ? {} : { codeB }),
      decision,
    });
  }
  return items;
}

/** The gold changes for the agreed items that are not in gold yet (pre-merging). */
export function agreedChanges(items: readonly CurationItem[]): {
  upsert: AnnotationInput[];
  codes: Record<string, DocumentCodeValue>;
} {
  const upsert: AnnotationInput[] = [];
  const codes: Record<string, DocumentCodeValue> = {};
  for (const item of items) {
    if (item.kind !== "same" || item.decision !== "undecided") continue;
    if (item.a) upsert.push(toGold(item.a));
    else if (item.variable !== undefined && item.codeA !== undefined)
      codes[item.variable] = item.codeA;
  }
  return { upsert, codes };
}

/** True when every item has a decision (agreed ones count once they are in gold). */
export function isComplete(items: readonly CurationItem[]): boolean {
  return items.every((item) => item.decision !== "undecided");
}
