/**
 * brat's configuration files of an export, `annotation.conf` and
 * `visual.conf`, from the codebook and from how the documents' spans use
 * labels and attributes (summed up document by document).
 */
import type { DatasetSpan } from "../dataset";
import type { ExportContext } from "../format-types";

/** What a `.ann` line cannot hold: the breaks of Python's `splitlines`, and tabs. */
export const BREAKS = new Set("\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029");

/** `text` on one line: line breaks and tabs as spaces. */
export const oneLine = (text: string) =>
  Array.from(text, (c) => (BREAKS.has(c) ? " " : c)).join("");
const unique = (values: string[]) => [...new Set(values)];

/** Codebook labels, then labels the spans use that the codebook lacks (sorted). */
function confLabels(dataset: ExportContext, spans: SpanSummary) {
  const labels = dataset.codebook.labels.map(({ id, kind, name, color }) => ({
    id,
    kind,
    name,
    color,
  }));
  const kinds = new Map(spans.labels);
  for (const id of [...kinds.keys()].sort()) {
    const kind = kinds.get(id) ?? "entity";
    if (!labels.some((l) => l.id === id)) labels.push({ id, kind, name: id, color: "" });
  }
  return labels;
}

export function annotationConf(
  dataset: ExportContext,
  spans: SpanSummary,
  generator: string,
): string {
  const { stanceScale, stanceTargets } = dataset.codebook;
  const labels = confLabels(dataset, spans);
  const stance = labels.filter((l) => l.kind === "stance").map((l) => l.id);
  const attribute = (name: string, key: "polarity" | "target", known: string[]) => {
    const used = spans[key];
    const values = unique([...known, ...[...used.values].sort()]);
    const args = unique([...stance, ...used.labels]);
    return values.length > 0 && args.length > 0
      ? [`${name}\tArg:${args.join("|")}, Value:${values.join("|")}`]
      : [];
  };
  const project = oneLine(dataset.projectName);
  return `${[
    `# brat configuration written by ${generator} from the codebook of "${project}".`,
    "[entities]",
    ...labels.map((l) => l.id),
    "",
    "[relations]",
    ...(stance.length > 0 ? [`Holder\tArg1:${stance.join("|")}, Arg2:<ENTITY>`] : []),
    "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    "",
    "[events]",
    "",
    "[attributes]",
    ...attribute(
      "Polarity",
      "polarity",
      stanceScale.map((p) => p.id),
    ),
    ...attribute(
      "Target",
      "target",
      stanceTargets.map((t) => t.id),
    ),
  ].join("\n")}\n`;
}

export function visualConf(dataset: ExportContext, spans: SpanSummary): string {
  const labels = confLabels(dataset, spans);
  const label = (id: string, name: string) => `${id} | ${oneLine(name).replace(/\|/g, "/")}`;
  return `${[
    "[labels]",
    ...labels.map((l) => label(l.id, l.name)),
    label("Holder", "Holder"),
    label("Polarity", "Polarity"),
    label("Target", "Stance target"),
    "",
    "[drawing]",
    ...labels.filter((l) => l.color).map((l) => `${l.id}\tbgColor:${l.color}`),
    "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
    "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
    "ATTRIBUTE_DEFAULT\tglyph:*",
  ].join("\n")}\n`;
}

/** What the configuration files need to know of a document's spans (in span order). */
export interface SpanSummary {
  /** Labels with the kind of their first span. */
  labels: Array<[string, DatasetSpan["kind"]]>;
  /** Per attribute: labels of spans with a usable value (first seen first), and the values. */
  polarity: { labels: string[]; values: string[] };
  target: { labels: string[]; values: string[] };
}

export function summarise(spans: readonly DatasetSpan[]): SpanSummary {
  const labels = new Map<string, DatasetSpan["kind"]>();
  const used = (key: "polarity" | "target") => {
    const withValue = spans.filter((s) => s[key] && !/\s/.test(s[key] ?? ""));
    return {
      labels: unique(withValue.map((s) => s.label)),
      values: unique(withValue.map((s) => s[key] ?? "")),
    };
  };
  for (const span of spans) if (!labels.has(span.label)) labels.set(span.label, span.kind);
  return { labels: [...labels], polarity: used("polarity"), target: used("target") };
}

/** The summaries of documents taken together (as if of all their spans). */
export function mergeSummaries(summaries: readonly SpanSummary[]): SpanSummary {
  const labels = new Map<string, DatasetSpan["kind"]>();
  const merged: SpanSummary = {
    labels: [],
    polarity: { labels: [], values: [] },
    target: { labels: [], values: [] },
  };
  for (const summary of summaries) {
    for (const [label, kind] of summary.labels) if (!labels.has(label)) labels.set(label, kind);
    for (const key of ["polarity", "target"] as const) {
      merged[key].labels.push(...summary[key].labels);
      merged[key].values.push(...summary[key].values);
    }
  }
  merged.labels = [...labels];
  for (const key of ["polarity", "target"] as const)
    merged[key] = { labels: unique(merged[key].labels), values: unique(merged[key].values) };
  return merged;
}
