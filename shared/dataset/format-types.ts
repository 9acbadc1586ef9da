/**
 * What an exporter and an importer look like. Both are pure (bytes/text in,
 * bytes/text out, no file system), so the CLI, the app and the tests drive the
 * same code; `electron/dataset/` reads the project and writes the files.
 */
import type { LabelKind } from "../project-files";
import type {
  CodeValue,
  Dataset,
  DatasetDocument,
  DatasetMeta,
  DatasetPart,
  DatasetSpan,
  ExportFile,
} from "./dataset";
import type { LossEntries, LossReport } from "./loss-report";
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

/** What the exporters need of a dataset besides its documents. */
export type ExportContext = Omit<Dataset, "documents">;

/** A piece of a file's contents: text, or text already encoded as UTF-8, or bytes. */
export type Chunk = string | Uint8Array;

/** One document (or, for some formats, one article) converted on its own, and what it reported. */
export interface Converted<P> {
  piece: P;
  report: LossEntries;
}

/** The converted documents of one part of the export, in the part's order. */
export interface ConvertedPart<P> {
  name: string;
  /** How many documents the part holds. */
  documents: number;
  converted: Converted<P>[];
}

/** A file made of chunks (written one after the other; text chunks as UTF-8). */
export interface ChunkedFile {
  path: string;
  chunks: Chunk[];
  /**
   * The chunks are the uncompressed contents of a zlib file (spaCy's DocBin):
   * the pure export compresses them with fflate, the app streams them through
   * Node's zlib. The compressed bytes differ; what they inflate to does not.
   */
  zlib?: boolean;
}

/** What converting may use from the place it runs in. */
export interface PieceTools {
  /** Text of the output as a chunk (the app encodes long text where it is made, off the main thread). */
  chunk(text: string): Chunk;
  /**
   * True when output chunks may be UTF-8 bytes (the app's export): converters
   * may then build big outputs as bytes directly (see byte-writer.ts).
   */
  utf8: boolean;
  /**
   * State that the articles converted with these tools may share, present
   * when they all go to the same part of the export (e.g. strings a spaCy
   * DocBin already lists); absent otherwise.
   */
  partState?: Map<string, unknown>;
  /**
   * Runs tasks of a kind listed in `exportTasks` (formats/index.ts), e.g.
   * Parquet column chunks, in worker threads; absent in the pure export
   * (the assembler then runs them itself). Results in task order.
   */
  parallel?: (kind: string, tasks: unknown[]) => Promise<unknown[]>;
}

/**
 * An exporter that converts each article on its own, so that articles can be
 * read and converted in parallel and streamed: `convert` turns one article's
 * documents (every annotator's, in dataset order) into pieces, each with its
 * own loss report; `assemble` puts the parts' pieces together into files and
 * merges the pieces' reports into the export's report in the order a
 * document-by-document export would have reported them. `exportParts` of such
 * an exporter is `exportByPieces` (pieces.ts), so both paths give the same files.
 */
export interface PieceExporter<P = unknown> extends Exporter {
  /** Notes the export reports before any document. */
  begin?(context: ExportContext, options: ExportOptions, report: LossReport): void;
  /** The order in which the exporter takes a part's documents (the dataset's when absent). */
  order?(documents: DatasetDocument[]): DatasetDocument[];
  convert(
    documents: DatasetDocument[],
    context: ExportContext,
    options: ExportOptions,
    tools: PieceTools,
  ): Converted<P>[];
  assemble(
    context: ExportContext,
    parts: ConvertedPart<P>[],
    options: ExportOptions,
    report: LossReport,
    tools: PieceTools,
  ): Array<ChunkedFile | ExportFile> | Promise<Array<ChunkedFile | ExportFile>>;
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
