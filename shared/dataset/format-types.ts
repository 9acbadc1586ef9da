/**
 * What an exporter and an importer look like. Both are pure (bytes/text in,
 * bytes/text out, no file system), so the CLI, the app and the tests drive the
 * same code; `electron/dataset/` reads the project and writes the files.
 */
import type { LabelKind } from "../project-files";
import type {
  CodeValue,
  Dataset,
  DatasetMeta,
  DatasetPart,
  DatasetSpan,
  ExportFile,
} from "./dataset";
import type { LossReport } from "./loss-report";
import type { TagScheme } from "./token-tags";

/** Options every exporter may read; each ignores what does not apply to it. */
export interface ExportOptions {
  /** Tagging scheme of CoNLL (iob1, iob2 or bioes); Hugging Face uses it for `ner_tags` too. */
  scheme: TagScheme;
  /** Kinds that become token tags in CoNLL, Hugging Face and spaCy `ents`. */
  tagKinds: LabelKind[];
  /** Start CSV files with a UTF-8 byte-order mark so that Excel reads them as UTF-8. */
  excelBom: boolean;
  /** Tool name and version written into file headers where a format has a place for it. */
  generator: string;
  /** Fixed time stamp for formats that record one (keeps exports byte-identical). */
  exportedAt: string;
}

/** An export format: turns the dataset's parts into files and reports what it could not carry. */
export interface Exporter {
  format: string;
  /** One line for the CLI help and the export dialog. */
  description: string;
  /** True when export → import → export gives the same files. */
  lossless: boolean;
  exportParts(
    dataset: Dataset,
    parts: DatasetPart[],
    options: ExportOptions,
    report: LossReport,
  ): ExportFile[] | Promise<ExportFile[]>;
}

/** A span read from a foreign file; id, kind and text are filled in when the file lacks them. */
export type ImportedSpan = Omit<DatasetSpan, "id" | "kind" | "text"> & {
  id?: string;
  kind?: LabelKind;
  text?: string;
};

/** One annotated text read from a foreign file. */
export interface ImportedDocument {
  /** Where it came from, for messages: `file.jsonl:12`, `doc1.ann`. */
  origin: string;
  text: string;
  id?: string;
  meta?: Partial<DatasetMeta>;
  annotator?: string;
  spans: ImportedSpan[];
  codes?: Record<string, CodeValue>;
}

/** A file handed to an importer. */
export interface ImportFile {
  name: string;
  data: Uint8Array;
}

/** What an importer read, and what it skipped with the reason. */
export interface ImportedData {
  documents: ImportedDocument[];
  warnings: string[];
}

/** A broken input file: names the file (and line) and the problem. */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${problem}`);
    this.name = "DatasetFileError";
  }
}

/** An import format: reads a set of files (brat pairs, a .qdpx archive, one JSONL …). */
export interface Importer {
  format: string;
  /** True when `file` is unambiguously in this format (by name and first bytes). */
  detect(file: ImportFile): boolean;
  read(files: ImportFile[]): ImportedData;
}
