/**
 * The dataset formats by name, with the words the CLI help and the export
 * dialog use. The exporters and importers themselves are in `formats/`; this
 * list has no dependencies so the renderer can show it.
 */

/** Formats a project can be exported to. */
export const exportFormatIds = [
  "jsonl",
  "conll",
  "spacy",
  "hf",
  "brat",
  "labelstudio",
  "doccano",
  "csv",
  "refi-qda",
] as const;
/** One of `exportFormatIds`. */
export type ExportFormatId = (typeof exportFormatIds)[number];

/** Formats annotations can be imported from. */
export const importFormatIds = [
  "jsonl",
  "doccano",
  "labelstudio",
  "brat",
  "conll",
  "refi-qda",
] as const;
/** One of `importFormatIds`. */
export type ImportFormatId = (typeof importFormatIds)[number];

/** How a format is named and explained to users. */
export interface FormatInfo {
  name: string;
  description: string;
  /** Which export options apply. */
  uses: { scheme?: boolean; tagKinds?: boolean; excelBom?: boolean };
}

/** Names and one-line descriptions of the export formats. */
export const formatInfo: Record<ExportFormatId, FormatInfo> = {
  jsonl: {
    name: "Tagwerk JSONL",
    description:
      "One article per line with every span, attribute and code; lossless (pandas, Python).",
    uses: {},
  },
  conll: {
    name: "CoNLL-2003",
    description: "Token per line with IOB1 / IOB2 / BIOES tags, token offsets in a side file.",
    uses: { scheme: true, tagKinds: true },
  },
  spacy: {
    name: "spaCy v3 DocBin",
    description: '.spacy with ents, spans["sc"] and cats, plus JSONL (spacy train).',
    uses: { tagKinds: true },
  },
  hf: {
    name: "Hugging Face dataset",
    description:
      "Parquet + JSONL per split, tokens and ner_tags, a dataset card with the label names.",
    uses: { scheme: true, tagKinds: true },
  },
  brat: {
    name: "brat standoff",
    description: ".txt + .ann per article, annotation.conf and visual.conf from the codebook.",
    uses: {},
  },
  labelstudio: {
    name: "Label Studio",
    description: "JSON tasks with one annotation per coder (completed_by).",
    uses: {},
  },
  doccano: {
    name: "doccano",
    description: "Sequence-labelling JSONL with [start, end, label] spans.",
    uses: {},
  },
  csv: {
    name: "CSV tables",
    description: "Spans, stance and document codes as tables for R, SPSS, Excel.",
    uses: { excelBom: true },
  },
  "refi-qda": {
    name: "REFI-QDA (.qdpx)",
    description: "Project exchange file for MAXQDA, NVivo, ATLAS.ti and QualCoder.",
    uses: {},
  },
};

/** True when `name` is an export format. */
export function isExportFormat(name: string): name is ExportFormatId {
  return (exportFormatIds as readonly string[]).includes(name);
}

/** True when `name` is an import format. */
export function isImportFormat(name: string): name is ImportFormatId {
  return (importFormatIds as readonly string[]).includes(name);
}
