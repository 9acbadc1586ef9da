/**
 * The dataset model every exporter reads and every importer produces: one
 * document per article and annotator, exactly the JSONL contract of
 * docs/export.md. Offsets are Unicode code points into `text`, end-exclusive,
 * so Python's `text[start:end]` equals a span's `text`.
 */
import type { Codebook, LabelKind, RegistryEntity } from "../project-files";

/** A document code's value: one choice, several choices, text or a number. */
export type CodeValue = string | number | string[];

/** One annotated span of a dataset document. */
export interface DatasetSpan {
  id: string;
  start: number;
  end: number;
  label: string;
  kind: LabelKind;
  text: string;
  /** Registry entity id (entity spans). */
  entity?: string;
  /** Normalised ISO value (date spans). */
  value?: string;
  /** Stance target, polarity and holder (stance spans). */
  target?: string;
  polarity?: string;
  holder?: string;
  note?: string;
}

/** Article metadata carried along with its text. */
export interface DatasetMeta {
  title: string;
  source: string;
  url: string;
  date: string;
  language: string;
}

/** One article as coded by one annotator (or the gold layer). */
export interface DatasetDocument {
  id: string;
  text: string;
  meta: DatasetMeta;
  annotator: string;
  spans: DatasetSpan[];
  codes: Record<string, CodeValue>;
}

/** What an exporter gets: the documents plus the scheme they were coded with. */
export interface Dataset {
  projectName: string;
  codebook: Codebook;
  entities: RegistryEntity[];
  documents: DatasetDocument[];
}

/** A named part of an export: `train`, `validation`, `test`, or `""` when not split. */
export interface DatasetPart {
  name: string;
  documents: DatasetDocument[];
}

/** One file an exporter produces, relative to the output folder (always `/`-separated). */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

/** Sorts spans the way every format lists them: by start, longer first, then label and id. */
export function compareSpans(a: DatasetSpan, b: DatasetSpan): number {
  return (
    a.start - b.start ||
    b.end - a.end ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** `path` inside the part's folder (`train/x`), or `path` itself when the export is not split. */
export function partPath(part: { name: string }, path: string): string {
  return part.name === "" ? path : `${part.name}/${path}`;
}
