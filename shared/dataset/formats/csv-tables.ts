/**
 * CSV tables for R, SPSS, pandas and Excel, per part:
 *   spans.csv   every span with its attributes
 *   stance.csv  stance spans with target, polarity and holder, ids and names
 *   codes.csv   one row per article × annotator: metadata and document codes
 * RFC 4180: comma-separated, CRLF line ends, a field is quoted (quotes doubled)
 * when it holds a comma, a quote, CR or LF. With `excelBom` each file starts
 * with a UTF-8 byte-order mark so that Excel reads it as UTF-8.
 *
 * Offsets are code points, like everywhere in Tagwerk (Python's
 * `text[start:end]`). The tables hold every span, attribute and code; only the
 * article texts themselves are left out (each span carries its quote).
 */
import type { Codebook, RegistryEntity } from "../../project-files";
import { type CodeValue, compareSpans, type DatasetDocument, partPath } from "../dataset";
import type { Exporter, ExportOptions } from "../format-types";

const SPAN_COLUMNS = [
  "article",
  "annotator",
  "span_id",
  "kind",
  "label",
  "start",
  "end",
  "text",
  "entity",
  "value",
  "target",
  "polarity",
  "holder",
  "note",
];

const STANCE_COLUMNS = [
  "article",
  "annotator",
  "span_id",
  "start",
  "end",
  "quote",
  "target",
  "target_name",
  "polarity",
  "polarity_name",
  "holder",
  "holder_name",
  "note",
];

/** Article metadata columns of codes.csv, before the document variables. */
const CODE_META_COLUMNS = ["article", "annotator", "title", "date", "source", "url", "language"];

/** One CSV field, quoted when it holds a comma, a quote, CR or LF (RFC 4180). */
function field(value: string | number | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV file: header, rows, CRLF after every record, BOM when asked. */
function csvFile(
  header: string[],
  rows: Array<Array<string | number | undefined>>,
  options: ExportOptions,
): string {
  const lines = [header, ...rows].map((row) => `${row.map(field).join(",")}\r\n`);
  return `${options.excelBom ? "\uFEFF" : ""}${lines.join("")}`;
}

/** A code's cell: a number as written, several choices joined with "; ". */
function codeCell(value: CodeValue | undefined): string | number | undefined {
  return Array.isArray(value) ? value.join("; ") : value;
}

function spanRows(documents: DatasetDocument[]): Array<Array<string | number | undefined>> {
  const rows: Array<Array<string | number | undefined>> = [];
  for (const doc of documents)
    for (const s of [...doc.spans].sort(compareSpans))
      rows.push([
        doc.id,
        doc.annotator,
        s.id,
        s.kind,
        s.label,
        s.start,
        s.end,
        s.text,
        s.entity,
        s.value,
        s.target,
        s.polarity,
        s.holder,
        s.note,
      ]);
  return rows;
}

function stanceRows(
  documents: DatasetDocument[],
  codebook: Codebook,
  entities: RegistryEntity[],
): Array<Array<string | number | undefined>> {
  const targets = new Map(codebook.stanceTargets.map((t) => [t.id, t.name]));
  const scale = new Map(codebook.stanceScale.map((p) => [p.id, p.name]));
  const names = new Map(entities.map((e) => [e.id, e.name]));
  const rows: Array<Array<string | number | undefined>> = [];
  for (const doc of documents)
    for (const s of [...doc.spans].sort(compareSpans)) {
      if (s.kind !== "stance") continue;
      rows.push([
        doc.id,
        doc.annotator,
        s.id,
        s.start,
        s.end,
        s.text,
        s.target,
        s.target === undefined ? undefined : targets.get(s.target),
        s.polarity,
        s.polarity === undefined ? undefined : scale.get(s.polarity),
        s.holder,
        s.holder === undefined ? undefined : names.get(s.holder),
        s.note,
      ]);
    }
  return rows;
}

/** Exports spans.csv, stance.csv and codes.csv per part. */
export const csvExporter: Exporter = {
  format: "csv",
  description: "CSV tables of spans, stance and document codes (RFC 4180) for R, SPSS and Excel.",
  lossless: false,
  exportParts(dataset, parts, options, report) {
    const variables = dataset.codebook.documentVariables.map((v) => v.id);
    // Codes the codebook does not list still get a column (sorted), the same in every part.
    const extra = new Set<string>();
    for (const part of parts)
      for (const doc of part.documents)
        for (const key of Object.keys(doc.codes)) if (!variables.includes(key)) extra.add(key);
    const codeColumns = [...variables, ...[...extra].sort()];
    if (extra.size > 0)
      report.note(
        `codes.csv has columns for codes the codebook does not list: ${[...extra].sort().join(", ")}`,
      );
    report.note("The CSV tables hold spans, attributes and codes, not the article texts.");
    const files = [];
    for (const part of parts) {
      const codeRows = part.documents.map((doc) => [
        doc.id,
        doc.annotator,
        doc.meta.title,
        doc.meta.date,
        doc.meta.source,
        doc.meta.url,
        doc.meta.language,
        ...codeColumns.map((key) => codeCell(doc.codes[key])),
      ]);
      files.push(
        {
          path: partPath(part, "spans.csv"),
          data: csvFile(SPAN_COLUMNS, spanRows(part.documents), options),
        },
        {
          path: partPath(part, "stance.csv"),
          data: csvFile(
            STANCE_COLUMNS,
            stanceRows(part.documents, dataset.codebook, dataset.entities),
            options,
          ),
        },
        {
          path: partPath(part, "codes.csv"),
          data: csvFile([...CODE_META_COLUMNS, ...codeColumns], codeRows, options),
        },
      );
    }
    return files;
  },
};
