/**
 * The agreement report of a project: for the chosen coders and labels, on the
 * articles at least two of them coded — spans (unitized α_U per label,
 * precision/recall/F1 exact and overlap, κ and α on the labels of matched
 * spans), stance polarity and target on matched stance spans, document codes
 * (percent, Cohen's and Fleiss' κ, Krippendorff's α), per coder pair and per
 * article, each with a seeded bootstrap 95 % interval over articles. The CLI,
 * the API and the dashboard all show this one object. Definitions:
 * docs/agreement.md.
 */
import type { DatasetDocument } from "../dataset/dataset";
import type { Codebook, LabelKind } from "../project-files";
import { bootstrapInterval } from "./bootstrap";
import {
  cohensKappa,
  fleissKappa,
  krippendorffAlpha,
  type Level,
  percentAgreement,
  type ReliabilityData,
  type ReliabilityUnit,
  type Value,
} from "./reliability";
import type {
  AgreementOptions,
  AgreementReport,
  ArticleAgreement,
  CodeAgreement,
  Estimate,
  LabelAgreement,
  PairAgreement,
} from "./report-types";
import { alignSpans, labelUnits, type SpanPair, spanScores } from "./spans";
import { type Continuum, unitizedAlpha } from "./unitized";

interface ArticleData {
  id: string;
  title: string;
  length: number;
  coders: string[];
  /** Spans and codes per coder (same order as `coders`). */
  docs: DatasetDocument[];
  /** Aligned pairs per coder pair key `a|b`. */
  pairs: Map<string, SpanPair[]>;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Builds the articles the report is about: those with ≥ 2 of the chosen coders. */
function articlesOf(
  documents: DatasetDocument[],
  coders: string[],
  labels: Set<string>,
): ArticleData[] {
  const byArticle = new Map<string, DatasetDocument[]>();
  for (const doc of documents) {
    if (!coders.includes(doc.annotator)) continue;
    const filtered = { ...doc, spans: doc.spans.filter((s) => labels.has(s.label)) };
    const list = byArticle.get(doc.id);
    if (list) list.push(filtered);
    else byArticle.set(doc.id, [filtered]);
  }
  const out: ArticleData[] = [];
  for (const [id, docs] of [...byArticle.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (docs.length < 2) continue;
    docs.sort((a, b) => coders.indexOf(a.annotator) - coders.indexOf(b.annotator));
    const first = docs[0] as DatasetDocument;
    const pairs = new Map<string, SpanPair[]>();
    for (let i = 0; i < docs.length; i++)
      for (let j = i + 1; j < docs.length; j++) {
        const a = docs[i] as DatasetDocument;
        const b = docs[j] as DatasetDocument;
        pairs.set(`${a.annotator}|${b.annotator}`, alignSpans(a.spans, b.spans));
      }
    out.push({
      id,
      title: first.meta.title,
      length: codePoints(first.text),
      coders: docs.map((d) => d.annotator),
      docs,
      pairs,
    });
  }
  return out;
}

function f1Of(
  articles: readonly ArticleData[],
  mode: "exact" | "overlap",
  a?: string,
  b?: string,
): number | null {
  // Micro F1 over every coder pair (or the one asked for): counts summed, then F1.
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const article of articles) {
    for (let i = 0; i < article.docs.length; i++)
      for (let j = i + 1; j < article.docs.length; j++) {
        const x = article.docs[i] as DatasetDocument;
        const y = article.docs[j] as DatasetDocument;
        if (a !== undefined && !(x.annotator === a && y.annotator === b)) continue;
        const micro = spanScores(x.spans, y.spans, mode).micro;
        tp += micro.tp;
        fp += micro.fp;
        fn += micro.fn;
      }
  }
  return tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
}

function labelF1(
  articles: readonly ArticleData[],
  label: string,
  mode: "exact" | "overlap",
): number | null {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const article of articles)
    for (let i = 0; i < article.docs.length; i++)
      for (let j = i + 1; j < article.docs.length; j++) {
        const x = (article.docs[i] as DatasetDocument).spans.filter((s) => s.label === label);
        const y = (article.docs[j] as DatasetDocument).spans.filter((s) => s.label === label);
        const micro = spanScores(x, y, mode).micro;
        tp += micro.tp;
        fp += micro.fp;
        fn += micro.fn;
      }
  return tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
}

function continua(articles: readonly ArticleData[], coders: string[]): Continuum[] {
  return articles.map((article) => ({
    length: article.length,
    segments: coders.map((coder) => article.docs.find((d) => d.annotator === coder)?.spans ?? []),
  }));
}

/** Reliability data on the labels of aligned spans: one unit per aligned position, per coder pair. */
function spanLabelData(articles: readonly ArticleData[], a?: string, b?: string): ReliabilityData {
  const units: ReliabilityUnit[] = [];
  for (const article of articles)
    for (const [key, pairs] of article.pairs) {
      const [x, y] = key.split("|");
      if (a !== undefined && !(x === a && y === b)) continue;
      for (const unit of labelUnits(pairs))
        units.push({
          id: `${article.id}|${key}|${unit.id}`,
          values: [unit.values[0], unit.values[1]],
        });
    }
  return { coders: ["a", "b"], units };
}

function stanceData(
  articles: readonly ArticleData[],
  field: "polarity" | "target",
  kinds: Map<string, LabelKind>,
): ReliabilityData {
  const units: ReliabilityUnit[] = [];
  for (const article of articles)
    for (const [key, pairs] of article.pairs)
      for (const pair of pairs) {
        if (!pair.a || !pair.b || pair.kind === "only-a" || pair.kind === "only-b") continue;
        if (kinds.get(pair.a.label) !== "stance" || kinds.get(pair.b.label) !== "stance") continue;
        const x = (pair.a as { polarity?: string; target?: string })[field] ?? null;
        const y = (pair.b as { polarity?: string; target?: string })[field] ?? null;
        units.push({ id: `${article.id}|${key}|${pair.a.start}`, values: [x, y] });
      }
  return { coders: ["a", "b"], units };
}

function codeValue(value: unknown): Value | null {
  if (value === undefined || value === null || value === "") return null;
  if (Array.isArray(value)) return value.length === 0 ? null : [...value].sort().join(" + ");
  return typeof value === "number" ? value : String(value);
}

function codeData(
  articles: readonly ArticleData[],
  coders: string[],
  variable: string,
): ReliabilityData {
  return {
    coders,
    units: articles.map((article) => ({
      id: article.id,
      values: coders.map((coder) =>
        codeValue(article.docs.find((d) => d.annotator === coder)?.codes[variable]),
      ),
    })),
  };
}

/** Computes the agreement report of `documents` (every coder's version of each article). */
export function agreementReport(
  documents: DatasetDocument[],
  codebook: Codebook,
  options: AgreementOptions = {},
): AgreementReport {
  const seed = options.seed ?? 1;
  const samples = options.bootstrap ?? 1000;
  const coders =
    options.coders ??
    [...new Set(documents.map((d) => d.annotator))].filter((c) => c !== "gold").sort();
  const labelIds = options.labels ?? codebook.labels.map((l) => l.id);
  const kinds = new Map(codebook.labels.map((l) => [l.id, l.kind]));
  const articles = articlesOf(documents, coders, new Set(labelIds));

  const estimate = (statistic: (sample: readonly ArticleData[]) => number | null): Estimate => {
    const value = statistic(articles);
    if (value === null || samples === 0 || articles.length < 2)
      return { value, low: null, high: null };
    const interval = bootstrapInterval(articles, statistic, { seed, samples });
    return { value, low: interval.low, high: interval.high };
  };

  const perLabel: LabelAgreement[] = labelIds.map((id) => {
    const label = codebook.labels.find((l) => l.id === id);
    return {
      label: id,
      name: label?.name ?? id,
      kind: label?.kind ?? "entity",
      spans: articles.reduce(
        (n, a) => n + a.docs.reduce((m, d) => m + d.spans.filter((s) => s.label === id).length, 0),
        0,
      ),
      alphaU: estimate((sample) => unitizedAlpha(continua(sample, coders), id).alpha),
      f1Exact: estimate((sample) => labelF1(sample, id, "exact")),
      f1Overlap: estimate((sample) => labelF1(sample, id, "overlap")),
    };
  });

  const pairs: PairAgreement[] = [];
  for (let i = 0; i < coders.length; i++)
    for (let j = i + 1; j < coders.length; j++) {
      const a = coders[i] as string;
      const b = coders[j] as string;
      const shared = articles.filter((x) => x.coders.includes(a) && x.coders.includes(b));
      const pairEstimate = (
        statistic: (sample: readonly ArticleData[]) => number | null,
      ): Estimate => {
        const value = statistic(shared);
        if (value === null || samples === 0 || shared.length < 2)
          return { value, low: null, high: null };
        const interval = bootstrapInterval(shared, statistic, { seed, samples });
        return { value, low: interval.low, high: interval.high };
      };
      pairs.push({
        a,
        b,
        articles: shared.length,
        f1Exact: pairEstimate((s) => f1Of(s, "exact", a, b)),
        f1Overlap: pairEstimate((s) => f1Of(s, "overlap", a, b)),
        labelKappa: pairEstimate((s) => cohensKappa(spanLabelData(s, a, b)).kappa),
      });
    }

  const codes: CodeAgreement[] = codebook.documentVariables
    .filter((v) => v.type !== "text")
    .map((variable) => {
      const level: Level = variable.type === "number" ? "interval" : "nominal";
      const data = (sample: readonly ArticleData[]) => codeData(sample, coders, variable.id);
      const all = data(articles);
      const units = all.units.filter((u) => u.values.filter((v) => v !== null).length >= 2).length;
      return {
        variable: variable.id,
        name: variable.name,
        type: variable.type,
        units,
        level,
        percent: estimate((s) => percentAgreement(data(s)).agreement),
        cohen: coders.length === 2 ? estimate((s) => cohensKappa(data(s)).kappa) : null,
        fleiss: estimate((s) => fleissKappa(data(s)).kappa),
        alpha: estimate((s) => krippendorffAlpha(data(s), level).alpha),
      };
    });

  const polarityOrder = codebook.stanceScale.map((p) => p.id);
  const stanceUnits = stanceData(articles, "polarity", kinds).units.length;
  const perArticle: ArticleAgreement[] = articles.map((article) => {
    let disagreements = 0;
    for (const list of article.pairs.values())
      disagreements += list.filter((p) => p.kind !== "same").length;
    for (const variable of codebook.documentVariables) {
      const values = article.docs.map((d) => JSON.stringify(codeValue(d.codes[variable.id])));
      if (new Set(values).size > 1) disagreements++;
    }
    return {
      id: article.id,
      title: article.title,
      coders: article.coders,
      f1Exact: f1Of([article], "exact"),
      f1Overlap: f1Of([article], "overlap"),
      disagreements,
    };
  });

  return {
    coders,
    labels: labelIds,
    articles: articles.length,
    seed,
    bootstrap: samples,
    spans: {
      f1Exact: estimate((s) => f1Of(s, "exact")),
      f1Overlap: estimate((s) => f1Of(s, "overlap")),
      labelAlpha: estimate((s) => krippendorffAlpha(spanLabelData(s), "nominal").alpha),
      percent: estimate((s) => percentAgreement(spanLabelData(s)).agreement),
    },
    perLabel,
    stance: {
      polarity: estimate(
        (s) => krippendorffAlpha(stanceData(s, "polarity", kinds), "ordinal", polarityOrder).alpha,
      ),
      target: estimate((s) => krippendorffAlpha(stanceData(s, "target", kinds), "nominal").alpha),
      units: stanceUnits,
    },
    codes,
    pairs,
    perArticle,
  };
}
