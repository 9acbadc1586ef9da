/**
 * `tagwerk export` and the dataset side of `tagwerk import`: the CLI drives the
 * same exporters, importers and drivers as the app.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  exportFormatIds,
  importFormatIds,
  isExportFormat,
  isImportFormat,
} from "../../shared/dataset/format-list";
import type { ImportFile } from "../../shared/dataset/format-types";
import { detectImportFormat, exporters, importers } from "../../shared/dataset/formats";
import { formatLossReport } from "../../shared/dataset/loss-report";
import { parseSplitRatios } from "../../shared/dataset/splits";
import { tagSchemes } from "../../shared/dataset/token-tags";
import { GOLD_CODER, type LabelKind, labelKinds } from "../../shared/project-files";
import { exportDataset } from "../dataset/export-dataset";
import { importDataset } from "../dataset/import-dataset";
import { readProject } from "../project/project-folder";

/** A wrong command line; the CLI prints it with exit code 2. */
export class UsageError extends Error {}

/** Help text of the dataset commands, part of `tagwerk --help`. */
export const DATASET_USAGE = `  tagwerk export PROJECT --format F --out DIR [--annotator NAME | --gold]
                [--articles ID,...] [--done-only] [--split 80/10/10 --seed N [--stratify VAR]]
                [--scheme iob1|iob2|bioes] [--kinds entity,date,stance] [--excel]
      Export a labelled dataset. F: ${exportFormatIds.join(", ")}.
      Writes export-report.txt beside the files: what the format could not hold.
      --annotator  one coder's annotations (default: every coder, one document each)
      --gold       the adjudicated gold layer
      --split      train/validation/test percentages, by article; --seed (default 1)
                   makes it repeatable; --stratify keeps a document code's mix
      --scheme     CoNLL / Hugging Face tagging scheme (default iob2)
      --kinds      span kinds that become token tags (default entity,date)
      --excel      CSV with a byte-order mark so Excel reads UTF-8
  tagwerk import PROJECT FILE... --format ${importFormatIds.join("|")} [--annotator NAME]
      Bring annotations from other tools in (also detected from the files).
      Texts the project has get the annotations for that coder; other texts
      become articles; unknown labels are added to the codebook. Importing the
      same file twice changes nothing.`;

/** A comma-separated flag value as a list (`undefined` when the flag is absent). */
export function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
}

function progressLine(label: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (process.stderr.isTTY && (now - last > 200 || done === total)) {
      last = now;
      process.stderr.write(`\r${label} ${done}/${total}${done === total ? "\n" : ""}`);
    }
  };
}

/** `tagwerk export`. */
export async function exportCommand(args: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: "string" },
      out: { type: "string" },
      annotator: { type: "string" },
      gold: { type: "boolean" },
      articles: { type: "string" },
      "done-only": { type: "boolean" },
      split: { type: "string" },
      seed: { type: "string" },
      stratify: { type: "string" },
      scheme: { type: "string" },
      kinds: { type: "string" },
      excel: { type: "boolean" },
    },
    allowPositionals: true,
  });
  const [project] = positionals;
  if (project === undefined || positionals.length > 1)
    throw new UsageError(
      "export takes one project folder: tagwerk export PROJECT --format F --out DIR",
    );
  const format = values.format;
  if (format === undefined || !isExportFormat(format))
    throw new UsageError(`--format must be one of ${exportFormatIds.join(", ")}`);
  if (values.out === undefined)
    throw new UsageError("--out DIR is required (the folder to write to)");
  if (values.gold && values.annotator !== undefined)
    throw new UsageError("--annotator and --gold exclude each other");
  const scheme = values.scheme ?? "iob2";
  if (!(tagSchemes as readonly string[]).includes(scheme))
    throw new UsageError(`--scheme must be one of ${tagSchemes.join(", ")}`);
  const kinds = list(values.kinds);
  for (const kind of kinds ?? [])
    if (!(labelKinds as readonly string[]).includes(kind))
      throw new UsageError(`--kinds takes ${labelKinds.join(", ")}, not "${kind}"`);
  if (values.seed !== undefined && values.split === undefined)
    throw new UsageError("--seed needs --split");
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
  let ratios: [number, number, number] | undefined;
  if (values.split !== undefined) {
    try {
      ratios = parseSplitRatios(values.split);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const annotator = values.gold ? GOLD_CODER : values.annotator;
  const articles = list(values.articles);
  const root = (await readProject(project)).path;
  const started = performance.now();
  const reading = progressLine("reading articles");
  const writing = progressLine("writing files");
  const summary = await exportDataset(
    root,
    exporters[format],
    {
      out: values.out,
      scope: {
        ...(annotator === undefined ? {} : { annotator }),
        ...(articles === undefined ? {} : { articles }),
        ...(values["done-only"] ? { doneOnly: true } : {}),
      },
      ...(ratios
        ? { split: { ratios, seed, ...(values.stratify ? { stratifyBy: values.stratify } : {}) } }
        : {}),
      options: {
        scheme: scheme as (typeof tagSchemes)[number],
        ...(kinds ? { tagKinds: kinds as LabelKind[] } : {}),
        ...(values.excel ? { excelBom: true } : {}),
      },
    },
    `Tagwerk ${version}`,
    (phase, done, total) => (phase === "reading" ? reading : writing)(done, total),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(formatLossReport(summary.report));
  for (const part of summary.parts)
    if (part.name !== "") console.log(`${part.name}: ${part.documents} document(s)`);
  console.error(
    `wrote ${summary.files.length} files (${(summary.bytes / 1e6).toFixed(2)} MB) to ${summary.out} in ${seconds.toFixed(2)} s`,
  );
  return 0;
}

/** True when the files are annotation datasets rather than articles (used by `tagwerk import`). */
export function looksLikeDataset(files: ImportFile[]): boolean {
  return detectImportFormat(files) !== null;
}

/** `tagwerk import … --format F` (or detected): annotations from other tools. */
export async function importDatasetCommand(
  project: string,
  names: string[],
  format: string | undefined,
  annotator: string | undefined,
): Promise<number> {
  if (format !== undefined && !isImportFormat(format))
    throw new UsageError(`--format must be one of ${importFormatIds.join(", ")}`);
  const files: ImportFile[] = [];
  for (const name of names) {
    try {
      files.push({ name: path.basename(name), data: new Uint8Array(await readFile(name)) });
    } catch (error) {
      console.error(
        `tagwerk: ${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
      return 1;
    }
  }
  const chosen = format ?? detectImportFormat(files);
  if (chosen === null)
    throw new UsageError(`cannot tell the format of ${names.join(", ")}; give --format`);
  const root = (await readProject(project)).path;
  const summary = await importDataset(root, importers[chosen], files, {
    ...(annotator === undefined ? {} : { annotator }),
    defaultAnnotator: process.env.TAGWERK_CODER || "imported",
    onProgress: progressLine("importing"),
  });
  for (const a of summary.articles) {
    console.log(
      `${a.created ? "new article" : "article"} ${a.articleId} (${a.annotator}): ${a.added} added, ${a.unchanged} already there${a.notPlaced ? `, ${a.notPlaced} not placed` : ""}`,
    );
  }
  if (summary.labelsAdded.length > 0)
    console.log(`labels added to the codebook: ${summary.labelsAdded.join(", ")}`);
  for (const warning of summary.warnings) console.error(`tagwerk: warning: ${warning}`);
  const added = summary.articles.reduce((n, a) => n + a.added, 0);
  console.error(
    `${summary.format}: ${summary.articles.length} document(s), ${added} annotation(s) added`,
  );
  return 0;
}
