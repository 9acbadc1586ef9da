/**
 * The shape of the agreement report (computed in report.ts): shared by the CLI,
 * the API and the dashboard.
 */
import type { LabelKind } from "../project-files";

/** Level of measurement of a coefficient. */
export type ReportLevel = "nominal" | "ordinal" | "interval";

/** What to compute. */
export interface AgreementOptions {
  /** Coders to compare (default: every coder except the gold layer). */
  coders?: string[];
  /** Labels to include (default: all in the codebook). */
  labels?: string[];
  /** Seed of the bootstrap (default 1). */
  seed?: number;
  /** Bootstrap resamples (default 1000; 0 = no intervals). */
  bootstrap?: number;
}

/** A coefficient with its bootstrap 95 % interval (`null` where it is undefined). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** Agreement on one label's spans. */
export interface LabelAgreement {
  label: string;
  name: string;
  kind: LabelKind;
  /** Spans with this label, all chosen coders, double-coded articles. */
  spans: number;
  alphaU: Estimate;
  f1Exact: Estimate;
  f1Overlap: Estimate;
}

/** Agreement on one document variable. */
export interface CodeAgreement {
  variable: string;
  name: string;
  type: string;
  /** Articles where at least two coders set a value. */
  units: number;
  percent: Estimate;
  cohen: Estimate | null;
  fleiss: Estimate;
  alpha: Estimate;
  level: ReportLevel;
}

/** Agreement between two coders. */
export interface PairAgreement {
  a: string;
  b: string;
  articles: number;
  f1Exact: Estimate;
  f1Overlap: Estimate;
  /** Cohen's κ on the labels of aligned span pairs (one-sided spans show in F1 and α_U instead). */
  labelKappa: Estimate;
}

/** One double-coded article: how far the coders agree and how many disagreements wait. */
export interface ArticleAgreement {
  id: string;
  title: string;
  coders: string[];
  f1Exact: number | null;
  f1Overlap: number | null;
  /** Aligned span pairs that are not identical, plus differing document codes. */
  disagreements: number;
}

/** Everything `tagwerk agreement` and the dashboard show. */
export interface AgreementReport {
  coders: string[];
  labels: string[];
  /** Articles coded by at least two of the coders. */
  articles: number;
  seed: number;
  bootstrap: number;
  spans: {
    f1Exact: Estimate;
    f1Overlap: Estimate;
    /** Krippendorff's α (nominal) on the labels of aligned spans, all coders. */
    labelAlpha: Estimate;
    percent: Estimate;
  };
  perLabel: LabelAgreement[];
  stance: { polarity: Estimate; target: Estimate; units: number };
  codes: CodeAgreement[];
  pairs: PairAgreement[];
  perArticle: ArticleAgreement[];
}
