/**
 * Reports the span attributes and document codes a format has no place for
 * (CoNLL keeps neither; Hugging Face keeps stance attributes and codes in side
 * tables), one loss code per attribute, so nothing is dropped silently.
 */
import type { DatasetDocument, DatasetSpan } from "../dataset";
import { describeSpanForReport, type LossReport } from "../loss-report";

/** The optional span attributes of the dataset model, in report order. */
export const SPAN_ATTRIBUTES = ["entity", "value", "target", "polarity", "holder", "note"] as const;
/** One of `SPAN_ATTRIBUTES`. */
export type SpanAttribute = (typeof SPAN_ATTRIBUTES)[number];

const ATTRIBUTE_WORDS: Record<SpanAttribute, string> = {
  entity: "registry entity ids of spans",
  value: "normalised date values of spans",
  target: "stance targets of spans",
  polarity: "stance polarities of spans",
  holder: "stance holders of spans",
  note: "notes on spans",
};

/** What a format keeps; everything else is reported. By default it keeps nothing. */
export interface CarriedFields {
  /** The attributes the format keeps for `span`. */
  attributes?: (span: DatasetSpan) => readonly SpanAttribute[];
  /** True when the format keeps the document codes of `variable`. */
  codes?: (variable: string) => boolean;
}

/**
 * Adds one loss per span attribute and per document code of `doc` that the
 * format does not carry: codes `attribute-<name>-not-carried` (e.g.
 * `attribute-entity-not-carried`) and `document-code-not-carried`.
 */
export function reportUncarriedAttributes(
  doc: DatasetDocument,
  report: LossReport,
  formatName: string,
  carried: CarriedFields = {},
): void {
  for (const span of doc.spans) {
    const kept = carried.attributes?.(span) ?? [];
    for (const attribute of SPAN_ATTRIBUTES) {
      const value = span[attribute];
      if (value === undefined || value === "" || kept.includes(attribute)) continue;
      report.add(
        `attribute-${attribute}-not-carried`,
        `${ATTRIBUTE_WORDS[attribute]} (${formatName} has no place for them)`,
        () => `${describeSpanForReport(doc, span)} ${attribute}=${JSON.stringify(value)}`,
      );
    }
  }
  for (const [variable, value] of Object.entries(doc.codes)) {
    if (carried.codes?.(variable)) continue;
    report.add(
      "document-code-not-carried",
      `document codes (${formatName} has no place for them)`,
      () => `${doc.id} (${doc.annotator}) ${variable}=${JSON.stringify(value)}`,
    );
  }
}

/** One sentence for reports and cards: how the token formats tokenize and tag (`scheme` over `kinds`). */
export function tokenPolicyNote(scheme: string, kinds: readonly string[]): string {
  return (
    `Tokens are Unicode words (UAX #29 word and sentence rules of Intl.Segmenter for the article's language, ` +
    `punctuation as tokens); ${scheme.toUpperCase()} tags mark ${kinds.join(", ")} spans, widened to whole ` +
    "tokens, cut at sentence ends, and the outermost span wins where spans overlap or nest."
  );
}
