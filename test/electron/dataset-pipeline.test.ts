/**
 * The export pipeline gives the same files whether articles are read and
 * converted in worker threads or in this thread: every format, on a project
 * big enough for workers, with a broken file that the full reader reports.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportDataset } from "../../electron/dataset/export-dataset";
import { workerBatchCount } from "../../electron/dataset/export-pipeline";
import { workerScript } from "../../electron/dataset/worker-script";
import { exportFormatIds } from "../../shared/dataset/format-list";
import { exporters } from "../../shared/dataset/formats";
import { copyExampleProject, makeTempDir, removeTempDirs } from "../support/temp-project";

afterAll(removeTempDirs);

const COPIES = 30;

/** The example project with each article copied under new ids, one annotation file broken. */
async function bigProject(): Promise<string> {
  const { project } = await copyExampleProject();
  const articles = path.join(project, "articles");
  const ids = (await readdir(articles))
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -5));
  for (const id of ids)
    for (let copy = 0; copy < COPIES; copy++) {
      const to = `${id}-copy${copy}`;
      const meta = JSON.parse(await readFile(path.join(articles, `${id}.json`), "utf8"));
      await writeFile(path.join(articles, `${to}.json`), JSON.stringify({ ...meta, id: to }));
      await writeFile(
        path.join(articles, `${to}.txt`),
        await readFile(path.join(articles, `${id}.txt`)),
      );
      const coding = path.join(project, "coding", id);
      const names = await readdir(coding).catch(() => [] as string[]);
      const target = path.join(project, "coding", to);
      await mkdir(target, { recursive: true });
      for (const name of names) {
        const file = JSON.parse(await readFile(path.join(coding, name), "utf8"));
        await writeFile(path.join(target, name), JSON.stringify({ ...file, article: to }));
      }
    }
  await writeFile(
    path.join(project, "coding", `${ids[0]}-copy3`, "zoe.json"),
    '{"schemaVersion": 2,',
  );
  return project;
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out.set(path.relative(dir, full), await readFile(full));
    }
  return out;
}

async function exportWith(
  project: string,
  format: (typeof exportFormatIds)[number],
  workers: string,
) {
  const previous = process.env.TAGWERK_EXPORT_WORKERS;
  process.env.TAGWERK_EXPORT_WORKERS = workers;
  try {
    const out = path.join(await makeTempDir(), format);
    const summary = await exportDataset(
      project,
      exporters[format],
      {
        out,
        scope: {},
        split: { ratios: [60, 20, 20], seed: 3 },
        options: { exportedAt: "2026-01-01T00:00:00.000Z" },
      },
      "Tagwerk test",
    );
    return { summary, files: await filesOf(out) };
  } finally {
    if (previous === undefined) delete process.env.TAGWERK_EXPORT_WORKERS;
    else process.env.TAGWERK_EXPORT_WORKERS = previous;
  }
}

describe("the export pipeline", () => {
  it("finds its worker script", () => {
    expect(workerScript("export-worker")).toBeDefined();
  });

  it("writes the same files with worker threads as without", { timeout: 120_000 }, async () => {
    const project = await bigProject();
    for (const format of exportFormatIds) {
      const inThread = await exportWith(project, format, "0");
      const before = workerBatchCount();
      const inWorkers = await exportWith(project, format, "2");
      expect(workerBatchCount(), `${format} ran in workers`).toBeGreaterThan(before);
      expect(inWorkers.summary.report, format).toEqual(inThread.summary.report);
      expect([...inWorkers.files.keys()].sort(), format).toEqual([...inThread.files.keys()].sort());
      for (const [name, data] of inThread.files)
        expect(inWorkers.files.get(name)?.equals(data), `${format} ${name}`).toBe(true);
      const unreadable = inThread.summary.report.items.find((i) => i.code === "unreadable-file");
      expect(unreadable?.examples.join(" "), format).toContain("zoe.json");
    }
  });
});
