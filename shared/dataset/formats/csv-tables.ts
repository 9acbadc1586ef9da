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
import type { Chunk, ChunkedFile, PieceExporter } from "../format-types";
import { exportByPieces, mergeReports, NO_LOSSES } from "../pieces";

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

/** One CSV record with its CRLF. */
function csvLine(row: Array<string | number | undefined>): string {
  return `${row.map(field).join(",")}\r\n`;
}

/** A code's cell: a number as written, several choices joined with "; ". */
function codeCell(value: CodeValue | undefined): string | number | undefined {
  return Array.isArray(value) ? value.join("; ") : value;
}

function spanLines(doc: DatasetDocument): string {
  const lines: string[] = [];
  for (const s of [...doc.spans].sort(compareSpans))
    lines.push(
      csvLine([
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
      ]),
    );
  return lines.join("");
}

function stanceLines(doc: DatasetDocument, names: StanceNames): string {
  const lines: string[] = [];
  for (const s of [...doc.spans].sort(compareSpans)) {
    if (s.kind !== "stance") continue;
    lines.push(
      csvLine([
        doc.id,
        doc.annotator,
        s.id,
        s.start,
        s.end,
        s.text,
        s.target,
        s.target === undefined ? undefined : names.targets.get(s.target),
        s.polarity,
        s.polarity === undefined ? undefined : names.scale.get(s.polarity),
        s.holder,
        s.holder === undefined ? undefined : names.entities.get(s.holder),
        s.note,
      ]),
    );
  }
  return lines.join("");
}

/** Names of stance targets, polarities and registry entities by id. */
interface StanceNames {
  targets: Map<string, string>;
  scale: Map<string, string>;
  entities: Map<string, string>;
}

function stanceNames(codebook: Codebook, entities: RegistryEntity[]): StanceNames {
  return {
    targets: new Map(codebook.stanceTargets.map((t) => [t.id, t.name])),
    scale: new Map(codebook.stanceScale.map((p) => [p.id, p.name])),
    entities: new Map(entities.map((e) => [e.id, e.name])),
  };
}

/** One document's rows of the three tables (codes.csv columns are known only at the end). */
interface CsvPiece {
  spans: Chunk;
  stance: Chunk;
  codeRow: Array<string | number | undefined>;
  codes: Record<string, CodeValue>;
}

/** Exports spans.csv, stance.csv and codes.csv per part. */
export const csvExporter: PieceExporter<CsvPiece> = {
  format: "csv",
  description: "CSV tables of spans, stance and document codes (RFC 4180) for R, SPSS and Excel.",
  lossless: false,
  convert(documents, context, _options, tools) {
    const names = stanceNames(context.codebook, context.entities);
    return documents.map((doc) => ({
      piece: {
        spans: tools.chunk(spanLines(doc)),
        stance: tools.chunk(stanceLines(doc, names)),
        codeRow: [
          doc.id,
          doc.annotator,
          doc.meta.title,
          doc.meta.date,
          doc.meta.source,
          doc.meta.url,
          doc.meta.language,
        ],
        codes: doc.codes,
      },
      report: NO_LOSSES,
    }));
  },
  assemble(context, parts, options, report) {
    const variables = context.codebook.documentVariables.map((v) => v.id);
    // Codes the codebook does not list still get a column (sorted), the same in every part.
    const extra = new Set<string>();
    for (const part of parts)
      for (const { piece } of part.converted)
        for (const key of Object.keys(piece.codes)) if (!variables.includes(key)) extra.add(key);
    const codeColumns = [...variables, ...[...extra].sort()];
    if (extra.size > 0)
      report.note(
        `codes.csv has columns for codes the codebook does not list: ${[...extra].sort().join(", ")}`,
      );
    report.note("The CSV tables hold spans, attributes and codes, not the article texts.");
    const bom = options.excelBom ? "\uFEFF" : "";
    const files: ChunkedFile[] = [];
    for (const part of parts) {
      const pieces = mergeReports(report, part.converted);
      const codeLines = pieces.map((piece) =>
        csvLine([...piece.codeRow, ...codeColumns.map((key) => codeCell(piece.codes[key]))]),
      );
      files.push(
        {
          path: partPath(part, "spans.csv"),
          chunks: [`${bom}${csvLine(SPAN_COLUMNS)}`, ...pieces.map((piece) => piece.spans)],
        },
        {
          path: partPath(part, "stance.csv"),
          chunks: [`${bom}${csvLine(STANCE_COLUMNS)}`, ...pieces.map((piece) => piece.stance)],
        },
        {
          path: partPath(part, "codes.csv"),
          chunks: [`${bom}${csvLine([...CODE_META_COLUMNS, ...codeColumns])}`, codeLines.join("")],
        },
      );
    }
    return files;
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(csvExporter, dataset, parts, options, report);
  },
};
