/**
 * Reading and converting a project's articles for a piece exporter (see
 * `PieceExporter` in shared/dataset/format-types.ts), in batches of
 * neighbouring articles, in worker threads when the export is big enough and
 * workers can be started, else in this thread. Every batch gives the same
 * result either way; batches come back in article order.
 */
import { availableParallelism } from "node:os";
import type { CodeValue } from "../../shared/dataset/dataset";
import type { ExportFormatId } from "../../shared/dataset/format-list";
import type {
  Converted,
  ExportContext,
  ExportOptions,
  PieceExporter,
  PieceTools,
} from "../../shared/dataset/format-types";
import { exportTasks } from "../../shared/dataset/formats";
import { type LossEntries, LossReport } from "../../shared/dataset/loss-report";
import { type DatasetScope, readArticleDocuments } from "./read-dataset";
import { WorkerPool, WorkersUnavailable } from "./worker-pool";

/** What the articles are read and converted with (sent to each worker). */
export interface PipelineJob {
  /** The project folder (absolute). */
  root: string;
  scope: DatasetScope;
  format: ExportFormatId;
  context: ExportContext;
  options: ExportOptions;
  /** True when every article goes to the same part (no split): a batch may share state. */
  onePart: boolean;
}

/** One article read and converted. */
export interface ConvertedArticle {
  id: string;
  /** UTF-8 bytes of its text (0 when it has no documents in scope). */
  textBytes: number;
  /** Its documents in scope, in order: what splits and totals need of them. */
  documents: Array<{ annotator: string; codes: Record<string, CodeValue>; spans: number }>;
  converted: Converted<unknown>[];
}

/** A batch of neighbouring articles read and converted. */
export interface ConvertedBatch {
  /** What reading them reported (unreadable files, orphans), in article order. */
  read: LossEntries;
  /** True when a coder in scope has a file in one of them. */
  coderSeen: boolean;
  articles: ConvertedArticle[];
}

/** Reads and converts the articles `ids` (what a worker does with one batch). */
export async function convertBatch(
  job: PipelineJob,
  exporter: PieceExporter,
  ids: readonly string[],
  tools: PieceTools,
): Promise<ConvertedBatch> {
  const report = new LossReport(job.format);
  let coderSeen = false;
  const articles: ConvertedArticle[] = [];
  const batchTools = job.onePart ? { ...tools, partState: new Map<string, unknown>() } : tools;
  for (const id of ids) {
    const read = await readArticleDocuments(job.root, id, job.scope, report);
    coderSeen ||= read.coderSeen;
    const documents = exporter.order ? exporter.order(read.documents) : read.documents;
    const first = documents[0];
    articles.push({
      id,
      textBytes: first ? Buffer.byteLength(first.text) : 0,
      documents: documents.map((doc) => ({
        annotator: doc.annotator,
        codes: doc.codes,
        spans: doc.spans.length,
      })),
      converted: first ? exporter.convert(documents, job.context, job.options, batchTools) : [],
    });
  }
  return { read: report.entries(), coderSeen, articles };
}

/** Below this many articles an export runs in this thread (starting workers costs more). */
const MIN_ARTICLES_FOR_WORKERS = 24;

/**
 * Workers for an export of `articles` articles: one per core (at most 4), none
 * for small exports; `TAGWERK_EXPORT_WORKERS` overrides (0: convert in this thread).
 */
function defaultWorkers(articles: number): number {
  const forced = Number.parseInt(process.env.TAGWERK_EXPORT_WORKERS ?? "", 10);
  if (Number.isInteger(forced) && forced >= 0) return forced;
  return articles >= MIN_ARTICLES_FOR_WORKERS ? Math.min(4, availableParallelism()) : 0;
}

/** Batches of neighbouring article ids: a few per worker and round, at most 64 articles each. */
function batchesOf(ids: readonly string[], workers: number): string[][] {
  const size = Math.max(1, Math.min(64, Math.ceil(ids.length / (workers * 8))));
  const batches: string[][] = [];
  for (let at = 0; at < ids.length; at += size) batches.push(ids.slice(at, at + size));
  return batches;
}

/**
 * The buffers of the typed arrays in `value` (plain data) that own their whole
 * buffer, to move them to another thread instead of copying.
 */
export function transferables(
  value: unknown,
  out: Set<ArrayBuffer> = new Set(),
  depth = 0,
): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    const { buffer } = value;
    if (buffer instanceof ArrayBuffer && value.byteLength === buffer.byteLength) out.add(buffer);
  } else if (depth < 6 && typeof value === "object" && value !== null) {
    for (const item of Array.isArray(value) ? value : Object.values(value))
      transferables(item, out, depth + 1);
  }
  return out;
}

/** The export workers, kept between exports for a little while. */
const pool = new WorkerPool("export-worker");

/** Batches of articles converted in worker threads so far (for tests and diagnostics). */
let workerBatches = 0;

/** How many batches of articles worker threads have converted in this process. */
export function workerBatchCount(): number {
  return workerBatches;
}

/**
 * Runs `tasks` of `kind` (see `exportTasks` in shared/dataset/formats) in the
 * export workers, or here when there are none; the results in task order.
 */
export function runTasks(kind: string, tasks: unknown[]): Promise<unknown[]> {
  // One run at a time: concurrent runs would each start workers of their own.
  const run = taskQueue.then(() => runTasksNow(kind, tasks));
  taskQueue = run.catch(() => undefined);
  return run;
}

let taskQueue: Promise<unknown> = Promise.resolve();

async function runTasksNow(kind: string, tasks: unknown[]): Promise<unknown[]> {
  const run = exportTasks[kind];
  if (!run) throw new Error(`no export task of kind ${kind}`);
  const workers = tasks.length > 1 ? defaultWorkers(MIN_ARTICLES_FOR_WORKERS) : 0;
  if (workers > 0) {
    try {
      const messages = tasks.map((task) => ({ kind, task }));
      const moved = (message: unknown) => [...transferables(message)];
      return await pool.run(
        null,
        messages,
        Math.min(workers, tasks.length),
        () => undefined,
        moved,
      );
    } catch (error) {
      if (!(error instanceof WorkersUnavailable)) throw error;
    }
  }
  return tasks.map((task) => run(task as never));
}

/**
 * Reads and converts the articles `ids` for `exporter`; the batches in
 * article order. `onProgress` counts converted articles.
 */
export async function convertArticles(
  job: PipelineJob,
  exporter: PieceExporter,
  ids: readonly string[],
  tools: PieceTools,
  onProgress?: (done: number, total: number) => void,
  workers = defaultWorkers(ids.length),
): Promise<ConvertedBatch[]> {
  let done = 0;
  const count = (batch: ConvertedBatch) => {
    done += batch.articles.length;
    onProgress?.(done, ids.length);
  };
  const batches = batchesOf(ids, Math.max(1, workers));
  if (workers > 0) {
    try {
      const tasks = batches.map((batch) => ({ ids: batch }));
      const results = await pool.run(job, tasks, Math.min(workers, batches.length), count);
      workerBatches += results.length;
      return results;
    } catch (error) {
      if (!(error instanceof WorkersUnavailable)) throw error;
      done = 0;
    }
  }
  const results: ConvertedBatch[] = [];
  for (const ids of batches) {
    const batch = await convertBatch(job, exporter, ids, tools);
    results.push(batch);
    count(batch);
    // Let the app's main process serve its window between batches.
    await new Promise((resume) => setImmediate(resume));
  }
  return results;
}
