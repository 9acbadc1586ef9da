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
 * universal newlines (nlplab/brat server/src/annotation.py), checks every
 * `T` line against `self._document_text[start:end]` and rejects
 * `end > len(self._document_text)`: offsets are code points of the decoded
 * text in which CR LF and lone CR have become one LF. Python 3 tools reading
 * with `open()` see the same. So the `.txt` is written with LF line ends and
 * the offsets are mapped to it: every reader then agrees.
 *
 * Line breaks inside spans. A `.ann` line cannot hold one, and brat itself
 * (`__create_span` in server/src/annotator.py) splits a new span at newlines
 * and tabs into discontinuous fragments `start end;start end` whose texts are
 * joined by one space (`DISCONT_SEP`). The exporter does the same (at every
 * character Python's `splitlines` breaks at, and tabs); the importer joins
 * fragments separated only by such breaks back into one span, and imports
 * other discontinuous annotations as one span over the covering range, with a
 * warning.
 *
 * Attributes. `A Polarity T5 favour`, `A Target T5 ceasefire`; registry links
 * as `N … Reference T3 Tagwerk:<entity id>` (and `Wikidata:<QID>` before it when
 * the entity has one); a holder that is a span of the same document as
 * `R … Holder Arg1:T5 Arg2:T3`; date values, other holders and notes as one
 * `#` AnnotatorNotes line: `value=2026-01-03; holder=<id>; note=<text>` (a note
 * alone is written as is). brat has no document level: document codes and
 * article metadata are reported, not written.
 */
import {
  compareSpans,
  type Dataset,
  type DatasetDocument,
  type ExportFile,
  partPath,
} from "../dataset";
import {
  DatasetFileError,
  type Exporter,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type ImportFile,
} from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { SPLIT_NAMES } from "../splits";
import { reportUncarriedAttributes, SPAN_ATTRIBUTES } from "./uncarried";

// shared/ compiles without the DOM library; TextDecoder is in every runtime it targets.
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(data: Uint8Array): string };

/** Characters brat cannot keep inside a `.ann` line: Python's `splitlines` breaks and tabs. */
const BREAKS = new Set([
  "\t",
  "\n",
  "\v",
  "\f",
  "\r",
  "\x1c",
  "\x1d",
  "\x1e",
  "\x85",
  "\u2028",
  "\u2029",
]);
const NOTE_KEY = /^(value|holder|note)=/;

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

function oneLine(text: string): string {
  return Array.from(text, (c) => (BREAKS.has(c) ? " " : c)).join("");
}

interface ConfLabel {
  id: string;
  kind: string;
  name: string;
  color?: string;
}

/** Codebook labels, then labels the spans use that the codebook lacks (sorted). */
function confLabels(dataset: Dataset, docs: DatasetDocument[]): ConfLabel[] {
  const labels: ConfLabel[] = dataset.codebook.labels.map((l) => ({ ...l }));
  const extra = new Map<string, string>();
  for (const doc of docs)
    for (const span of doc.spans)
      if (!labels.some((l) => l.id === span.label)) extra.set(span.label, span.kind);
  for (const [id, kind] of [...extra].sort(([a], [b]) => (a < b ? -1 : 1)))
    labels.push({ id, kind, name: id });
  return labels;
}

function annotationConf(dataset: Dataset, docs: DatasetDocument[], generator: string): string {
  const labels = confLabels(dataset, docs);
  const stance = labels.filter((l) => l.kind === "stance").map((l) => l.id);
  const values = (known: string[], key: "polarity" | "target"): string[] => {
    const used = docs
      .flatMap((d) => d.spans.map((s) => s[key] ?? ""))
      .filter((v) => v && !/\s/.test(v));
    return [...known, ...[...new Set(used)].filter((v) => !known.includes(v)).sort()];
  };
  const args = (key: "polarity" | "target"): string => {
    const used = docs.flatMap((d) => d.spans.filter((s) => s[key]).map((s) => s.label));
    return [...new Set([...stance, ...used])].join("|");
  };
  const lines = [
    `# brat configuration written by ${generator} from the codebook of "${oneLine(dataset.projectName)}".`,
    "[entities]",
    ...labels.map((l) => l.id),
    "",
    "[relations]",
    ...(stance.length > 0 ? [`Holder\tArg1:${stance.join("|")}, Arg2:<ENTITY>`] : []),
    "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    "",
    "[events]",
    "",
    "[attributes]",
  ];
  const polarity = values(
    dataset.codebook.stanceScale.map((p) => p.id),
    "polarity",
  );
  const target = values(
    dataset.codebook.stanceTargets.map((t) => t.id),
    "target",
  );
  if (polarity.length > 0 && args("polarity"))
    lines.push(`Polarity\tArg:${args("polarity")}, Value:${polarity.join("|")}`);
  if (target.length > 0 && args("target"))
    lines.push(`Target\tArg:${args("target")}, Value:${target.join("|")}`);
  return `${lines.join("\n")}\n`;
}

function visualConf(dataset: Dataset, docs: DatasetDocument[]): string {
  const labels = confLabels(dataset, docs);
  const label = (id: string, name: string) => `${id} | ${oneLine(name).replace(/\|/g, "/")}`;
  return `${[
    "[labels]",
    ...labels.map((l) => label(l.id, l.name)),
    label("Holder", "Holder"),
    label("Polarity", "Polarity"),
    label("Target", "Stance target"),
    "",
    "[drawing]",
    ...labels.filter((l) => l.color).map((l) => `${l.id}\tbgColor:${l.color}`),
    "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
    "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
    "ATTRIBUTE_DEFAULT\tglyph:*",
  ].join("\n")}\n`;
}

/** The `.txt` and `.ann` of one document. */
function exportDocument(
  dataset: Dataset,
  doc: DatasetDocument,
  report: LossReport,
): { txt: string; ann: string } {
  const { text, at } = normaliseLineEnds(doc.text);
  if (text !== doc.text)
    report.note(
      "Line ends were written as LF: brat reads texts with universal newlines, and the offsets count the LF text.",
    );
  const cps = Array.from(text);
  const slice = ([s, e]: [number, number]) => cps.slice(s, e).join("");
  const spans = [...doc.spans].sort(compareSpans);
  const tIds = new Map<string, string>();
  const tLines: string[] = [];
  for (const span of spans) {
    const [start, end] = [at(span.start), at(span.end)];
    const frags = fragments(cps, start, end);
    const where = describeSpanForReport(doc, span);
    if (frags.length === 0) {
      report.add(
        "span-only-line-breaks",
        "spans holding only line breaks (brat cannot mark them)",
        where,
      );
      continue;
    }
    if (frags[0]?.[0] !== start || frags[frags.length - 1]?.[1] !== end)
      report.add(
        "span-edge-line-break",
        "spans starting or ending with a line break (narrowed)",
        where,
      );
    if (frags.length > 1)
      report.note(
        "Spans over line breaks are written as discontinuous fragments split at the breaks, as brat does; the importer joins them again.",
      );
    const id = `T${tLines.length + 1}`;
    tIds.set(span.id, id);
    const offsets = frags.map(([s, e]) => `${s} ${e}`).join(";");
    tLines.push(`${id}\t${span.label} ${offsets}\t${frags.map(slice).join(" ")}`);
  }
  const more: string[] = [];
  const count = { A: 0, N: 0, R: 0, "#": 0 };
  const next = (kind: keyof typeof count) => `${kind}${++count[kind]}`;
  const field = (key: string, value: string, span: (typeof spans)[number]): string[] => {
    if (!/[;\s]/.test(value)) return [`${key}=${value}`];
    report.add(
      `${key}-not-written`,
      `${key}s with spaces or ";" (brat notes cannot hold them)`,
      describeSpanForReport(doc, span),
    );
    return [];
  };
  for (const span of spans) {
    const id = tIds.get(span.id);
    if (id === undefined) continue;
    for (const [name, value] of [
      ["Polarity", span.polarity],
      ["Target", span.target],
    ] as const) {
      if (!value) continue;
      if (/\s/.test(value))
        report.add(
          "attribute-with-space",
          "stance values with spaces (brat attribute values cannot hold them)",
          describeSpanForReport(doc, span),
        );
      else more.push(`${next("A")}\t${name} ${id} ${value}`);
    }
    if (span.entity && !/\s/.test(span.entity)) {
      const entity = dataset.entities.find((e) => e.id === span.entity);
      const name = oneLine(entity?.name ?? span.entity);
      const external = entity?.externalId ?? "";
      if (/^Q\d+$/.test(external))
        more.push(`${next("N")}\tReference ${id} Wikidata:${external}\t${name}`);
      more.push(`${next("N")}\tReference ${id} Tagwerk:${span.entity}\t${name}`);
    }
    const holderT = span.holder ? tIds.get(span.holder) : undefined;
    if (holderT) more.push(`${next("R")}\tHolder Arg1:${id} Arg2:${holderT}`);
    const fields = [
      ...(span.value ? field("value", span.value, span) : []),
      ...(span.holder && !holderT ? field("holder", span.holder, span) : []),
    ];
    if (span.note) {
      const note = oneLine(span.note);
      if (note !== span.note)
        report.add(
          "note-line-break",
          "line breaks in notes (written as spaces)",
          describeSpanForReport(doc, span),
        );
      fields.push(fields.length > 0 || NOTE_KEY.test(note) ? `note=${note}` : note);
    }
    if (fields.length > 0) more.push(`${next("#")}\tAnnotatorNotes ${id}\t${fields.join("; ")}`);
  }
  const lines = [...tLines, ...more];
  return { txt: text, ann: lines.length > 0 ? `${lines.join("\n")}\n` : "" };
}

/** Writes brat standoff: `.txt` + `.ann` per article (per annotator folder when there are several) and the two configuration files per part. */
export const bratExporter: Exporter = {
  format: "brat",
  description: "brat standoff: .txt + .ann per article, annotation.conf and visual.conf.",
  lossless: false,
  exportParts(dataset, parts, options, report) {
    const all = parts.flatMap((p) => p.documents);
    const perAnnotator = new Set(all.map((d) => d.annotator)).size > 1;
    const files: ExportFile[] = [];
    for (const part of parts) {
      files.push({
        path: partPath(part, "annotation.conf"),
        data: annotationConf(dataset, all, options.generator),
      });
      files.push({ path: partPath(part, "visual.conf"), data: visualConf(dataset, all) });
      const docs = part.documents.map((doc) => ({
        doc,
        base: partPath(part, perAnnotator ? `${doc.annotator}/${doc.id}` : doc.id),
      }));
      docs.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
      for (const { doc, base } of docs) {
        const { txt, ann } = exportDocument(dataset, doc, report);
        files.push({ path: `${base}.txt`, data: txt }, { path: `${base}.ann`, data: ann });
        reportUncarriedAttributes(doc, report, "brat", { attributes: () => SPAN_ATTRIBUTES });
      }
    }
    report.note(
      "brat has no document level: article metadata (title, source, URL, date) is not written.",
    );
    if (perAnnotator)
      report.note("Each annotator's documents are in a folder named after the annotator.");
    return files;
  },
};

function decode(file: ImportFile): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(file.data);
  } catch {
    throw new DatasetFileError(file.name, "is not valid UTF-8");
  }
}

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
  for (const [index, raw] of decode(file)
    .split(/\r\n|\n|\r/)
    .entries()) {
    if (raw.trim() === "") continue;
    const tab = raw.indexOf("\t");
    if (tab <= 0)
      throw new DatasetFileError(
        file.name,
        `expected "ID<tab>…", found "${raw.slice(0, 60)}"`,
        index + 1,
      );
    const rest = raw.slice(tab + 1);
    const tab2 = rest.indexOf("\t");
    lines.push({
      line: index + 1,
      id: raw.slice(0, tab),
      data: tab2 < 0 ? rest : rest.slice(0, tab2),
      tail: tab2 < 0 ? undefined : rest.slice(tab2 + 1),
    });
  }
  return lines;
}

function parseTextBound(file: string, line: AnnLine): TextBound {
  const match = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(line.data);
  if (!match?.[1] || !match[2])
    throw new DatasetFileError(
      file,
      `${line.id}: expected "TYPE START END", found "${line.data}"`,
      line.line,
    );
  const frags = match[2].split(";").map((pair) => pair.split(" ").map(Number) as [number, number]);
  for (const [i, [s, e]] of frags.entries())
    if (s > e || (i > 0 && s < (frags[i - 1]?.[1] ?? 0)))
      throw new DatasetFileError(
        file,
        `${line.id}: offsets ${match[2]} are not in order`,
        line.line,
      );
  return { ...line, type: match[1], frags };
}

/** Why `t` does not fit `cps`, or undefined. */
function misfit(cps: string[], t: TextBound): string | undefined {
  const end = t.frags[t.frags.length - 1]?.[1] ?? 0;
  if (end > cps.length)
    return `${t.id}: offsets reach ${end}, beyond the end of the text (${cps.length} characters)`;
  const ref = t.frags.map(([s, e]) => cps.slice(s, e).join("")).join(" ");
  const fits = t.tail === ref || (t.tail?.startsWith(ref) && /^\s/.test(t.tail.slice(ref.length)));
  if (t.tail !== undefined && !fits)
    return `${t.id}: text "${t.tail}" does not match the text at those offsets ("${ref}")`;
  return undefined;
}

function parseNotes(text: string): { value?: string; holder?: string; note?: string } {
  const out: { value?: string; holder?: string; note?: string } = {};
  let rest = text;
  for (
    let m = /^(value|holder)=([^;]*)(?:; |$)/.exec(rest);
    m;
    m = /^(value|holder)=([^;]*)(?:; |$)/.exec(rest)
  ) {
    out[m[1] as "value" | "holder"] = m[2];
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith("note=")) out.note = rest.slice(5);
  else if (rest !== "") out.note = rest;
  return out;
}

function readPair(
  txt: ImportFile,
  ann: ImportFile,
  types: Set<string>,
  warnings: string[],
): ImportedDocument {
  const raw = decode(txt);
  const lines = parseAnn(ann);
  const tbs = lines.filter((l) => l.id.startsWith("T")).map((l) => parseTextBound(ann.name, l));
  const variants = raw.includes("\r") ? [normaliseLineEnds(raw).text, raw] : [raw];
  let text = "";
  let cps: string[] = [];
  let failure: { problem: string; line: number } | undefined;
  for (const [index, variant] of variants.entries()) {
    const vcps = Array.from(variant);
    const bad = tbs.map((t) => ({ problem: misfit(vcps, t), line: t.line })).find((f) => f.problem);
    if (!bad) {
      [text, cps, failure] = [variant, vcps, undefined];
      if (index > 0)
        warnings.push(
          `${ann.name}: offsets count CR LF as two characters (not as brat reads the text)`,
        );
      break;
    }
    failure ??= { problem: bad.problem ?? "", line: bad.line };
  }
  if (failure) throw new DatasetFileError(ann.name, failure.problem, failure.line);
  const skipped = new Map<string, number>();
  const skip = (what: string) => skipped.set(what, (skipped.get(what) ?? 0) + 1);
  const spans = new Map<string, ImportedSpan>();
  const linked = new Set<ImportedSpan>();
  for (const t of tbs) {
    const start = t.frags[0]?.[0] ?? 0;
    const end = t.frags[t.frags.length - 1]?.[1] ?? 0;
    if (start === end) {
      skip("empty text-bound annotations");
      continue;
    }
    const gaps = t.frags.slice(1).map(([s], i) => cps.slice(t.frags[i]?.[1], s));
    if (gaps.some((gap) => gap.some((c) => !BREAKS.has(c))))
      warnings.push(
        `${ann.name}:${t.line}: ${t.id} is discontinuous; imported as one span over ${start}–${end}`,
      );
    if (types.size > 0 && !types.has(t.type))
      skip(`annotations of types missing from annotation.conf (${t.type})`);
    spans.set(t.id, { id: t.id, label: t.type, start, end, text: cps.slice(start, end).join("") });
  }
  for (const l of lines) {
    if (l.id.startsWith("T")) continue;
    const words = l.data.split(/\s+/);
    const prefix = l.id[0] ?? "";
    const target = spans.get(
      prefix === "R" ? (words[1] ?? "").replace(/^Arg1:/, "") : (words[1] ?? ""),
    );
    if (prefix === "A" || prefix === "M") {
      if (target && words[0] === "Polarity" && words[2]) target.polarity = words[2];
      else if (target && words[0] === "Target" && words[2]) target.target = words[2];
      else skip(`attributes (${words[0]})`);
    } else if (prefix === "N") {
      const ref = /^\S+ \S+ (\S+?):(\S+)$/.exec(l.data);
      if (target && ref?.[1] === "Tagwerk") target.entity = ref[2];
      else if (target && ref?.[1] === "Wikidata") linked.add(target);
      else skip("normalisations other than Tagwerk: and Wikidata: links");
    } else if (prefix === "#") {
      if (target && words[0] === "AnnotatorNotes") Object.assign(target, parseNotes(l.tail ?? ""));
      else skip(`notes (${words[0]})`);
    } else if (prefix === "R" && words[0] === "Holder" && target && /^Arg2:/.test(words[2] ?? "")) {
      const holder = (words[2] ?? "").slice(5);
      if (spans.has(holder)) target.holder = holder;
      else skip("Holder relations to unknown annotations");
    } else
      skip(
        prefix === "E"
          ? "events"
          : prefix === "*"
            ? "equivalences"
            : `relations or other lines (${words[0]})`,
      );
  }
  for (const span of linked)
    if (!span.entity) skip("Wikidata links without a Tagwerk: registry id");
  for (const [what, count] of skipped) warnings.push(`${ann.name}: ${count} ${what} not imported`);
  for (const span of spans.values()) {
    span.kind =
      span.polarity || span.target || span.holder
        ? "stance"
        : span.value
          ? "date"
          : span.entity
            ? "entity"
            : undefined;
    if (span.kind === undefined) delete span.kind;
  }
  let out = [...spans.values()];
  if (text.startsWith("\uFEFF")) {
    // brat counts a byte-order mark as a character; the article text does not keep it.
    text = text.slice(1);
    out = out
      .map((s) => ({ ...s, start: Math.max(0, s.start - 1), end: s.end - 1 }))
      .filter((s) => s.end > s.start);
  }
  const parts = ann.name.split(/[\\/]/);
  const folder = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const base = (parts[parts.length - 1] ?? "").replace(/\.ann$/i, "");
  return {
    origin: ann.name,
    text,
    id: base,
    ...(folder && !(SPLIT_NAMES as readonly string[]).includes(folder)
      ? { annotator: folder }
      : {}),
    spans: out,
  };
}

/** The entity types declared in an annotation.conf (`[entities]`, `!` groups included). */
function confTypes(file: ImportFile): Set<string> {
  const types = new Set<string>();
  let section = "";
  for (const line of decode(file).split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("[")) section = trimmed;
    else if (section === "[entities]" && trimmed && !trimmed.startsWith("#"))
      types.add(trimmed.replace(/^!/, "").split(/\s/)[0] ?? "");
  }
  return types;
}

/** Reads brat standoff: `.ann` files paired with the `.txt` of the same name; `annotation.conf` when given. */
export const bratImporter: Importer = {
  format: "brat",
  detect(file) {
    if (/(^|[\\/])annotation\.conf$/i.test(file.name)) return true;
    if (!/\.ann$/i.test(file.name)) return false;
    const head = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(
      file.data.subarray(0, 200),
    );
    return head.trim() === "" || /^[TRENAM#*][^\t\s]*\t/.test(head);
  },
  read(files) {
    const pairs = new Map<string, { txt?: ImportFile; ann?: ImportFile }>();
    const warnings: string[] = [];
    let types = new Set<string>();
    for (const file of files) {
      const match = /^(.*)\.(txt|ann)$/i.exec(file.name);
      if (match?.[1] !== undefined && match[2]) {
        const pair = pairs.get(match[1]) ?? {};
        pair[match[2].toLowerCase() as "txt" | "ann"] = file;
        pairs.set(match[1], pair);
      } else if (/(^|[\\/])annotation\.conf$/i.test(file.name)) types = confTypes(file);
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
