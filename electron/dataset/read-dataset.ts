/**
 * Reads a project folder into the dataset model the exporters take: one
 * document per article and coder (or per article for one coder or the gold
 * layer), with the article's metadata and every coder's codes. Whatever cannot
 * be read (a broken annotation file, orphaned annotations) is reported, never
 * skipped silently.
 */
import type { ArticleView } from "../../shared/api";
import type {
  Dataset,
  DatasetDocument,
  DatasetMeta,
  DatasetSpan,
} from "../../shared/dataset/dataset";
import { compareSpans } from "../../shared/dataset/dataset";
import type { ExportContext } from "../../shared/dataset/format-types";
import type { LossReport } from "../../shared/dataset/loss-report";
import { type AnnotationFile, GOLD_CODER, type StoredAnnotation } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { readArticle, readProjectBasics } from "../project/project-folder";
import { type QuickArticle, readArticleQuick } from "./quick-article";

const UNREADABLE = "unreadable-file";
/** Articles read between two turns of the event loop. */
const YIELD_EVERY = 64;
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

/** An article as the export uses it, read the quick way or the full way. */
interface ArticleRead {
  text: string;
  meta: Pick<QuickArticle["meta"], "title" | "source" | "url" | "date" | "language">;
  coders: Array<Pick<AnnotationFile, "coder" | "status" | "codes" | "annotations" | "orphans">>;
}

/**
 * Reads an article with the project reader, which names every problem:
 * unreadable files are reported; `undefined` when the article cannot be read at all.
 */
async function readFully(
  root: string,
  articleId: string,
  report: LossReport,
): Promise<ArticleRead | undefined> {
  let view: ArticleView;
  try {
    view = await readArticle(root, articleId);
  } catch (error) {
    report.add(UNREADABLE, UNREADABLE_TEXT, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  for (const problem of view.problems) {
    // Texts changed outside Tagwerk are re-anchored on read: not a loss (orphans are, below).
    if (!problem.message.includes(": the article text changed;"))
      report.add(UNREADABLE, UNREADABLE_TEXT, problem.message);
  }
  return view;
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

/** A project opened for export: what the exporters need besides the documents, and the articles in scope. */
export interface OpenedDataset {
  /** The project folder (absolute). */
  root: string;
  context: ExportContext;
  /** Ids of the articles in scope, sorted. */
  articles: string[];
}

/**
 * Opens the project at `root` for reading `scope`: project file, codebook,
 * registry and the articles in scope. Problems with the project's own files
 * go to `report`; an unreadable codebook or an unknown article is an error.
 */
export async function openDataset(
  root: string,
  scope: DatasetScope,
  report: LossReport,
): Promise<OpenedDataset> {
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
  const context = {
    projectName: project.projectFile.name,
    codebook: project.codebook,
    entities: project.entities,
  };
  return { root: project.root, context, articles };
}

/** One article's documents in `scope` (one per coder, coders sorted), and whether a coder in scope has a file. */
export interface ArticleDocuments {
  documents: DatasetDocument[];
  coderSeen: boolean;
}

/**
 * Reads the documents of one article in `scope` from the project at `root`
 * (absolute): the quick way when the files are in order, else the full way,
 * which reports every problem. Unreadable files and orphans go to `report`.
 */
export async function readArticleDocuments(
  root: string,
  articleId: string,
  scope: DatasetScope,
  report: LossReport,
): Promise<ArticleDocuments> {
  const view = readArticleQuick(root, articleId) ?? (await readFully(root, articleId, report));
  const documents: DatasetDocument[] = [];
  if (!view) return { documents, coderSeen: false };
  const coders = view.coders
    .filter((c) =>
      scope.annotator === undefined ? c.coder !== GOLD_CODER : c.coder === scope.annotator,
    )
    .sort((a, b) => (a.coder < b.coder ? -1 : a.coder > b.coder ? 1 : 0));
  const meta: DatasetMeta = {
    title: view.meta.title,
    source: view.meta.source,
    url: view.meta.url,
    date: view.meta.date ?? "",
    language: view.meta.language,
  };
  for (const coding of coders) {
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
      meta: { ...meta },
      annotator: coding.coder,
      spans: coding.annotations.map(toSpan).sort(compareSpans),
      codes: { ...coding.codes },
    });
  }
  return { documents, coderSeen: coders.length > 0 };
}

/** Refuses an export of one coder (or the gold layer) that found none of their files. */
export function checkCoderSeen(scope: DatasetScope, coderSeen: boolean, articles: number): void {
  if (scope.annotator !== undefined && !coderSeen && articles > 0) {
    throw new WorkbenchError(
      "not-found",
      scope.annotator === GOLD_CODER
        ? "this project has no gold layer yet (adjudicate the coders' annotations first)"
        : `coder "${scope.annotator}" has no annotations in ${scope.articles ? "these articles" : "this project"}`,
    );
  }
}

/** Reads the project at `root` in `scope`; problems go to `report` as losses. */
export async function readDataset(
  root: string,
  scope: DatasetScope,
  report: LossReport,
  onProgress?: (done: number, total: number) => void,
): Promise<Dataset> {
  const opened = await openDataset(root, scope, report);
  const documents: DatasetDocument[] = [];
  let coderSeen = false;
  for (const [index, articleId] of opened.articles.entries()) {
    // Yield now and then: the app's main process reads while it serves the window.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((done) => setImmediate(done));
    const read = await readArticleDocuments(opened.root, articleId, scope, report);
    documents.push(...read.documents);
    coderSeen ||= read.coderSeen;
    onProgress?.(index + 1, opened.articles.length);
  }
  checkCoderSeen(scope, coderSeen, opened.articles.length);
  return { ...opened.context, documents };
}
