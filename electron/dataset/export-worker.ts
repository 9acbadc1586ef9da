/**
 * An export worker thread: reads and converts the batches of articles the
 * export pipeline sends it (see export-pipeline.ts) for the job it was given
 * last, and runs the exporters' parallel tasks (`exportTasks`); output text is
 * encoded here, off the main thread.
 */
import { parentPort } from "node:worker_threads";
import type { PieceTools } from "../../shared/dataset/format-types";
import { exporters, exportTasks, isPieceExporter } from "../../shared/dataset/formats";
import { convertBatch, type PipelineJob, transferables } from "./export-pipeline";
import { serveTasks } from "./worker-pool";

const encoder = new TextEncoder();
// Long text is encoded here; short text (a line's head) travels as it is and is encoded when written.
const tools: PieceTools = {
  chunk: (text) => (text.length < 512 ? text : encoder.encode(text)),
  utf8: true,
};

/** A batch of articles to convert, or a task of an exporter. */
type Task = { ids: string[] } | { kind: string; task: unknown };

if (!parentPort) throw new Error("export-worker runs as a worker thread");
serveTasks<PipelineJob>(parentPort, async (job, message) => {
  const task = message as Task;
  let result: unknown;
  if ("kind" in task) {
    const run = exportTasks[task.kind];
    if (!run) throw new Error(`no export task of kind ${task.kind}`);
    result = run(task.task as never);
  } else {
    const exporter = exporters[job.format];
    if (!isPieceExporter(exporter))
      throw new Error(`${job.format} is not converted article by article`);
    result = await convertBatch(job, exporter, task.ids, tools);
  }
  return { result, transfer: [...transferables(result)] };
});
