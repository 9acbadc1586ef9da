/**
 * A small pool of worker threads for running many independent tasks of one
 * job (an export's batches of articles), results in task order. Workers stay
 * a little while after a job, so that the next export does not pay for
 * starting them again; idle workers never keep the process alive. When
 * workers cannot be started here, `run` rejects with `WorkersUnavailable`
 * (before any task was handed out) and the caller does the work itself.
 */
import { Worker } from "node:worker_threads";
import { WorkbenchError } from "../../shared/result";
import { workerScript } from "./worker-script";

/** Workers cannot be started here (no script, no loader): do the work in this thread. */
export class WorkersUnavailable extends Error {}

/** Messages between the pool and its workers. */
type ToWorker = { job: unknown } | { index: number; task: unknown };
type FromWorker =
  | { ready: true }
  | { index: number; result: unknown }
  | { index: number; error: { message: string; code?: string; file?: string } };

/** Young generation of a worker, MB. */
const YOUNG_GENERATION = { maxYoungGenerationSizeMb: 64 };

/** How long idle workers wait for the next job. */
const IDLE_MS = 20_000;

interface Pooled {
  worker: Worker;
  ready: Promise<void>;
  failed: boolean;
}

/** Workers of one script, kept between jobs. */
export class WorkerPool {
  private readonly idle: Pooled[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly script: string) {}

  private start(): Pooled {
    const script = workerScript(this.script);
    if (!script) throw new WorkersUnavailable(`no script for ${this.script}`);
    let worker: Worker;
    try {
      // A larger young generation: conversion makes many short-lived objects (fewer scavenges).
      worker = new Worker(script.source, { ...script.options, resourceLimits: YOUNG_GENERATION });
    } catch (error) {
      throw new WorkersUnavailable(String(error));
    }
    const pooled: Pooled = { worker, failed: false, ready: Promise.resolve() };
    pooled.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if ("ready" in message) {
          worker.off("message", onMessage);
          worker.off("error", onError);
          resolve();
        }
      };
      const onError = (error: Error) => {
        pooled.failed = true;
        reject(new WorkersUnavailable(error.message));
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
    });
    pooled.ready.catch(() => undefined);
    return pooled;
  }

  /** Stops every idle worker now. */
  close(): void {
    clearTimeout(this.timer);
    for (const pooled of this.idle.splice(0)) void pooled.worker.terminate();
  }

  /**
   * Runs `tasks` of `job` on up to `count` workers; the results in task order.
   * `onResult` sees each result as it arrives; `transfer` names buffers of a
   * task to move to the worker rather than copy. An error a task throws in a
   * worker rejects (as a WorkbenchError when it had a code).
   */
  async run<R>(
    job: unknown,
    tasks: unknown[],
    count: number,
    onResult: (result: R) => void,
    transfer: (task: unknown) => ArrayBuffer[] = () => [],
  ): Promise<R[]> {
    clearTimeout(this.timer);
    const workers: Pooled[] = [];
    try {
      while (workers.length < count) workers.push(this.idle.pop() ?? this.start());
      for (const pooled of workers) pooled.worker.ref();
      await Promise.all(workers.map((pooled) => pooled.ready));
    } catch (error) {
      for (const pooled of workers) void pooled.worker.terminate();
      throw error instanceof WorkersUnavailable ? error : new WorkersUnavailable(String(error));
    }
    const results: R[] = new Array(tasks.length);
    let next = 0;
    let done = 0;
    const cleanups: Array<() => void> = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const dispatch = (worker: Worker) => {
          if (next < tasks.length) {
            const index = next++;
            const task = tasks[index];
            worker.postMessage({ index, task } satisfies ToWorker, transfer(task));
          }
        };
        if (tasks.length === 0) resolve();
        for (const pooled of workers) {
          const { worker } = pooled;
          const onMessage = (message: FromWorker) => {
            if ("result" in message) {
              results[message.index] = message.result as R;
              onResult(message.result as R);
              if (++done === tasks.length) resolve();
              else dispatch(worker);
            } else if ("error" in message) {
              const { message: text, code, file } = message.error;
              reject(code ? new WorkbenchError(code as never, text, file) : new Error(text));
            }
          };
          // A worker that stops half-way fails the job (tasks may have moved their buffers to it).
          const onError = (error: Error) => {
            pooled.failed = true;
            reject(new Error(`an export worker failed: ${error.message}`));
          };
          const onExit = (code: number) => {
            pooled.failed = true;
            reject(new Error(`an export worker stopped (exit code ${code})`));
          };
          worker.on("message", onMessage);
          worker.on("error", onError);
          worker.on("exit", onExit);
          cleanups.push(() => {
            worker.off("message", onMessage);
            worker.off("error", onError);
            worker.off("exit", onExit);
          });
          worker.postMessage({ job } satisfies ToWorker);
          dispatch(worker);
        }
      });
    } finally {
      for (const cleanup of cleanups) cleanup();
      this.release(workers, done === tasks.length);
    }
    return results;
  }

  /** Keeps healthy workers of a finished job for a while; stops the others. */
  private release(workers: Pooled[], finished: boolean): void {
    for (const pooled of workers) {
      if (pooled.failed || !finished) void pooled.worker.terminate();
      else {
        pooled.worker.unref();
        this.idle.push(pooled);
      }
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(), IDLE_MS);
    this.timer.unref();
  }
}

/** The worker side: takes a job, then answers each task with `handle(job, task)`. */
export function serveTasks<J>(
  port: {
    postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
    on(event: "message", listener: (message: ToWorker) => void): unknown;
  },
  handle: (job: J, task: unknown) => Promise<{ result: unknown; transfer?: ArrayBuffer[] }>,
): void {
  let job: J | undefined;
  port.on("message", (message) => {
    if ("job" in message) {
      job = message.job as J;
      return;
    }
    const { index, task } = message;
    handle(job as J, task).then(
      ({ result, transfer }) =>
        port.postMessage({ index, result } satisfies FromWorker, transfer ?? []),
      (error: unknown) => {
        const e = error as { message?: string; code?: string; file?: string } | undefined;
        const failure = { message: String(e?.message ?? error), code: e?.code, file: e?.file };
        port.postMessage({ index, error: failure } satisfies FromWorker);
      },
    );
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}
