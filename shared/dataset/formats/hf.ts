/**
 * A Hugging Face dataset folder, loadable with `datasets.load_dataset(folder)`:
 *
 *   README.md                       dataset card: YAML `configs` and `dataset_info`, then prose
 *   data/<split>.parquet|.jsonl     config `ner` (default): one row per sentence, as conll2003
 *   data/stance-<split>.parquet|.jsonl   config `stance`: one row per stance span
 *   data/codes-<split>.parquet|.jsonl    config `codes`: one row per article and annotator
 *
 * Splits are the parts' names; an unsplit export is `train`. A table gets no
 * files for a split in which it has no rows (empty splits are left out of the
 * files and the card: a zero-row split is of no use, and zero-row Parquet from
 * hyparquet-writer is not readable by arrow-rs); a table with no rows at all
 * is no config. `ner_tags` are int32 indices into the ClassLabel names
 * `tagNames(labels of the tagged kinds in codebook order, scheme)`, plus any
 * label found in the data but not in the codebook. Multi-valued codes are
 * `list<string>` (`sequence: string`), numbers float64, missing codes null.
 * Output is deterministic: Parquet `created_by` is the generator, no times.
 * Parquet files are those of hyparquet-writer (see parquet.ts).
 */
import type { SchemaElement } from "hyparquet";
import type { DocumentVariable } from "../../project-files";
import { compareSpans, type DatasetDocument, type ExportFile } from "../dataset";
import type {
  Chunk,
  ChunkedFile,
  ExportContext,
  ExportOptions,
  PieceExporter,
  PieceTools,
} from "../format-types";
import type { LossReport } from "../loss-report";
import { eachDocument, exportByPieces, mergeReports } from "../pieces";
import { tagNames, tagTokens } from "../token-tags";
import { tokenize } from "../tokens";
import { type CardTable, type Column, codeColumnName, datasetCard } from "./hf-card";
import {
  type HfText,
  hfText,
  nerColumns,
  nerLines,
  type SentenceJson,
  sentenceJson,
} from "./hf-ner";
import {
  type ChunkTask,
  chunkTasks,
  type DenseColumn,
  type EncodedChunk,
  encodeChunk,
  type ParquetColumn,
  parquetFromChunks,
} from "./parquet";
import { reportUncarriedAttributes, tokenPolicyNote } from "./uncarried";

type Cell = string | number | string[] | number[] | null;
type Row = Record<string, Cell>;

const PARQUET_LEAF: Record<string, SchemaElement> = {
  string: { name: "", type: "BYTE_ARRAY", converted_type: "UTF8" },
  int32: { name: "", type: "INT32" },
  float64: { name: "", type: "DOUBLE" },
};

/** Parquet schema as pyarrow writes it: nullable columns, 3-level LIST groups. */
function parquetSchema(columns: Column[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "schema", num_children: columns.length }];
  for (const { name, type } of columns) {
    const leaf = type.startsWith("list<") ? type.slice(5, -1) : type;
    const element = { ...PARQUET_LEAF[leaf], repetition_type: "OPTIONAL" } as SchemaElement;
    if (leaf === type) schema.push({ ...element, name });
    else
      schema.push(
        { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { ...element, name: "element" },
      );
  }
  return schema;
}

/** The `datasets` feature of a column as JSON, for the `huggingface` key of the Parquet metadata. */
function featureJson(column: Column): object {
  const value = (dtype: string) => ({ dtype, _type: "Value" });
  if (column.names)
    return { feature: { names: column.names, _type: "ClassLabel" }, _type: "Sequence" };
  if (column.type === "list<string>") return { feature: value("string"), _type: "Sequence" };
  if (column.type === "list<int32>") return { feature: value("int32"), _type: "Sequence" };
  return value(column.type);
}

/** Values from which the Parquet files are encoded in worker threads. */
const PARALLEL_VALUES = 200_000;

/** Encodes column chunks: in worker threads when the tools offer them, else here. */
type ChunkEncoder = (tasks: ChunkTask[]) => Promise<EncodedChunk[][]>;

/** The `huggingface` key of a table's Parquet metadata: its `datasets` features. */
function parquetMetadata(columns: Column[]): Array<{ key: string; value: string }> {
  const features = Object.fromEntries(columns.map((column) => [column.name, featureJson(column)]));
  return [{ key: "huggingface", value: JSON.stringify({ info: { features } }) }];
}

/** A Parquet file to write: its table's columns, the data, and the file its chunks go into. */
interface ParquetJob {
  columns: Column[];
  data: Array<ParquetColumn | DenseColumn>;
  file: ChunkedFile;
}

/** Encodes every job's column chunks in one go (so that worker threads stay busy) and fills in the files. */
async function writeParquetFiles(
  jobs: ParquetJob[],
  createdBy: string,
  encode: ChunkEncoder,
): Promise<void> {
  const prepared = jobs.map((job) => {
    const schema = parquetSchema(job.columns);
    return { job, schema, tasks: chunkTasks(schema, job.data) };
  });
  const encoded = await encode(prepared.flatMap((p) => p.tasks));
  let at = 0;
  for (const { job, schema, tasks } of prepared) {
    const chunks = encoded.slice(at, at + tasks.length);
    at += tasks.length;
    job.file.chunks = parquetFromChunks(schema, job.data, chunks, {
      createdBy,
      kvMetadata: parquetMetadata(job.columns),
    });
  }
}

/** One document converted: its NER sentences, stance rows and code row, with their JSON lines. */
interface HfPiece {
  article: string;
  annotator: string;
  language: string;
  text: HfText;
  /** Per token: the tag's index in the codebook's tag names. */
  tags: Int32Array;
  /** Per token, the tags themselves, when some label is not in the codebook (indices come later). */
  extraTags?: string[];
  /** The NER JSON lines (absent with `extraTags`). */
  nerJsonl?: Chunk;
  stance: Row[];
  stanceJsonl: Chunk;
  code?: Row;
  codeJsonl?: Chunk;
}

/** Labels of the tagged kinds, in codebook order. */
function taggedLabels(context: ExportContext, options: ExportOptions): string[] {
  return context.codebook.labels.filter((l) => options.tagKinds.includes(l.kind)).map((l) => l.id);
}

function stanceRows(doc: DatasetDocument): Row[] {
  return doc.spans
    .filter((span) => span.kind === "stance")
    .sort(compareSpans)
    .map((span) => ({
      article: doc.id,
      annotator: doc.annotator,
      span_id: span.id,
      label: span.label,
      start: span.start,
      end: span.end,
      text: span.text,
      target: span.target ?? null,
      polarity: span.polarity ?? null,
      holder: span.holder ?? null,
    }));
}

const CODE_TYPES: Record<DocumentVariable["type"], Column["type"]> = {
  single: "string",
  text: "string",
  multi: "list<string>",
  number: "float64",
};

function codeCell(doc: DatasetDocument, variable: DocumentVariable, report: LossReport): Cell {
  const value = doc.codes[variable.id];
  if (value === undefined) return null;
  if (variable.type === "multi") return Array.isArray(value) ? value : [String(value)];
  if (variable.type !== "number") return Array.isArray(value) ? value.join(", ") : String(value);
  const number = typeof value === "number" ? value : Number(value);
  if (
    typeof value !== "number" &&
    (Array.isArray(value) || value.trim() === "" || !Number.isFinite(number))
  ) {
    report.add(
      "code-not-a-number",
      "codes of number variables that are not numbers, left empty",
      () => `${doc.id} (${doc.annotator}) ${variable.id}=${JSON.stringify(value)}`,
    );
    return null;
  }
  return number;
}

const NER_COLUMNS: Column[] = [
  { name: "id", type: "string" },
  { name: "article", type: "string" },
  { name: "annotator", type: "string" },
  { name: "sentence", type: "int32" },
  { name: "tokens", type: "list<string>" },
  { name: "ner_tags", type: "list<int32>" },
  { name: "token_starts", type: "list<int32>" },
  { name: "token_ends", type: "list<int32>" },
];

const STANCE_COLUMNS: Column[] = ["article", "annotator", "span_id", "label"]
  .map((name): Column => ({ name, type: "string" }))
  .concat(
    { name: "start", type: "int32" },
    { name: "end", type: "int32" },
    ...["text", "target", "polarity", "holder"].map((name): Column => ({ name, type: "string" })),
  );

const jsonLines = (rows: Row[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join("");

/** Output text as a chunk; bytes as they are. */
const chunkOf = (data: string | Uint8Array, tools: PieceTools): Chunk =>
  typeof data === "string" ? tools.chunk(data) : data;

/** Converts one document (see `HfPiece`), reporting what does not fit. */
function convertDocument(
  doc: DatasetDocument,
  text: HfText,
  json: SentenceJson,
  context: ExportContext,
  options: ExportOptions,
  baseIndex: Map<string, number>,
  report: LossReport,
  tools: PieceTools,
): HfPiece {
  // Stance spans go to the stance table; they are only "lost" from the tags when they are tagged.
  const tagged = options.tagKinds.includes("stance")
    ? doc
    : { ...doc, spans: doc.spans.filter((span) => span.kind !== "stance") };
  const { tags } = tagTokens(
    tagged,
    tokenize(doc.text, doc.meta.language),
    options.scheme,
    report,
    options.tagKinds,
  );
  const indices = new Int32Array(tags.length);
  let extra = false;
  for (let i = 0; i < tags.length; i++) {
    const index = baseIndex.get(tags[i] as string);
    if (index === undefined) extra = true;
    indices[i] = index ?? -1;
  }
  const stance = stanceRows(doc);
  const piece: HfPiece = {
    article: doc.id,
    annotator: doc.annotator,
    language: doc.meta.language,
    text,
    tags: indices,
    ...(extra
      ? { extraTags: tags }
      : { nerJsonl: chunkOf(nerLines(doc, text, json, indices), tools) }),
    stance,
    stanceJsonl: tools.chunk(jsonLines(stance)),
  };
  const variables = context.codebook.documentVariables;
  if (variables.length > 0) {
    const row: Row = { article: doc.id, annotator: doc.annotator };
    for (const v of variables) row[codeColumnName(v)] = codeCell(doc, v, report);
    piece.code = row;
    piece.codeJsonl = tools.chunk(jsonLines([row]));
  }
  const known = new Set(variables.map((variable) => variable.id));
  reportUncarriedAttributes(doc, report, "Hugging Face", {
    attributes: (span) => (span.kind === "stance" ? ["target", "polarity", "holder"] : []),
    codes: (variable) => known.has(variable),
  });
  return piece;
}

/** A table's rows as Parquet columns. */
const rowColumns = (columns: Column[], rows: Row[]): ParquetColumn[] =>
  columns.map(({ name }) => ({ name, data: rows.map((row) => row[name] ?? null) }));

/** Hugging Face export: Parquet + JSONL per split for NER, stance and codes, and a dataset card. */
export const hfExporter: PieceExporter<HfPiece> = {
  format: "hf",
  description:
    "Hugging Face dataset folder: Parquet and JSONL per split (NER, stance, codes) and a README card",
  lossless: false,
  begin(_context, options, report) {
    report.note(tokenPolicyNote(options.scheme, options.tagKinds));
  },
  convert(documents, context, options, tools) {
    const baseIndex = new Map(
      tagNames(taggedLabels(context, options), options.scheme).map((name, i) => [name, i]),
    );
    // Every annotator's document has the article's text: its sentences are made once.
    const texts = new Map<string, { text: HfText; json: SentenceJson }>();
    return eachDocument(documents, (doc, report) => {
      const key = `${doc.meta.language}\u0000${doc.text}`;
      let shared = texts.get(key);
      if (!shared) {
        const text = hfText(doc.text, doc.meta.language);
        shared = { text, json: sentenceJson(text, tools.utf8) };
        texts.set(key, shared);
      }
      return convertDocument(
        doc,
        shared.text,
        shared.json,
        context,
        options,
        baseIndex,
        report,
        tools,
      );
    });
  },
  async assemble(context, parts, options, report, tools) {
    const note = tokenPolicyNote(options.scheme, options.tagKinds);
    const variables = context.codebook.documentVariables;
    // Splits in order, each with its documents' pieces (reports merged in order).
    const splits: string[] = [];
    const pieces = new Map<string, HfPiece[]>();
    const documentsPerSplit = new Map<string, number>();
    for (const part of parts) {
      const split = part.name === "" ? "train" : part.name;
      const converted = mergeReports(report, part.converted);
      if (part.documents === 0) continue;
      if (!pieces.has(split)) splits.push(split);
      documentsPerSplit.set(split, (documentsPerSplit.get(split) ?? 0) + part.documents);
      pieces.set(split, [...(pieces.get(split) ?? []), ...converted]);
    }
    const all = [...pieces.values()].flat();
    // ClassLabel names: the codebook's labels of the tagged kinds, then labels only the data has.
    const labels = taggedLabels(context, options);
    const extra = new Set<string>();
    for (const piece of all)
      for (const tag of piece.extraTags ?? [])
        if (tag !== "O" && !labels.includes(tag.slice(2))) extra.add(tag.slice(2));
    if (extra.size > 0)
      report.note(
        `Labels not in the codebook added to the tag names: ${[...extra].sort().join(", ")}.`,
      );
    const names = tagNames([...labels, ...[...extra].sort()], options.scheme);
    const index = new Map(names.map((name, i) => [name, i]));
    const finalTags = (piece: HfPiece): ArrayLike<number> =>
      piece.extraTags ? Int32Array.from(piece.extraTags, (tag) => index.get(tag) ?? 0) : piece.tags;

    const nerTable: CardTable = {
      config: "ner",
      prefix: "",
      columns: NER_COLUMNS.map((c) => (c.name === "ner_tags" ? { ...c, names } : { ...c })),
      rows: new Map(),
    };
    const stanceTable: CardTable = {
      config: "stance",
      prefix: "stance-",
      columns: STANCE_COLUMNS,
      rows: new Map(),
    };
    const codesTable: CardTable = {
      config: "codes",
      prefix: "codes-",
      columns: [
        { name: "article", type: "string" },
        { name: "annotator", type: "string" },
        ...variables.map((v): Column => ({ name: codeColumnName(v), type: CODE_TYPES[v.type] })),
      ],
      rows: new Map(),
    };
    const files: Record<string, Array<ChunkedFile | ExportFile>> = {
      ner: [],
      stance: [],
      codes: [],
    };
    const tokensPerSplit = new Map<string, number>();
    const jobs: ParquetJob[] = [];
    const add = (
      table: CardTable,
      split: string,
      data: Array<ParquetColumn | DenseColumn>,
      jsonl: Chunk[],
    ) => {
      const base = `data/${table.prefix}${split}`;
      const parquet: ChunkedFile = { path: `${base}.parquet`, chunks: [] };
      files[table.config]?.push(parquet, { path: `${base}.jsonl`, chunks: jsonl });
      jobs.push({ columns: table.columns, data, file: parquet });
    };
    let values = 0;
    for (const split of splits) {
      const list = pieces.get(split) ?? [];
      const ner = nerColumns(list, finalTags);
      if (ner.rows > 0) {
        nerTable.rows.set(split, ner.rows);
        tokensPerSplit.set(split, ner.tokens);
        values += ner.tokens;
        const jsonl = list.map((piece) =>
          piece.nerJsonl !== undefined
            ? piece.nerJsonl
            : nerLines(
                { id: piece.article, annotator: piece.annotator },
                piece.text,
                sentenceJson(piece.text),
                finalTags(piece),
              ),
        );
        add(nerTable, split, ner.columns, jsonl);
      }
      const stance = list.flatMap((piece) => piece.stance);
      if (stance.length > 0) {
        stanceTable.rows.set(split, stance.length);
        const jsonl = list.map((piece) => piece.stanceJsonl);
        add(stanceTable, split, rowColumns(STANCE_COLUMNS, stance), jsonl);
      }
      const codes = list.flatMap((piece) => (piece.code ? [piece.code] : []));
      if (codes.length > 0) {
        codesTable.rows.set(split, codes.length);
        const jsonl = list.flatMap((piece) =>
          piece.codeJsonl === undefined ? [] : [piece.codeJsonl],
        );
        add(codesTable, split, rowColumns(codesTable.columns, codes), jsonl);
      }
    }
    // Big tables are encoded column chunk by column chunk in worker threads (when there are any).
    const { parallel } = tools;
    const encode: ChunkEncoder =
      parallel && values >= PARALLEL_VALUES
        ? (tasks) => parallel("parquet-chunk", tasks) as Promise<EncodedChunk[][]>
        : async (tasks) => tasks.map((task) => encodeChunk(task));
    await writeParquetFiles(jobs, options.generator, encode);
    const tables = [nerTable, stanceTable, codesTable].filter((table) => table.rows.size > 0);
    const card = datasetCard(context, options, report, {
      tables,
      splits,
      names,
      labels,
      extra,
      documentsPerSplit,
      note,
      languages: all.map((piece) => piece.language),
      tokensPerSplit,
    });
    return [
      ...(files.ner ?? []),
      ...(files.stance ?? []),
      ...(files.codes ?? []),
      { path: "README.md", data: card },
    ];
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(hfExporter, dataset, parts, options, report);
  },
};
