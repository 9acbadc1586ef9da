/**
 * The dataset card (README.md) of the Hugging Face export: YAML `configs` and
 * `dataset_info` as `datasets` writes them, then the label scheme, the
 * tokenizer, the splits and what the export could not carry.
 */
import type { DocumentVariable } from "../../project-files";
import type { ExportContext, ExportOptions } from "../format-types";
import type { LossReport } from "../loss-report";

/** A column of a table: its name, type and (ner_tags) ClassLabel names. */
export interface Column {
  name: string;
  type: "string" | "int32" | "float64" | "list<string>" | "list<int32>";
  /** ClassLabel names of an int32 list column. */
  names?: string[];
}

/** What the card says about one table (config): its columns, and rows and tokens per split. */
export interface CardTable {
  config: "ner" | "stance" | "codes";
  /** File name prefix: `data/<prefix><split>.parquet`. */
  prefix: string;
  columns: Column[];
  /** Rows per split (splits without rows are absent). */
  rows: Map<string, number>;
}

/** The column of a document variable; `article` and `annotator` are taken, so they get `code_`. */
export function codeColumnName(variable: DocumentVariable): string {
  return variable.id === "article" || variable.id === "annotator"
    ? `code_${variable.id}`
    : variable.id;
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

/** What the card is made from besides the context. */
export interface CardInput {
  tables: CardTable[];
  splits: string[];
  names: string[];
  labels: string[];
  extra: Set<string>;
  documentsPerSplit: Map<string, number>;
  note: string;
  /** Languages of the exported documents. */
  languages: string[];
  /** Tokens of the NER rows per split. */
  tokensPerSplit: Map<string, number>;
}

/** The README.md of the export. */
export function datasetCard(
  dataset: ExportContext,
  options: ExportOptions,
  report: LossReport,
  input: CardInput,
): string {
  const { tables, splits, names, documentsPerSplit } = input;
  const languages = [
    ...new Set(input.languages.map((language) => language.toLowerCase().split("-")[0] ?? "")),
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
      if (rows !== undefined)
        yamlLines.push(`  - name: ${yaml(split)}`, `    num_examples: ${rows}`);
    }
  }
  yamlLines.push("---");

  const count = (table: CardTable | undefined, split: string) => table?.rows.get(split) ?? 0;
  const byConfig = (config: string) => tables.find((table) => table.config === config);
  const ner = byConfig("ner");
  const tokens = (split: string) => (ner ? (input.tokensPerSplit.get(split) ?? 0) : 0);
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
