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
import type { DatasetDocument, DatasetSpan } from "../dataset/dataset";
import type { Codebook, LabelKind } from "../project-files";
import { countCodePoints } from "../text-blocks";
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
import { type ArticleData, type Counts, Estimates, f1, type Statistic } from "./report-resampling";
import type {
  AgreementOptions,
  AgreementReport,
  ArticleAgreement,
  CodeAgreement,
  Estimate,
  LabelAgreement,
  PairAgreement,
} from "./report-types";
import { compareLayers, type SpanScores } from "./spans";
import {
  type Continuum,
  type PreparedUnitizing,
  prepareUnitizingAll,
  weightedUnitizedAlpha,
} from "./unitized";

function countsByLabel(scores: SpanScores): Map<string, Counts> {
  return new Map(scores.perLabel.map((l) => [l.label, { tp: l.tp, fp: l.fp, fn: l.fn }]));
}

/** `JSON.stringify([a, b])` for each pair of values met so far (few distinct pairs, many spans). */
const tupleKeys = new Map<Value | null, Map<Value | null, string>>();

function tupleKey(a: Value | null, b: Value | null): string {
  let inner = tupleKeys.get(a);
  if (!inner) {
    inner = new Map();
    if (tupleKeys.size < 10_000) tupleKeys.set(a, inner);
  }
  let key = inner.get(b);
  if (key === undefined) {
    key = JSON.stringify([a, b]);
    if (inner.size < 10_000) inner.set(b, key);
  }
  return key;
}

function addTuple(map: Map<string, number>, values: [Value | null, Value | null]): void {
  const key = tupleKey(values[0], values[1]);
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Builds the articles the report is about: those with ≥ 2 of the chosen coders. */
function articlesOf(
  documents: DatasetDocument[],
  coders: string[],
  labels: Set<string>,
  kinds: Map<string, LabelKind>,
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
    let differing = 0;
    const scores = new Map<string, { exact: Map<string, Counts>; overlap: Map<string, Counts> }>();
    const labelTuples = new Map<string, Map<string, number>>();
    const polarityTuples = new Map<string, Map<string, number>>();
    const targetTuples = new Map<string, Map<string, number>>();
    for (let i = 0; i < docs.length; i++)
      for (let j = i + 1; j < docs.length; j++) {
        const a = docs[i] as DatasetDocument;
        const b = docs[j] as DatasetDocument;
        const key = `${a.annotator}|${b.annotator}`;
        const compared = compareLayers(a.spans, b.spans);
        const aligned = compared.aligned;
        for (const pair of aligned) if (pair.kind !== "same") differing++;
        scores.set(key, {
          exact: countsByLabel(compared.exact),
          overlap: countsByLabel(compared.overlap),
        });
        const labelMap = new Map<string, number>();
        // The values of labelUnits(aligned), without building each unit's id.
        for (const pair of aligned)
          addTuple(labelMap, [pair.a?.label ?? null, pair.b?.label ?? null]);
        labelTuples.set(key, labelMap);
        const polarity = new Map<string, number>();
        const target = new Map<string, number>();
        for (const pair of aligned) {
          const x = pair.a as DatasetSpan | undefined;
          const y = pair.b as DatasetSpan | undefined;
          if (!x || !y || kinds.get(x.label) !== "stance" || kinds.get(y.label) !== "stance")
            continue;
          addTuple(polarity, [x.polarity ?? null, y.polarity ?? null]);
          addTuple(target, [x.target ?? null, y.target ?? null]);
        }
        polarityTuples.set(key, polarity);
        targetTuples.set(key, target);
      }
    out.push({
      id,
      title: first.meta.title,
      length: countCodePoints(first.text),
      coders: docs.map((d) => d.annotator),
      docs,
      differing,
      scores,
      labelTuples,
      polarityTuples,
      targetTuples,
    });
  }
  return out;
}

/** Micro F1 over every coder pair (or the one asked for) and every label (or one): counts summed. */
function f1Of(
  articles: readonly ArticleData[],
  mode: "exact" | "overlap",
  pair?: string,
  label?: string,
): number | null {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const article of articles)
    for (const [key, byMode] of article.scores) {
      if (pair !== undefined && key !== pair) continue;
      for (const [name, counts] of byMode[mode]) {
        if (label !== undefined && name !== label) continue;
        tp += counts.tp;
        fp += counts.fp;
        fn += counts.fn;
      }
    }
  return f1(tp, fp, fn);
}

/** Sums the compressed value pairs of the sampled articles into weighted reliability data. */
function tupleData(
  articles: readonly ArticleData[],
  field: "labelTuples" | "polarityTuples" | "targetTuples",
  pair?: string,
): ReliabilityData {
  const totals = new Map<string, number>();
  for (const article of articles)
    for (const [key, tuples] of article[field]) {
      if (pair !== undefined && key !== pair) continue;
      for (const [tuple, count] of tuples) totals.set(tuple, (totals.get(tuple) ?? 0) + count);
    }
  const units: ReliabilityUnit[] = [...totals].map(([tuple, weight]) => ({
    id: tuple,
    values: JSON.parse(tuple) as [Value | null, Value | null],
    weight,
  }));
  return { coders: ["a", "b"], units };
}

function continua(articles: readonly ArticleData[], coders: string[]): Continuum[] {
  return articles.map((article) => ({
    length: article.length,
    segments: coders.map((coder) => article.docs.find((d) => d.annotator === coder)?.spans ?? []),
  }));
}

/** Polarities outside the codebook's scale (older codebooks) count as missing, not as a crash. */
function onScale(data: ReliabilityData, order: readonly string[]): ReliabilityData {
  const known = new Set<Value>(order);
  return {
    coders: data.coders,
    units: data.units.map((unit) => ({
      ...unit,
      values: unit.values.map((v) => (v !== null && known.has(v) ? v : null)),
    })),
  };
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
  const articles = articlesOf(documents, coders, new Set(labelIds), kinds);

  // Values now, intervals at the end: each set of articles is resampled once for all statistics.
  const estimates = new Estimates(seed, samples);
  const estimate = (
    value: (sample: readonly ArticleData[]) => number | null,
    statistic: () => Statistic,
  ): Estimate => estimates.add(articles, value(articles), statistic);

  // α_U is recomputed per resample from prepared sums: article weights, not copies.
  const preparedByLabel = new Map<string, PreparedUnitizing>(
    prepareUnitizingAll(continua(articles, coders), [...new Set(labelIds)]).map((p) => [
      p.label,
      p,
    ]),
  );
  const alphaUEstimate = (label: string): Estimate => {
    const prepared = preparedByLabel.get(label) as PreparedUnitizing;
    const value = weightedUnitizedAlpha(prepared, new Float64Array(articles.length).fill(1));
    return estimates.add(articles, value, () => estimates.alphaU(articles, prepared));
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
      alphaU: alphaUEstimate(id),
      f1Exact: estimate(
        (sample) => f1Of(sample, "exact", undefined, id),
        () => estimates.f1(articles, "exact", undefined, id),
      ),
      f1Overlap: estimate(
        (sample) => f1Of(sample, "overlap", undefined, id),
        () => estimates.f1(articles, "overlap", undefined, id),
      ),
    };
  });

  const pairs: PairAgreement[] = [];
  for (let i = 0; i < coders.length; i++)
    for (let j = i + 1; j < coders.length; j++) {
      const a = coders[i] as string;
      const b = coders[j] as string;
      const shared = articles.filter((x) => x.coders.includes(a) && x.coders.includes(b));
      const key = `${a}|${b}`;
      pairs.push({
        a,
        b,
        articles: shared.length,
        f1Exact: estimates.add(shared, f1Of(shared, "exact", key), () =>
          estimates.f1(shared, "exact", key),
        ),
        f1Overlap: estimates.add(shared, f1Of(shared, "overlap", key), () =>
          estimates.f1(shared, "overlap", key),
        ),
        labelKappa: estimates.add(
          shared,
          cohensKappa(tupleData(shared, "labelTuples", key)).kappa,
          () => {
            const tuples = estimates.tuples(shared, "labelTuples", key);
            return (r) => cohensKappa(tuples(r)).kappa;
          },
        ),
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
        percent: estimate(
          (s) => percentAgreement(data(s)).agreement,
          () => (r) => percentAgreement(data(r.sample())).agreement,
        ),
        cohen:
          coders.length === 2
            ? estimate(
                (s) => cohensKappa(data(s)).kappa,
                () => (r) => cohensKappa(data(r.sample())).kappa,
              )
            : null,
        fleiss: estimate(
          (s) => fleissKappa(data(s)).kappa,
          () => (r) => fleissKappa(data(r.sample())).kappa,
        ),
        alpha: estimate(
          (s) => krippendorffAlpha(data(s), level).alpha,
          () => (r) => krippendorffAlpha(data(r.sample()), level).alpha,
        ),
      };
    });

  const polarityOrder = codebook.stanceScale.map((p) => p.id);
  const stanceUnits = tupleData(articles, "polarityTuples").units.reduce(
    (n, u) => n + (u.weight ?? 1),
    0,
  );
  const perArticle: ArticleAgreement[] = articles.map((article) => {
    let disagreements = 0;
    disagreements += article.differing;
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

  const polarityAlpha = (data: ReliabilityData) =>
    krippendorffAlpha(onScale(data, polarityOrder), "ordinal", polarityOrder).alpha;
  const report: AgreementReport = {
    coders,
    labels: labelIds,
    articles: articles.length,
    seed,
    bootstrap: samples,
    spans: {
      f1Exact: estimate(
        (s) => f1Of(s, "exact"),
        () => estimates.f1(articles, "exact"),
      ),
      f1Overlap: estimate(
        (s) => f1Of(s, "overlap"),
        () => estimates.f1(articles, "overlap"),
      ),
      labelAlpha: estimate(
        (s) => krippendorffAlpha(tupleData(s, "labelTuples"), "nominal").alpha,
        () => {
          const tuples = estimates.tuples(articles, "labelTuples");
          return (r) => krippendorffAlpha(tuples(r), "nominal").alpha;
        },
      ),
      percent: estimate(
        (s) => percentAgreement(tupleData(s, "labelTuples")).agreement,
        () => {
          const tuples = estimates.tuples(articles, "labelTuples");
          return (r) => percentAgreement(tuples(r)).agreement;
        },
      ),
    },
    perLabel,
    stance: {
      polarity: estimate(
        (s) => polarityAlpha(tupleData(s, "polarityTuples")),
        () => {
          const tuples = estimates.tuples(articles, "polarityTuples");
          return (r) => polarityAlpha(tuples(r));
        },
      ),
      target: estimate(
        (s) => krippendorffAlpha(tupleData(s, "targetTuples"), "nominal").alpha,
        () => {
          const tuples = estimates.tuples(articles, "targetTuples");
          return (r) => krippendorffAlpha(tuples(r), "nominal").alpha;
        },
      ),
      units: stanceUnits,
    },
    codes,
    pairs,
    perArticle,
  };
  estimates.finish();
  return report;
}
