/**
 * Reads a project folder into the dataset model the exporters take: one
 * document per article and coder (or per article for one coder or the gold
 * layer), with the article's metadata and every coder's codes. Whatever cannot
 * be read (a broken annotation file, orphaned annotations) is reported, never
 * skipped silently.
 */
import type { Dataset, DatasetDocument, DatasetSpan } from "../../shared/dataset/dataset";
import { compareSpans } from "../../shared/dataset/dataset";
import type { LossReport } from "../../shared/dataset/loss-report";
import { GOLD_CODER, type StoredAnnotation } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { readArticle, readProjectBasics } from "../project/project-folder";

const UNREADABLE = "unreadable-file";
const READ_AHEAD = 16;
const UNREADABLE_TEXT = "files that could not be read (fix them; see tagwerk validate)";

/** Which annotations to export. */
export interface DatasetScope {
  /** One coder's annotations; `gold` for the gold layer; all coders when absent. */
  annotator?: string;
  /** Only these articles (ids); all when absent. */
  articles?: string[];
  /** Leave out articles the coder has not marked done. */
  doneOnly?: boolean;
}

function toSpan(annotation: StoredAnnotation): DatasetSpan {
  const span: DatasetSpan = {
    id: annotation.id,
    start: annotation.start,
    end: annotation.end,
    label: annotation.label,
    kind: annotation.kind,
    text: annotation.quote,
  };
  if (annotation.entity !== undefined) span.entity = annotation.entity;
  if (annotation.value !== undefined) span.value = annotation.value;
  if (annotation.target !== undefined) span.target = annotation.target;
  if (annotation.polarity !== undefined) span.polarity = annotation.polarity;
  if (annotation.holder !== undefined) span.holder = annotation.holder;
  if (annotation.note !== undefined) span.note = annotation.note;
  return span;
}

/** Reads the project at `root` in `scope`; problems go to `report` as losses. */
export async function readDataset(
  root: string,
  scope: DatasetScope,
  report: LossReport,
  onProgress?: (done: number, total: number) => void,
): Promise<Dataset> {
  const project = await readProjectBasics(root);
  if (!project.codebook) {
    const problem = project.problems.find((p) => p.file === "codebook.json");
    throw new WorkbenchError(
      "broken-file",
      problem?.message ?? "codebook.json: cannot be read, so labels are unknown",
      "codebook.json",
    );
  }
  for (const problem of project.problems) report.add(UNREADABLE, UNREADABLE_TEXT, problem.message);
  let articles = [...project.articleIds];
  if (scope.articles) {
    const known = new Set(articles);
    const missing = scope.articles.filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw new WorkbenchError(
        "not-found",
        `no such article in the project: ${missing.join(", ")}`,
      );
    }
    const wanted = new Set(scope.articles);
    articles = articles.filter((id) => wanted.has(id));
  }
  const documents: DatasetDocument[] = [];
  let coderSeen = false;
  // Articles are read a few at a time (small files: the latency of each read dominates), used in order.
  const reads = new Map<number, Promise<Awaited<ReturnType<typeof readArticle>>>>();
  const start = (i: number) => {
    const id = articles[i];
    if (id !== undefined && !reads.has(i)) {
      const read = readArticle(root, id);
      read.catch(() => undefined);
      reads.set(i, read);
    }
  };
  for (const [index, articleId] of articles.entries()) {
    for (let ahead = index; ahead < index + READ_AHEAD; ahead++) start(ahead);
    let view: Awaited<ReturnType<typeof readArticle>>;
    try {
      view = await (reads.get(index) as Promise<Awaited<ReturnType<typeof readArticle>>>);
      reads.delete(index);
    } catch (error) {
      reads.delete(index);
      report.add(
        UNREADABLE,
        UNREADABLE_TEXT,
        error instanceof Error ? error.message : String(error),
      );
      continue;
    }
    for (const problem of view.problems) {
      // Texts changed outside Tagwerk are re-anchored on read: not a loss (orphans are, below).
      if (!problem.message.includes(": the article text changed;"))
        report.add(UNREADABLE, UNREADABLE_TEXT, problem.message);
    }
    const coders = view.coders
      .filter((c) =>
        scope.annotator === undefined ? c.coder !== GOLD_CODER : c.coder === scope.annotator,
      )
      .sort((a, b) => (a.coder < b.coder ? -1 : a.coder > b.coder ? 1 : 0));
    for (const coding of coders) {
      coderSeen = true;
      if (scope.doneOnly && coding.status !== "done") continue;
      for (const orphan of coding.orphans) {
        report.add(
          "orphaned",
          "orphaned annotations (their text changed; review them in the app) not exported",
          `${articleId} (${coding.coder}) ${orphan.label} "${orphan.quote}"`,
        );
      }
      documents.push({
        id: articleId,
        text: view.text,
        meta: {
          title: view.meta.title,
          source: view.meta.source,
          url: view.meta.url,
          date: view.meta.date ?? "",
          language: view.meta.language,
        },
        annotator: coding.coder,
        spans: coding.annotations.map(toSpan).sort(compareSpans),
        codes: { ...coding.codes },
      });
    }
    onProgress?.(index + 1, articles.length);
  }
  if (scope.annotator !== undefined && !coderSeen && articles.length > 0) {
    throw new WorkbenchError(
      "not-found",
      scope.annotator === GOLD_CODER
        ? "this project has no gold layer yet (adjudicate the coders' annotations first)"
        : `coder "${scope.annotator}" has no annotations in ${scope.articles ? "these articles" : "this project"}`,
    );
  }
  return {
    projectName: project.projectFile.name,
    codebook: project.codebook,
    entities: project.entities,
    documents,
  };
}
