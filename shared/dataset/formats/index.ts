/**
 * Every dataset format by name: the exporters and importers, and telling an
 * import's format from its files.
 */
import type { ExportFormatId, ImportFormatId } from "../format-list";
import type { Exporter, Importer, ImportFile, PieceExporter } from "../format-types";
import { bratExporter, bratImporter } from "./brat";
import { conllExporter, conllImporter } from "./conll";
import { csvExporter } from "./csv-tables";
import { doccanoExporter, doccanoImporter } from "./doccano";
import { hfExporter } from "./hf";
import { jsonlExporter, jsonlImporter } from "./jsonl";
import { labelStudioExporter, labelStudioImporter } from "./labelstudio";
import { type ChunkTask, encodeChunk } from "./parquet";
import { refiQdaExporter, refiQdaImporter } from "./refi-qda";
import { spacyExporter } from "./spacy";
import { deflateEntry } from "./zip";

/** The exporter of each export format. */
export const exporters: Record<ExportFormatId, Exporter> = {
  jsonl: jsonlExporter,
  conll: conllExporter,
  spacy: spacyExporter,
  hf: hfExporter,
  brat: bratExporter,
  labelstudio: labelStudioExporter,
  doccano: doccanoExporter,
  csv: csvExporter,
  "refi-qda": refiQdaExporter,
};

/** Tasks exporters may hand to `PieceTools.parallel`, by kind (run in worker threads). */
export const exportTasks: Record<string, (task: never) => unknown> = {
  "parquet-chunk": (task: ChunkTask) => encodeChunk(task),
  "zip-entries": (task: { files: Array<{ name: string; data: Uint8Array }>; mtime: number }) =>
    task.files.map(({ name, data }) =>
      deflateEntry(name, data, { level: 1, mtime: new Date(task.mtime) }),
    ),
};

/** True when `exporter` converts article by article (it can run in parallel and stream). */
export function isPieceExporter(exporter: Exporter): exporter is PieceExporter {
  return "convert" in exporter && "assemble" in exporter;
}

/** The importer of each import format. */
export const importers: Record<ImportFormatId, Importer> = {
  jsonl: jsonlImporter,
  doccano: doccanoImporter,
  labelstudio: labelStudioImporter,
  brat: bratImporter,
  conll: conllImporter,
  "refi-qda": refiQdaImporter,
};

const SIDE_FILES = /(^|\/)(export-report\.(txt|json)|codebook\.json|entities\.json)$/;

/** Leaves out the files every Tagwerk export writes besides the data (loss report, codebook, registry). */
export function withoutSideFiles(files: ImportFile[]): ImportFile[] {
  return files.filter((file) => !SIDE_FILES.test(file.name));
}

// Most specific first: an archive, brat pairs, CoNLL columns, then the JSON shapes.
const detectionOrder: ImportFormatId[] = [
  "refi-qda",
  "brat",
  "conll",
  "labelstudio",
  "jsonl",
  "doccano",
];

/**
 * The format of an import, told from its files: the most specific format that
 * recognises one of them (brat's `.txt` halves and CoNLL's offsets files go
 * along with their partners); `null` when none does (plain articles).
 */
export function detectImportFormat(files: ImportFile[]): ImportFormatId | null {
  const data = withoutSideFiles(files);
  if (data.length === 0) return null;
  for (const format of detectionOrder) {
    const importer = importers[format];
    if (data.some((file) => importer.detect(file))) return format;
  }
  return null;
}
