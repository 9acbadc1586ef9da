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
 */
import { parquetWriteBuffer, type SchemaElement } from "hyparquet-writer";
import type { DocumentVariable } from "../../project-files";
import { compareSpans, type Dataset, type DatasetDocument, type ExportFile } from "../dataset";
import type { Exporter, ExportOptions } from "../format-types";
import type { LossReport } from "../loss-report";
import { tagNames, tagTokens } from "../token-tags";
import { tokenize } from "../tokens";
import { reportUncarriedAttributes, tokenPolicyNote } from "./uncarried";

type ColumnType = "string" | "int32" | "float64" | "list<string>" | "list<int32>";
type Cell = string | number | string[] | number[] | null;
type Row = Record<string, Cell>;

interface Column {
  name: string;
  type: ColumnType;
  /** ClassLabel names of an int32 list column. */
  names?: string[];
}

interface Table {
  config: "ner" | "stance" | "codes";
  /** File name prefix: `data/<prefix><split>.parquet`. */
  prefix: string;
  columns: Column[];
  rows: Map<string, Row[]>;
}

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

function writeParquet(columns: Column[], rows: Row[], createdBy: string): Uint8Array {
  const features = Object.fromEntries(columns.map((column) => [column.name, featureJson(column)]));
  const buffer = parquetWriteBuffer({
    columnData: columns.map(({ name }) => ({ name, data: rows.map((row) => row[name] ?? null) })),
    schema: parquetSchema(columns),
    codec: "SNAPPY",
    createdBy,
    kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features } }) }],
  });
  return new Uint8Array(buffer);
}

const YAML_PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const YAML_RESERVED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

/** A YAML scalar: plain when safe (as `datasets` writes names), else a JSON (double-quoted) string. */
function yaml(text: string): string {
  return YAML_PLAIN.test(text) && !YAML_RESERVED.test(text) ? text : JSON.stringify(text);
}

/** `dataset_info.features` lines of a column, in the YAML `datasets` writes. */
function featureYaml(column: Column): string[] {
  const lines = [`  - name: ${yaml(column.name)}`];
  const dtype = column.type.startsWith("list<") ? column.type.slice(5, -1) : column.type;
  if (column.names) {
    lines.push("    sequence:", "      class_label:", "        names:");
    for (const [i, name] of column.names.entries()) lines.push(`          '${i}': ${yaml(name)}`);
  } else if (dtype !== column.type) lines.push(`    sequence: ${dtype}`);
  else lines.push(`    dtype: ${dtype}`);
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*[\r\n]+\s*/g, " ");
}

/** Builds one row per sentence; tags stay strings until the ClassLabel names are known. */
function nerRows(doc: DatasetDocument, options: ExportOptions, report: LossReport): Row[] {
  // Stance spans go to the stance table; they are only "lost" from the tags when they are tagged.
  const tagged = options.tagKinds.includes("stance")
    ? doc
    : { ...doc, spans: doc.spans.filter((span) => span.kind !== "stance") };
  const tokenized = tokenize(doc.text, doc.meta.language);
  const { tags } = tagTokens(tagged, tokenized, options.scheme, report, options.tagKinds);
  return tokenized.sentences.map(([first, last], sentence) => {
    const tokens = tokenized.tokens.slice(first, last);
    return {
      id: `${doc.id}-${doc.annotator}-${sentence}`,
      article: doc.id,
      annotator: doc.annotator,
      sentence,
      tokens: tokens.map((token) => token.text),
      ner_tags: tags.slice(first, last),
      token_starts: tokens.map((token) => token.start),
      token_ends: tokens.map((token) => token.end),
    };
  });
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

const CODE_TYPES: Record<DocumentVariable["type"], ColumnType> = {
  single: "string",
  text: "string",
  multi: "list<string>",
  number: "float64",
};

/** The column of a document variable; `article` and `annotator` are taken, so they get `code_`. */
function codeColumnName(variable: DocumentVariable): string {
  return variable.id === "article" || variable.id === "annotator"
    ? `code_${variable.id}`
    : variable.id;
}

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
      `${doc.id} (${doc.annotator}) ${variable.id}=${JSON.stringify(value)}`,
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

function addRows(table: Table, split: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const list = table.rows.get(split);
  if (list) list.push(...rows);
  else table.rows.set(split, [...rows]);
}

/** Hugging Face export: Parquet + JSONL per split for NER, stance and codes, and a dataset card. */
export const hfExporter: Exporter = {
  format: "hf",
  description:
    "Hugging Face dataset folder: Parquet and JSONL per split (NER, stance, codes) and a README card",
  lossless: false,
  exportParts(dataset, parts, options, report) {
    const note = tokenPolicyNote(options.scheme, options.tagKinds);
    report.note(note);
    const variables = dataset.codebook.documentVariables;
    const ner: Table = {
      config: "ner",
      prefix: "",
      columns: NER_COLUMNS.map((c) => ({ ...c })),
      rows: new Map(),
    };
    const stance: Table = {
      config: "stance",
      prefix: "stance-",
      columns: STANCE_COLUMNS,
      rows: new Map(),
    };
    const codes: Table = {
      config: "codes",
      prefix: "codes-",
      columns: [
        { name: "article", type: "string" },
        { name: "annotator", type: "string" },
        ...variables.map((v): Column => ({ name: codeColumnName(v), type: CODE_TYPES[v.type] })),
      ],
      rows: new Map(),
    };
    const known = new Set(variables.map((variable) => variable.id));
    const documentsPerSplit = new Map<string, number>();
    for (const part of parts) {
      const split = part.name === "" ? "train" : part.name;
      for (const doc of part.documents) {
        documentsPerSplit.set(split, (documentsPerSplit.get(split) ?? 0) + 1);
        addRows(ner, split, nerRows(doc, options, report));
        addRows(stance, split, stanceRows(doc));
        if (variables.length > 0) {
          const row: Row = { article: doc.id, annotator: doc.annotator };
          for (const v of variables) row[codeColumnName(v)] = codeCell(doc, v, report);
          addRows(codes, split, [row]);
        }
        reportUncarriedAttributes(doc, report, "Hugging Face", {
          attributes: (span) => (span.kind === "stance" ? ["target", "polarity", "holder"] : []),
          codes: (variable) => known.has(variable),
        });
      }
    }

    // ClassLabel names: the codebook's labels of the tagged kinds, then labels only the data has.
    const labels = dataset.codebook.labels
      .filter((l) => options.tagKinds.includes(l.kind))
      .map((l) => l.id);
    const extra = new Set<string>();
    for (const rows of ner.rows.values())
      for (const row of rows)
        for (const tag of row.ner_tags as string[])
          if (tag !== "O" && !labels.includes(tag.slice(2))) extra.add(tag.slice(2));
    if (extra.size > 0)
      report.note(
        `Labels not in the codebook added to the tag names: ${[...extra].sort().join(", ")}.`,
      );
    const names = tagNames([...labels, ...[...extra].sort()], options.scheme);
    const index = new Map(names.map((name, i) => [name, i]));
    for (const rows of ner.rows.values())
      for (const row of rows)
        row.ner_tags = (row.ner_tags as string[]).map((tag) => index.get(tag) ?? 0);
    const tagColumn = ner.columns.find((column) => column.name === "ner_tags");
    if (tagColumn) tagColumn.names = names;

    const splits = [...documentsPerSplit.keys()];
    const tables = [ner, stance, codes].filter((table) => table.rows.size > 0);
    const files: ExportFile[] = [];
    for (const table of tables)
      for (const split of splits) {
        const rows = table.rows.get(split);
        if (!rows) continue;
        const base = `data/${table.prefix}${split}`;
        files.push({
          path: `${base}.parquet`,
          data: writeParquet(table.columns, rows, options.generator),
        });
        files.push({
          path: `${base}.jsonl`,
          data: rows.map((row) => `${JSON.stringify(row)}\n`).join(""),
        });
      }
    files.push({
      path: "README.md",
      data: datasetCard(dataset, options, report, {
        tables,
        splits,
        names,
        labels,
        extra,
        documentsPerSplit,
        note,
      }),
    });
    return files;
  },
};

interface CardInput {
  tables: Table[];
  splits: string[];
  names: string[];
  labels: string[];
  extra: Set<string>;
  documentsPerSplit: Map<string, number>;
  note: string;
}

function datasetCard(
  dataset: Dataset,
  options: ExportOptions,
  report: LossReport,
  input: CardInput,
): string {
  const { tables, splits, names, documentsPerSplit } = input;
  const languages = [
    ...new Set(dataset.documents.map((doc) => doc.meta.language.toLowerCase().split("-")[0] ?? "")),
  ]
    .filter((language) => /^[a-z]{2,3}$/.test(language) && language !== "und")
    .sort();
  const yamlLines = ["---", `pretty_name: ${JSON.stringify(dataset.projectName)}`];
  if (languages.length > 0) yamlLines.push("language:", ...languages.map((l) => `- ${l}`));
  yamlLines.push(
    "task_categories:",
    "- token-classification",
    "task_ids:",
    "- named-entity-recognition",
  );
  yamlLines.push("configs:");
  for (const table of tables) {
    yamlLines.push(`- config_name: ${table.config}`, "  data_files:");
    for (const split of splits)
      if (table.rows.has(split))
        yamlLines.push(
          `  - split: ${yaml(split)}`,
          `    path: data/${table.prefix}${split}.parquet`,
        );
    if (table.config === "ner") yamlLines.push("  default: true");
  }
  yamlLines.push("dataset_info:");
  for (const table of tables) {
    yamlLines.push(`- config_name: ${table.config}`, "  features:");
    for (const column of table.columns) yamlLines.push(...featureYaml(column));
    yamlLines.push("  splits:");
    for (const split of splits) {
      const rows = table.rows.get(split);
      if (rows) yamlLines.push(`  - name: ${yaml(split)}`, `    num_examples: ${rows.length}`);
    }
  }
  yamlLines.push("---");

  const count = (table: Table | undefined, split: string) => table?.rows.get(split)?.length ?? 0;
  const byConfig = (config: string) => tables.find((table) => table.config === config);
  const ner = byConfig("ner");
  const tokens = (split: string) =>
    (ner?.rows.get(split) ?? []).reduce((sum, row) => sum + (row.tokens as string[]).length, 0);
  const body = [
    `# ${dataset.projectName}`,
    "",
    `Named-entity (token classification) data from the Tagwerk project "${dataset.projectName}", exported by ${options.generator}. ` +
      "Config `ner` has one row per sentence of one article as coded by one annotator (`id` is `<article>-<annotator>-<sentence>`; " +
      "an article coded by several annotators appears once per annotator). `token_starts` and `token_ends` are Unicode code-point " +
      "offsets into the article text, end-exclusive, so Python's `text[start:end]` is the token. Each file is there as Parquet " +
      "(what the configs load) and as JSON Lines with the same rows.",
    "",
    "## Labels",
    "",
    `Tag scheme ${options.scheme.toUpperCase()}; \`ner_tags\` are indices into these ${names.length} names: ${names.map((n) => `\`${n}\``).join(", ")}.`,
    "",
    "| Label | Name | Kind | Description |",
    "| --- | --- | --- | --- |",
    ...input.labels.map((id) => {
      const label = dataset.codebook.labels.find((l) => l.id === id);
      return `| \`${id}\` | ${cell(label?.name ?? id)} | ${label?.kind ?? ""} | ${cell(label?.description ?? "")} |`;
    }),
    ...[...input.extra].sort().map((id) => `| \`${id}\` | ${id} | | not in the codebook |`),
    "",
    "## Tokenization and tagging",
    "",
    `${input.note} Stance spans are in the \`stance\` config whether or not they are tagged.`,
    "",
    "## Other configs",
    "",
    byConfig("stance")
      ? "- `stance`: one row per stance span — `article`, `annotator`, `span_id`, `label`, `start`, `end` (code points), " +
        "`text`, `target`, `polarity`, `holder` (ids from the codebook and the entity registry; null when not coded)."
      : "- `stance`: not written, there are no stance spans.",
    byConfig("codes")
      ? "- `codes`: one row per article and annotator — `article`, `annotator`, then one column per document variable " +
        "(single choice and text: string; multiple choice: list of strings; number: float64; null when not coded):"
      : "- `codes`: not written, the codebook has no document variables.",
    ...(byConfig("codes") ? dataset.codebook.documentVariables : []).map(
      (v) =>
        `  - \`${codeColumnName(v)}\` (${v.type}): ${cell(v.name)}${v.description ? ` — ${cell(v.description)}` : ""}`,
    ),
    "",
    "## Splits",
    "",
    "Splits are by article. A split or table without rows has no files and is not in the configs.",
    "",
    "| Split | Documents | Sentences | Tokens | Stance spans | Code rows |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...splits.map(
      (split) =>
        `| ${split} | ${documentsPerSplit.get(split) ?? 0} | ${count(ner, split)} | ${tokens(split)} | ` +
        `${count(byConfig("stance"), split)} | ${count(byConfig("codes"), split)} |`,
    ),
    "",
    "## What this export could not carry",
    "",
  ];
  const { items } = report.toData();
  if (items.length === 0) body.push("Nothing: every span and attribute is in the files.");
  else body.push(...items.map((item) => `- ${cell(item.description)}: ${item.count}`));
  body.push("", "The project and its JSONL export keep all of it.");
  return `${yamlLines.join("\n")}\n${body.join("\n")}\n`;
}
