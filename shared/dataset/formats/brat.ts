/**
 * brat standoff (https://brat.nlplab.org/standoff.html): per article a `.txt`
 * and a `.ann`, plus `annotation.conf` and `visual.conf` from the codebook at
 * the top of each part (brat looks a collection's configuration up the folder
 * tree, so one pair serves every annotator folder below it).
 *
 * Layout. One annotator: `<article>.txt` / `.ann`. Several annotators in the
 * dataset: `<annotator>/<article>.txt` / `.ann`, one brat collection per
 * annotator, so their annotations never mix; the importer takes the annotator
 * from that folder name (a part folder such as `train/` is not an annotator).
 *
 * Offsets and line ends. brat reads the text with
 * `open_textfile(filename, mode='rU')` = `codecs.open(…, encoding='utf8')` with
 * universal newlines (nlplab/brat server/src/annotation.py), checks every `T`
 * line against `self._document_text[start:end]` and rejects
 * `end > len(self._document_text)`: offsets are code points of the decoded text
 * in which CR LF and lone CR have become one LF, as Python 3's `open()` reads
 * it too. So the `.txt` is written with LF line ends and the offsets are mapped
 * to it: every reader then agrees. The importer reads offsets the same way (and
 * accepts offsets that count CR LF as two characters, with a warning).
 *
 * Line breaks inside spans. A `.ann` line cannot hold one, and brat itself
 * (`__create_span` in server/src/annotator.py) splits a new span at newlines
 * and tabs into discontinuous fragments `start end;start end` whose texts are
 * joined by one space (`DISCONT_SEP`). The exporter does the same (at every
 * character Python's `splitlines` breaks at, and tabs); the importer joins
 * fragments separated only by such breaks back into one span, and reads other
 * discontinuous annotations as one span over the covering range, with a warning.
 *
 * Attributes. `A Polarity T5 favour`, `A Target T5 ceasefire`; registry links as
 * `N Reference T3 Tagwerk:<entity id>` (after `Wikidata:<QID>` when the entity
 * has one); a holder that is a span of the document as `R Holder Arg1:T5
 * Arg2:T3`; date values, other holders and notes as one AnnotatorNotes `#` line
 * `value=…; holder=…; note=…` (a note alone as is). brat has no document
 * level: document codes and article metadata are reported, not written.
 */
import type { DatasetDocument, DatasetSpan } from "../dataset";
import { compareSpans, partPath } from "../dataset";
import type {
  Chunk,
  ChunkedFile,
  ExportContext,
  ImportedDocument,
  ImportedSpan,
  Importer,
  ImportFile,
  PieceExporter,
} from "../format-types";
import { DatasetFileError } from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { eachDocument, exportByPieces } from "../pieces";
import { SPLIT_NAMES } from "../splits";
import {
  annotationConf,
  BREAKS,
  mergeSummaries,
  oneLine,
  type SpanSummary,
  summarise,
  visualConf,
} from "./brat-conf";
import { decodeUtf8 } from "./file-text";
import { reportUncarriedAttributes, SPAN_ATTRIBUTES } from "./uncarried";

const NOTE_KEY = /^(value|holder|note)=/;
const FIELD = /^(value|holder)=([^;]*)(?:; |$)/;
const CONF = /(^|[\\/])annotation\.conf$/i;

/**
 * `text` with CR LF and lone CR written as LF (what brat and Python's universal
 * newlines read), and `at` mapping a code-point offset of `text` into it.
 */
export function normaliseLineEnds(text: string): { text: string; at: (offset: number) => number } {
  if (!text.includes("\r")) return { text, at: (offset) => offset };
  const cps = Array.from(text);
  const map = new Int32Array(cps.length + 1);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i++) {
    map[i] = out.length;
    if (cps[i] === "\r" && cps[i + 1] === "\n") continue; // the LF that follows stands for both
    out.push(cps[i] === "\r" ? "\n" : (cps[i] ?? ""));
  }
  map[cps.length] = out.length;
  return { text: out.join(""), at: (offset) => map[offset] ?? out.length };
}

/** The pieces of [start, end) between line breaks and tabs. */
function fragments(cps: string[], start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = -1;
  for (let i = start; i <= end; i++) {
    if (i === end || BREAKS.has(cps[i] ?? "")) {
      if (from >= 0) out.push([from, i]);
      from = -1;
    } else if (from < 0) from = i;
  }
  return out;
}

/** The `.txt` and `.ann` of one document. */
function exportDocument(dataset: ExportContext, doc: DatasetDocument, report: LossReport) {
  const { text, at } = normaliseLineEnds(doc.text);
  if (text !== doc.text)
    report.note("Line ends were written as LF, as brat reads them; offsets count the LF text.");
  const cps = Array.from(text);
  const slice = ([s, e]: [number, number]) => cps.slice(s, e).join("");
  const spans = [...doc.spans].sort(compareSpans);
  const lose = (span: DatasetSpan, code: string, what: string) =>
    report.add(code, what, () => describeSpanForReport(doc, span));
  const tIds = new Map<string, string>();
  const lines: string[] = [];
  for (const span of spans) {
    const [start, end] = [at(span.start), at(span.end)];
    const frags = fragments(cps, start, end);
    if (frags.length === 0) {
      lose(span, "span-only-line-breaks", "spans holding only line breaks (brat cannot mark them)");
      continue;
    }
    if (frags[0]?.[0] !== start || frags.at(-1)?.[1] !== end)
      lose(span, "span-edge-line-break", "spans starting or ending with a line break (narrowed)");
    if (frags.length > 1)
      report.note(
        "Spans over line breaks are written as fragments split at the breaks, as brat does.",
      );
    const id = `T${lines.length + 1}`;
    tIds.set(span.id, id);
    const offsets = frags.map(([s, e]) => `${s} ${e}`).join(";");
    lines.push(`${id}\t${span.label} ${offsets}\t${frags.map(slice).join(" ")}`);
  }
  const count = { A: 0, N: 0, R: 0, "#": 0 };
  const next = (kind: keyof typeof count) => `${kind}${++count[kind]}`;
  const field = (span: DatasetSpan, key: string, value: string | undefined) => {
    if (!value) return [];
    if (!/[;\s]/.test(value)) return [`${key}=${value}`];
    lose(span, `${key}-not-written`, `${key}s with spaces or ";" (not written to brat notes)`);
    return [];
  };
  for (const span of spans) {
    const id = tIds.get(span.id);
    if (id === undefined) continue;
    for (const [name, value] of [
      ["Polarity", span.polarity],
      ["Target", span.target],
    ] as const) {
      if (value && /\s/.test(value)) lose(span, "attribute-with-space", "stance ids with spaces");
      else if (value) lines.push(`${next("A")}\t${name} ${id} ${value}`);
    }
    if (span.entity && !/\s/.test(span.entity)) {
      const entity = dataset.entities.find((e) => e.id === span.entity);
      const name = oneLine(entity?.name ?? span.entity);
      const qid = /^Q\d+$/.test(entity?.externalId ?? "") ? entity?.externalId : undefined;
      if (qid) lines.push(`${next("N")}\tReference ${id} Wikidata:${qid}\t${name}`);
      lines.push(`${next("N")}\tReference ${id} Tagwerk:${span.entity}\t${name}`);
    }
    const holderT = tIds.get(span.holder ?? "");
    if (holderT) lines.push(`${next("R")}\tHolder Arg1:${id} Arg2:${holderT}`);
    const fields = [...field(span, "value", span.value)];
    if (!holderT) fields.push(...field(span, "holder", span.holder));
    if (span.note) {
      const note = oneLine(span.note);
      if (note !== span.note)
        lose(span, "note-line-break", "line breaks in notes (written as spaces)");
      fields.push(fields.length > 0 || NOTE_KEY.test(note) ? `note=${note}` : note);
    }
    if (fields.length > 0) lines.push(`${next("#")}\tAnnotatorNotes ${id}\t${fields.join("; ")}`);
  }
  return { txt: text, ann: lines.map((line) => `${line}\n`).join("") };
}

/** One document converted: its annotator and article, `.txt`, `.ann`, and what its spans are like. */
interface BratPiece {
  id: string;
  annotator: string;
  txt: Chunk;
  ann: Chunk;
  spans: SpanSummary;
}

/** Writes brat standoff: `.txt` + `.ann` per article (in annotator folders when there are several) and the configuration per part. */
export const bratExporter: PieceExporter<BratPiece> = {
  format: "brat",
  description: "brat standoff: .txt + .ann per article, annotation.conf and visual.conf.",
  lossless: false,
  convert(documents, context, _options, tools) {
    return eachDocument(documents, (doc, report) => {
      const { txt, ann } = exportDocument(context, doc, report);
      reportUncarriedAttributes(doc, report, "brat", { attributes: () => SPAN_ATTRIBUTES });
      return {
        id: doc.id,
        annotator: doc.annotator,
        txt: tools.chunk(txt),
        ann: tools.chunk(ann),
        spans: summarise(doc.spans),
      };
    });
  },
  assemble(context, parts, options, report) {
    const all = parts.flatMap((part) => part.converted);
    const spans = mergeSummaries(all.map((item) => item.piece.spans));
    const perAnnotator = new Set(all.map((item) => item.piece.annotator)).size > 1;
    const files: ChunkedFile[] = [];
    for (const part of parts) {
      const conf = annotationConf(context, spans, options.generator);
      files.push({ path: partPath(part, "annotation.conf"), chunks: [conf] });
      files.push({ path: partPath(part, "visual.conf"), chunks: [visualConf(context, spans)] });
      const docs = part.converted.map((item) => {
        const { annotator, id } = item.piece;
        return { item, base: partPath(part, perAnnotator ? `${annotator}/${id}` : id) };
      });
      docs.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
      for (const { item, base } of docs) {
        report.merge(item.report);
        files.push(
          { path: `${base}.txt`, chunks: [item.piece.txt] },
          { path: `${base}.ann`, chunks: [item.piece.ann] },
        );
      }
    }
    report.note("brat has no document level: article metadata (title, source, URL …) is left out.");
    if (perAnnotator) report.note("Each annotator's documents are in a folder named after them.");
    return files;
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(bratExporter, dataset, parts, options, report);
  },
};

interface AnnLine {
  line: number;
  id: string;
  data: string;
  tail: string | undefined;
}

interface TextBound extends AnnLine {
  type: string;
  frags: Array<[number, number]>;
}

function parseAnn(file: ImportFile): AnnLine[] {
  const lines: AnnLine[] = [];
  for (const [index, raw] of decodeUtf8(file, { keepBom: true })
    .split(/\r\n|\n|\r/)
    .entries()) {
    if (raw.trim() === "") continue;
    const [id = "", data = "", ...tail] = raw.split("\t");
    if (!id || raw.indexOf("\t") < 0) {
      const problem = `expected "ID<tab>…", found "${raw.slice(0, 60)}"`;
      throw new DatasetFileError(file.name, problem, index + 1);
    }
    const line = { line: index + 1, id, data, tail: tail.length > 0 ? tail.join("\t") : undefined };
    lines.push(line);
  }
  return lines;
}

function parseTextBound(file: string, line: AnnLine): TextBound {
  const match = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(line.data);
  const fail = (problem: string) => new DatasetFileError(file, `${line.id}: ${problem}`, line.line);
  if (!match?.[1] || !match[2]) throw fail(`expected "TYPE START END", found "${line.data}"`);
  const frags = match[2].split(";").map((p) => p.split(" ").map(Number) as [number, number]);
  for (const [i, [s, e]] of frags.entries())
    if (s > e || s < (frags[i - 1]?.[1] ?? 0)) throw fail(`offsets ${match[2]} are not in order`);
  return { ...line, type: match[1], frags };
}

/** Why `t` does not fit `cps`, or undefined. */
function misfit(cps: string[], t: TextBound): string | undefined {
  const end = t.frags.at(-1)?.[1] ?? 0;
  if (end > cps.length)
    return `${t.id}: offsets reach ${end}, beyond the end of the text (${cps.length} characters)`;
  const ref = t.frags.map(([s, e]) => cps.slice(s, e).join("")).join(" ");
  const tail = t.tail ?? ref;
  if (tail === ref || (tail.startsWith(ref) && /^\s/.test(tail.slice(ref.length)))) return;
  return `${t.id}: text "${tail}" does not match the text at those offsets ("${ref}")`;
}

function parseNotes(text: string): Partial<Record<"value" | "holder" | "note", string>> {
  const out: Partial<Record<"value" | "holder" | "note", string>> = {};
  let rest = text;
  for (let m = FIELD.exec(rest); m; m = FIELD.exec(rest)) {
    out[m[1] as "value" | "holder"] = m[2];
    rest = rest.slice(m[0].length);
  }
  if (rest !== "") out.note = rest.startsWith("note=") ? rest.slice(5) : rest;
  return out;
}

/** The text as brat reads it (LF line ends), or as is when only that fits the offsets. */
function fittingText(raw: string, tbs: TextBound[], ann: string, warnings: string[]): string {
  const variants = raw.includes("\r") ? [normaliseLineEnds(raw).text, raw] : [raw];
  let failure: { problem: string; line: number } | undefined;
  for (const [index, text] of variants.entries()) {
    const cps = Array.from(text);
    const bad = tbs.find((t) => misfit(cps, t));
    if (!bad) {
      if (index > 0) warnings.push(`${ann}: offsets count CR LF as two characters (brat: one)`);
      return text;
    }
    failure ??= { problem: misfit(cps, bad) ?? "", line: bad.line };
  }
  throw new DatasetFileError(ann, failure?.problem ?? "", failure?.line);
}

/** Applies an A, N, #, R … line to the spans; returns what was skipped, if anything. */
function applyLine(l: AnnLine, spans: Map<string, ImportedSpan>, linked: Set<ImportedSpan>) {
  const words = l.data.split(/\s+/);
  const kind = l.id[0] ?? "";
  const target = spans.get((words[1] ?? "").replace(/^Arg1:/, ""));
  if (kind === "A" || kind === "M") {
    if (target && words[0] === "Polarity" && words[2]) target.polarity = words[2];
    else if (target && words[0] === "Target" && words[2]) target.target = words[2];
    else return `attributes (${words[0]})`;
  } else if (kind === "N") {
    const ref = /^\S+ \S+ (\S+?):(\S+)$/.exec(l.data);
    if (target && ref?.[1] === "Tagwerk") target.entity = ref[2];
    else if (target && ref?.[1] === "Wikidata") linked.add(target);
    else return "normalisations other than Tagwerk: and Wikidata: links";
  } else if (kind === "#") {
    if (target && words[0] === "AnnotatorNotes") Object.assign(target, parseNotes(l.tail ?? ""));
    else return `notes (${words[0]})`;
  } else if (kind === "R" && words[0] === "Holder" && target && words[2]?.startsWith("Arg2:")) {
    const holder = words[2].slice(5);
    if (spans.has(holder)) target.holder = holder;
    else return "Holder relations to unknown annotations";
  } else if (kind === "E") return "events";
  else if (kind === "*") return "equivalences";
  else return `relations or other lines (${words[0]})`;
  return undefined;
}

function readPair(txt: ImportFile, ann: ImportFile, types: Set<string>, warnings: string[]) {
  const lines = parseAnn(ann);
  const tbs = lines.filter((l) => l.id.startsWith("T")).map((l) => parseTextBound(ann.name, l));
  let text = fittingText(decodeUtf8(txt, { keepBom: true }), tbs, ann.name, warnings);
  const cps = Array.from(text);
  const skipped = new Map<string, number>();
  const skip = (what: string) => skipped.set(what, (skipped.get(what) ?? 0) + 1);
  const spans = new Map<string, ImportedSpan>();
  const linked = new Set<ImportedSpan>();
  for (const t of tbs) {
    const [start, end] = [t.frags[0]?.[0] ?? 0, t.frags.at(-1)?.[1] ?? 0];
    if (start === end) skip("empty text-bound annotations");
    if (start === end) continue;
    const gaps = t.frags.slice(1).map(([s], i) => cps.slice(t.frags[i]?.[1], s));
    if (gaps.some((gap) => gap.some((c) => !BREAKS.has(c))))
      warnings.push(`${ann.name}:${t.line}: ${t.id} is discontinuous; read as ${start}–${end}`);
    if (types.size > 0 && !types.has(t.type))
      skip(`types missing from annotation.conf (${t.type})`);
    spans.set(t.id, { id: t.id, label: t.type, start, end, text: cps.slice(start, end).join("") });
  }
  for (const l of lines) {
    const what = l.id.startsWith("T") ? undefined : applyLine(l, spans, linked);
    if (what) skip(what);
  }
  for (const span of linked)
    if (!span.entity) skip("Wikidata links without a Tagwerk: registry id");
  for (const [what, count] of skipped) warnings.push(`${ann.name}: ${count} ${what} not imported`);
  let out = [...spans.values()];
  for (const span of out) {
    if (span.polarity || span.target || span.holder) span.kind = "stance";
    else if (span.value) span.kind = "date";
    else if (span.entity) span.kind = "entity";
  }
  if (text.startsWith("\uFEFF")) {
    // brat counts a byte-order mark as a character; the article text does not keep it.
    text = text.slice(1);
    out = out.map((s) => ({ ...s, start: Math.max(0, s.start - 1), end: s.end - 1 }));
    out = out.filter((s) => s.end > s.start);
  }
  const path = ann.name.split(/[\\/]/);
  const folder = path.at(-2);
  const doc: ImportedDocument = { origin: ann.name, text, spans: out };
  doc.id = (path.at(-1) ?? "").replace(/\.ann$/i, "");
  if (folder && !(SPLIT_NAMES as readonly string[]).includes(folder)) doc.annotator = folder;
  return doc;
}

/** The entity types declared in an annotation.conf (`[entities]`, `!` groups included). */
function confTypes(file: ImportFile): Set<string> {
  const types = new Set<string>();
  let section = "";
  for (const line of decodeUtf8(file, { keepBom: true }).split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("[")) section = trimmed;
    else if (section === "[entities]" && trimmed && !trimmed.startsWith("#"))
      types.add(trimmed.replace(/^!/, "").split(/\s/)[0] ?? "");
  }
  return types;
}

/** Reads brat standoff: `.ann` files with the `.txt` of the same name; `annotation.conf` when given. */
export const bratImporter: Importer = {
  format: "brat",
  detect(file) {
    if (CONF.test(file.name)) return true;
    if (!/\.ann$/i.test(file.name)) return false;
    const head = decodeUtf8(
      { name: file.name, data: file.data.subarray(0, 200) },
      { fatal: false, keepBom: true },
    );
    return head.trim() === "" || /^\uFEFF?[TRENAM#*][^\t\s]*\t/.test(head);
  },
  read(files) {
    const pairs = new Map<string, { txt?: ImportFile; ann?: ImportFile }>();
    const warnings: string[] = [];
    let types = new Set<string>();
    for (const file of files) {
      const [, base, ext] = /^(.*)\.(txt|ann)$/i.exec(file.name) ?? [];
      if (base !== undefined && ext) {
        const pair = pairs.get(base) ?? {};
        pair[ext.toLowerCase() as "txt" | "ann"] = file;
        pairs.set(base, pair);
      } else if (CONF.test(file.name)) types = confTypes(file);
      else if (!/(^|[\\/])(visual|tools|kb_shortcuts)\.conf$/i.test(file.name))
        warnings.push(`${file.name}: not a brat file; ignored`);
    }
    const documents: ImportedDocument[] = [];
    for (const key of [...pairs.keys()].sort()) {
      const { txt, ann } = pairs.get(key) ?? {};
      if (ann && !txt) throw new DatasetFileError(ann.name, `no matching .txt file (${key}.txt)`);
      if (txt && !ann) warnings.push(`${txt.name}: no .ann file with it; skipped`);
      if (txt && ann) documents.push(readPair(txt, ann, types, warnings));
    }
    return { documents, warnings };
  },
};
