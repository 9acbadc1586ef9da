/**
 * What an export or an import did, as the CLI prints it and the app shows it.
 */
import type { LossReportData } from "./loss-report";

/** What an export wrote. */
export interface DatasetExportSummary {
  format: string;
  out: string;
  /** Files written, relative to `out`. */
  files: string[];
  bytes: number;
  /** Characters of article text exported (for throughput). */
  textBytes: number;
  report: LossReportData;
  /** Documents per part (`""` when not split). */
  parts: { name: string; documents: number }[];
}

/** What one imported document did to the project. */
export interface ImportedArticle {
  origin: string;
  articleId: string;
  title: string;
  /** True when the text was new to the project and became an article. */
  created: boolean;
  annotator: string;
  added: number;
  unchanged: number;
  /** Spans that could not be placed in the stored text (listed in warnings). */
  notPlaced: number;
}

/** What a dataset import did, document by document. */
export interface DatasetImportSummary {
  format: string;
  articles: ImportedArticle[];
  /** Labels added to the codebook because the files used them. */
  labelsAdded: string[];
  warnings: string[];
}

/** A dataset import told as an article import report (the app's import dialog shows both). */
export function describeDatasetImport(summary: DatasetImportSummary): {
  imported: { file: string; articleId: string; title: string }[];
  skipped: { file: string; reason: string }[];
  warnings: { file: string; message: string }[];
} {
  return {
    imported: summary.articles.map((a) => ({
      file: a.origin,
      articleId: a.articleId,
      title: `${a.title}: ${a.added} annotation${a.added === 1 ? "" : "s"} added for ${a.annotator}${
        a.unchanged > 0 ? `, ${a.unchanged} already there` : ""
      }${a.created ? " (new article)" : ""}`,
    })),
    skipped: [],
    warnings: [
      ...(summary.labelsAdded.length > 0
        ? [
            {
              file: summary.format,
              message: `labels added to the codebook: ${summary.labelsAdded.join(", ")}`,
            },
          ]
        : []),
      ...summary.warnings.map((message) => ({ file: summary.format, message })),
    ],
  };
}
