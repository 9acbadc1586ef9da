/**
 * What the Node-side benchmark (node-metrics.ts) records for M6, M7, M9 and
 * M10: plain JSON-able results, one type per metric.
 */
import type { Percentiles, Sample } from "./measure";

/** The kinds of single edit M6 makes. */
export type EditKind = "add" | "relabel" | "delete";

/** p50, p95 and the slowest of many timings (milliseconds). */
export interface Spread extends Percentiles {
  max: number;
}

/** M6: one edit at a time through `saveCoding`, each acknowledged only once durable. */
export interface StoreResult {
  metric: "M6";
  workload: string;
  article: string;
  /** Annotations in the edited coder's file before the first edit. */
  annotations: number;
  edits: number;
  /** Every edit, the first included (it opens the coder's file in the store). */
  latency: Spread;
  /** The first edit alone. */
  firstMs: number;
  /**
   * CPU time of each edit (this process, all threads): when a slow edit took
   * little CPU, it waited for the disk (fsync), not for the code.
   */
  cpu: Spread;
  perKind: Record<EditKind, Spread>;
  /** Bytes an edit wrote to disk (median and max over all edits). */
  bytesPerEdit: { median: number; max: number };
  /** Most files one edit replaced (with /proc/self/io: files changed by all edits together). */
  filesPerEdit: number;
  /** Every file the edits created or replaced, relative to the project. */
  filesChanged: string[];
  /** Size of the edited coder's annotation file and of the article text. */
  codingFileBytes: number;
  articleTextBytes: number;
  /** Size of every file of the project. */
  projectBytes: number;
}

/** M7: a fresh Node process opens the project until the article list with coder statuses is ready. */
export interface OpenResult {
  metric: "M7";
  workload: string;
  runs: number;
  /** `openProject` until the overview (articles with per-coder status) is returned. */
  openMs: Sample;
  /** CPU time of that (user + system, all threads): less disturbed by other load than wall time. */
  openCpuMs: Sample;
  /** CPU time of the main thread alone (Linux, 10 ms steps): about the wall time when idle. */
  openMainThreadMs: Sample | null;
  /** From the process's start (node startup, loading the back end) until the list is ready. */
  readyMs: Sample;
  /** The renderer's `getProject` right after (what `tagwerk serve PROJECT` then costs again). */
  getProjectMs: Sample;
  /** Node startup and loading the bundled back end, before the open starts. */
  startupMs: Sample;
  /** Spawn until the process has exited (startup, open, getProject, exit). */
  processMs: Sample;
  articles: number;
  coderEntries: number;
  annotations: number;
  problems: number;
  /** Hash of the overview, equal before and after optimisations. */
  digest: string;
}

/** M9: the full agreement report as `tagwerk agreement PROJECT --json` computes it. */
export interface AgreementResult {
  metric: "M9";
  workload: string;
  runs: number;
  bootstrap: number;
  /** From the command's start (reading the project) to the finished report. */
  totalMs: Sample;
  /** CPU time of that (user + system, all threads). */
  cpuMs: Sample;
  /** CPU time of the main thread alone (Linux, 10 ms steps): about the wall time when idle. */
  mainThreadMs: Sample | null;
  startupMs: Sample;
  processMs: Sample;
  articles: number;
  digest: string;
}

/** M10: `searchArticles` latency over the whole project. */
export interface SearchResult {
  metric: "M10";
  workload: string;
  /** The first query after opening (builds whatever index search needs). */
  first: { query: string; ms: number };
  /** Every later query, all repeats. */
  latency: Spread;
  perQuery: Record<
    string,
    { medianMs: number; totalHits: number; articles: number; shown: number; digest: string }
  >;
}
