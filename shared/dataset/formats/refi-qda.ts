/**
 * REFI-QDA project exchange (QDA-XML 1.0, www.qdasoftware.org): one
 * `project.qdpx` per part, a zip with `project.qde` (namespace
 * urn:QDA-XML:project:1.0, valid against Project.xsd) and `sources/<guid>.txt`
 * per article (lowercase `sources`: QualCoder's exporter cites section 8.1 of
 * the standard for it and notes that ATLAS.ti rejects `Sources`; the importer
 * accepts either).
 *
 * Users: one per annotator. Sources: one TextSource per article (name = title);
 * each span is a PlainTextSelection with its annotator as `creatingUser`, coded
 * once. Code system, as MAXQDA users would build it: one code per label; under
 * an entity label one sub-code per registry entity the spans link to; under a
 * stance label one sub-code per target ("(no target)" if needed) with one
 * sub-code per polarity, so a stance span is coded Stance › Ceasefire › In
 * favour. Each code's Description ends in a marker such as
 * `[tagwerk:label=PER kind=entity]` that the importer reads ids back from.
 * Date values, holders and notes are the selection's Description (`Value: …`,
 * `Holder: … [tagwerk:holder=…]`, `Note: …`). Document codes are VariableValues
 * of the TextSource (Text or Float; several choices joined by "; "): a
 * variable value names no annotator, so one value per article is written and
 * disagreeing annotators are reported. Article id, metadata and annotators are
 * lines of the TextSource's Description.
 *
 * Positions. The standard counts characters of the plain text without saying
 * which unit; QualCoder (Python) uses code points, so do we. Line ends are
 * written as LF: QualCoder's importer shows that tools disagree on CR LF (it
 * pads "\n" for Windows files, except for ATLAS.ti, which counts CR LF as one;
 * our importer reads ATLAS.ti's CR LF as one character too).
 * GUIDs are hashes of stable strings, dates come from `exportedAt`, so the same
 * export is byte-identical.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { strFromU8, strToU8, type Unzipped, unzipSync, zipSync } from "fflate";
import { isSafeId, type LabelKind } from "../../project-files";
import { slugify } from "../../text-article";
import type { CodeValue, Dataset, DatasetDocument, DatasetMeta, DatasetSpan } from "../dataset";
import { compareSpans, partPath } from "../dataset";
import type {
  Exporter,
  ImportedDocument,
  ImportedSpan,
  Importer,
  ImportFile,
} from "../format-types";
import { DatasetFileError } from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { normaliseLineEnds } from "./brat";

/** A GUID (8-4-4-4-12 hex, version nibble 8) from a 128-bit hash of `parts`. */
export function stableGuid(...parts: string[]): string {
  const text = parts.join("\u0000");
  let [a, b, c, d] = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    a = b ^ Math.imul(a ^ k, 0x01000193);
    b = c ^ Math.imul(b ^ k, 0x5bd1e995);
    c = d ^ Math.imul(c ^ k, 0x27d4eb2f);
    d = a ^ Math.imul(d ^ k, 0x165667b1);
  }
  const mix = (h: number, s: number) => {
    const x = Math.imul(Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ s, 0xc2b2ae35);
    return ((x ^ (x >>> 13)) >>> 0).toString(16).padStart(8, "0");
  };
  const hex = mix(a, d) + mix(b, a) + mix(c, b) + mix(d, c);
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 3) | 8).toString(16);
  const [p1, p2, p3] = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(13, 16)];
  return `${p1}-${p2}-8${p3}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const MARKER = /\[tagwerk:([^\]]*)\]\s*$/;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const NAMED: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot" };

function marker(fields: Record<string, string>): string {
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `[tagwerk:${pairs.join(" ")}]`;
}

function readMarker(description: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (MARKER.exec(description)?.[1] ?? "").split(" ")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

// Characters XML 1.0 cannot hold: C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for XML 1.0: characters it cannot hold become U+FFFD, markup becomes references. */
function xmlText(text: string, inAttribute = false): string {
  // Characters XML 1.0 cannot hold (controls, U+FFFE/FFFF, lone surrogates) become U+FFFD.
  const safe = text.replace(NOT_XML, "\uFFFD");
  const reference = (ch: string) => `&${NAMED[ch] ?? `#${ch.charCodeAt(0)}`};`;
  return safe.replace(inAttribute ? /[&<>"\r\n\t]/g : /[&<>\r]/g, reference);
}

type Attrs = Record<string, string | undefined>;
interface El {
  tag: string;
  attrs: Attrs;
  body: El[] | string;
}

const el = (tag: string, attrs: Attrs = {}, body: El[] | string = []): El => ({ tag, attrs, body });

function render(e: El, pad = ""): string {
  const attrs = Object.entries(e.attrs).filter((a): a is [string, string] => a[1] !== undefined);
  const open = `${pad}<${e.tag}${attrs.map(([k, v]) => ` ${k}="${xmlText(v, true)}"`).join("")}`;
  if (e.body.length === 0) return `${open}/>`;
  if (typeof e.body === "string") return `${open}>${xmlText(e.body)}</${e.tag}>`;
  return `${open}>\n${e.body.map((c) => render(c, `${pad}  `)).join("\n")}\n${pad}</${e.tag}>`;
}

/** A Description element of the non-empty `lines`, or none. */
function described(...lines: Array<string | false | undefined>): El[] {
  const text = lines.filter(Boolean).join("\n");
  return text ? [el("Description", {}, text)] : [];
}

function sortedUnique(values: Array<string | undefined>, first: string[] = []): string[] {
  const rest = values.filter((v): v is string => v !== undefined && !first.includes(v));
  return [...first, ...[...new Set(rest)].sort()];
}

/** The code system: labels, entity sub-codes, target › polarity sub-codes. */
function codeSystem({ codebook, entities }: Dataset, spans: DatasetSpan[]): El[] {
  type LabelLike = { id: string; kind: string; name: string; color: string; description: string };
  const labels: LabelLike[] = [...codebook.labels];
  for (const id of sortedUnique(spans.map((s) => s.label))) {
    const kind = spans.find((s) => s.label === id)?.kind ?? "entity";
    if (!labels.some((l) => l.id === id))
      labels.push({ id, kind, name: id, color: "#7c3aed", description: "" });
  }
  const named = (list: Array<{ id: string; name: string }>, id: string) =>
    list.find((x) => x.id === id)?.name ?? id;
  return labels.map((label) => {
    const own = spans.filter((s) => s.label === label.id);
    const code = (parts: string[], name: string, about: string[], kids: El[] = []) => {
      const attrs = { guid: stableGuid("code", label.id, ...parts), name, isCodable: "true" };
      return el("Code", { ...attrs, color: label.color }, [...described(...about), ...kids]);
    };
    const kids = sortedUnique(own.map((s) => s.entity || undefined)).map((id) => {
      const entity = entities.find((e) => e.id === id);
      const about = entity?.externalId && `Wikidata: ${entity.externalId}`;
      return code(["entity", id], entity?.name ?? id, [about || "", marker({ entity: id })]);
    });
    const stance = label.kind === "stance";
    if (stance || own.some((s) => s.target || s.polarity)) {
      const [usedPolarities, usedTargets] = [own.map((s) => s.polarity), own.map((s) => s.target)];
      const scale = stance ? codebook.stanceScale.map((p) => p.id) : [];
      const known = stance ? codebook.stanceTargets.map((t) => t.id) : [];
      const polarities = sortedUnique(usedPolarities.filter(Boolean), scale);
      const targets = sortedUnique(usedTargets.filter(Boolean), known);
      if (own.some((s) => s.polarity && !s.target)) targets.push("");
      for (const t of targets) {
        const leaves = polarities.map((p) => {
          const name = named(codebook.stanceScale, p);
          return code(["target", t, "polarity", p], name, [marker({ polarity: p })]);
        });
        const name = t ? named(codebook.stanceTargets, t) : "(no target)";
        kids.push(code(["target", t], name, [marker({ target: t })], leaves));
      }
    }
    return code(
      [],
      label.name,
      [label.description, marker({ label: label.id, kind: label.kind })],
      kids,
    );
  });
}

function codeOf(span: DatasetSpan): string {
  if (span.entity) return stableGuid("code", span.label, "entity", span.entity);
  if (!span.target && !span.polarity) return stableGuid("code", span.label);
  const t = ["code", span.label, "target", span.target ?? ""];
  return span.polarity ? stableGuid(...t, "polarity", span.polarity) : stableGuid(...t);
}

interface Context {
  dataset: Dataset;
  vars: Array<{ id: string; name: string; type: string; description: string }>;
  stamp: (annotator: string) => Attrs;
  report: LossReport;
  texts: Record<string, Uint8Array>;
}

type Plain = { cps: string[]; at: (offset: number) => number };

/** The PlainTextSelections of one document (one coding each). */
function selections(ctx: Context, key: string, doc: DatasetDocument, { cps, at }: Plain): El[] {
  const spans = [...doc.spans].sort(compareSpans);
  const guid = (i: number) => stableGuid("selection", key, doc.annotator, `${i}`);
  const guids = new Map(spans.map((s, i) => [s.id, guid(i)]));
  return spans.flatMap((span) => {
    const [start, end] = [at(span.start), at(span.end)];
    const where = describeSpanForReport(doc, span);
    if (end <= start) {
      ctx.report.add("span-only-line-break", "spans holding only a line-end character", where);
      return [];
    }
    if (span.entity && (span.target || span.polarity))
      ctx.report.add("entity-and-stance", "stance attributes of spans linking an entity", where);
    const guid = guids.get(span.id) ?? "";
    const holder = guids.has(span.holder ?? "")
      ? `holder-selection=${guids.get(span.holder ?? "")}`
      : `holder=${span.holder}`;
    const holderName =
      doc.spans.find((s) => s.id === span.holder)?.text ??
      ctx.dataset.entities.find((e) => e.id === span.holder)?.name ??
      span.holder;
    const quote = cps.slice(start, end);
    const name = quote.length > 80 ? `${quote.slice(0, 79).join("")}…` : quote.join("");
    const coding = el("Coding", { guid: stableGuid("coding", guid), ...ctx.stamp(doc.annotator) }, [
      el("CodeRef", { targetGUID: codeOf(span) }),
    ]);
    const attrs = { guid, name, startPosition: `${start}`, endPosition: `${end}` };
    return el("PlainTextSelection", { ...attrs, ...ctx.stamp(doc.annotator) }, [
      ...described(
        span.value && `Value: ${span.value}`,
        span.holder && `Holder: ${holderName} [tagwerk:${holder}]`,
        span.note && `Note: ${span.note}`,
      ),
      coding,
    ]);
  });
}

function textSource(ctx: Context, key: string, group: DatasetDocument[]): El {
  const [first] = group as [DatasetDocument];
  const guid = stableGuid("source", key);
  const { text, at } = normaliseLineEnds(first.text);
  if (text !== first.text)
    ctx.report.note("Line ends were written as LF; selection positions count the LF text.");
  if (/[\u{10000}-\u{10FFFF}]/u.test(text))
    ctx.report.note(
      "Positions count code points (as QualCoder does); programs counting UTF-16 units (NVivo) place selections after emoji one position early per such character.",
    );
  ctx.texts[`sources/${guid}.txt`] = strToU8(text);
  const cps = Array.from(text);
  const m = first.meta;
  const values: El[] = [];
  for (const v of ctx.vars) {
    const coded = group.filter((d) => d.codes[v.id] !== undefined);
    const value = coded[0]?.codes[v.id];
    if (value === undefined) continue;
    for (const other of coded.slice(1)) {
      const json = JSON.stringify(other.codes[v.id]);
      if (json !== JSON.stringify(value))
        ctx.report.add(
          "document-code-conflict",
          "document codes where annotators disagree (REFI-QDA keeps one value per article: the first annotator's)",
          `${other.id} (${other.annotator}) ${v.id}=${json}`,
        );
    }
    const ref = el("VariableRef", { targetGUID: stableGuid("variable", v.id) });
    if (typeof value === "number" && (!Number.isFinite(value) || /e/i.test(`${value}`)))
      ctx.report.add("number-not-decimal", "numbers REFI-QDA cannot write", `${first.id} ${v.id}`);
    else if (typeof value === "number")
      values.push(el("VariableValue", {}, [ref, el("FloatValue", {}, `${value}`)]));
    else {
      const textValue = Array.isArray(value) ? value.join("; ") : value;
      values.push(el("VariableValue", {}, [ref, el("TextValue", {}, textValue)]));
    }
  }
  const attrs = { guid, name: m.title || first.id, plainTextPath: `internal://${guid}.txt` };
  return el("TextSource", { ...attrs, ...ctx.stamp(first.annotator) }, [
    ...described(
      `Article: ${first.id}`,
      m.source && `Source: ${m.source}`,
      m.url && `URL: ${m.url}`,
      m.date && `Date: ${m.date}`,
      m.language && `Language: ${m.language}`,
      `Annotators: ${group.map((d) => d.annotator).join(", ")}`,
    ),
    ...group.flatMap((doc) => selections(ctx, key, doc, { cps, at })),
    ...values,
  ]);
}

function exportPart(dataset: Dataset, docs: DatasetDocument[], when: Attrs, report: LossReport) {
  const order = (a: DatasetDocument, b: DatasetDocument) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : a.annotator < b.annotator ? -1 : 1;
  const sorted = [...docs].sort(order);
  const user = (name: string) => stableGuid("user", name);
  const vars: Context["vars"] = [...dataset.codebook.documentVariables];
  for (const key of sortedUnique(sorted.flatMap((d) => Object.keys(d.codes)))) {
    const sample = sorted.find((d) => key in d.codes)?.codes[key];
    const type = Array.isArray(sample) ? "multi" : typeof sample === "number" ? "number" : "text";
    if (!vars.some((v) => v.id === key)) vars.push({ id: key, name: key, type, description: "" });
  }
  const stamp = (a: string) => ({ creatingUser: user(a), creationDateTime: when.creationDateTime });
  const ctx: Context = { dataset, vars, stamp, report, texts: {} };
  const sources = new Map<string, DatasetDocument[]>();
  for (const doc of sorted) {
    const same = sources.get(doc.id)?.[0];
    const key = same && same.text !== doc.text ? `${doc.id}\u0000${doc.annotator}` : doc.id;
    if (key !== doc.id) report.note("An annotator whose text of an article differs gets a source.");
    sources.set(key, [...(sources.get(key) ?? []), doc]);
  }
  const users = sortedUnique(sorted.map((d) => d.annotator));
  const spans = sorted.flatMap((d) => d.spans);
  const codes = codeSystem(dataset, spans);
  const variables = vars.map((v) => {
    const attrs = { guid: stableGuid("variable", v.id), name: v.name };
    const typeOfVariable = v.type === "number" ? "Float" : "Text";
    const about = described(v.description, marker({ variable: v.id, type: v.type }));
    return el("Variable", { ...attrs, typeOfVariable }, about);
  });
  const textSources = [...sources].map(([key, group]) => textSource(ctx, key, group));
  const userEls = users.map((a) => el("User", { guid: user(a), name: a, id: a }));
  const project = el("Project", { xmlns: "urn:QDA-XML:project:1.0", name: dataset.projectName }, [
    el("Users", {}, userEls),
    el("CodeBook", {}, codes.length > 0 ? [el("Codes", {}, codes)] : []),
    el("Variables", {}, variables),
    el("Sources", {}, textSources),
  ]);
  project.body = (project.body as El[]).filter((e) => e.body.length > 0);
  Object.assign(project.attrs, when);
  const qde = `<?xml version="1.0" encoding="utf-8"?>\n${render(project)}\n`;
  const mtime = zipTime(when.creationDateTime);
  return zipSync({ "project.qde": strToU8(qde), ...ctx.texts }, { level: 1, mtime });
}

/** `iso` as a Date whose local fields are its UTC fields (zip times are local; exports must not depend on the zone). */
function zipTime(iso: string | undefined): Date {
  const d = new Date(iso ?? "");
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 1980 || year > 2099) return new Date(1980, 0, 1);
  const [month, day, hours] = [d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  return new Date(year, month, day, hours, d.getUTCMinutes(), d.getUTCSeconds());
}

/** Writes one `project.qdpx` per part: project.qde plus the article texts in `sources/`. */
export const refiQdaExporter: Exporter = {
  format: "refi-qda",
  description: "REFI-QDA project (.qdpx) for MAXQDA, NVivo, ATLAS.ti and QualCoder.",
  lossless: false,
  exportParts(dataset, parts, options, report) {
    const when = DATE_TIME.test(options.exportedAt) ? options.exportedAt : undefined;
    const project = { origin: options.generator, creationDateTime: when };
    report.note("Spans are coded selections; entities and stance target › polarity are sub-codes.");
    return parts.map((part) => ({
      path: partPath(part, "project.qdpx"),
      data: exportPart(dataset, part.documents, project, report),
    }));
  },
};

type XNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

const kids = (node: XNode | undefined, name: string): XNode[] => {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XNode[]) : [];
};
const first = (node: XNode | undefined, name: string) => kids(node, name)[0];
const attr = (node: XNode | undefined, name: string): string | undefined => {
  const value = node?.[`@_${name}`];
  return typeof value === "string" ? value : undefined;
};
const textOf = (node: XNode | undefined): string => {
  const value = node?.["#text"];
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
};
const guidKey = (guid: string | undefined) => (guid ?? "").toLowerCase().replace(/[{}]/g, "");
const safeIdFrom = (name: string, fallback: string) =>
  isSafeId(name) ? name : slugify(name, 64) || fallback;

interface CodeInfo {
  name: string;
  parent?: CodeInfo;
  marks: Record<string, string>;
}

const KINDS: readonly string[] = ["entity", "date", "stance"];
const META = { source: "Source", url: "URL", date: "Date", language: "Language" } as const;

/** Label, kind and attributes of a span coded with `code` (markers of the code and its parents). */
function codeFields(code: CodeInfo): ImportedSpan {
  const found: Record<string, string> = {};
  for (let c: CodeInfo | undefined = code; c; c = c.parent)
    for (const [k, v] of Object.entries(c.marks)) found[k] ??= v;
  const { label, kind, entity, target, polarity } = found;
  if (label === undefined) return { label: safeIdFrom(code.name, "code"), start: 0, end: 0 };
  const span: ImportedSpan = { label, start: 0, end: 0 };
  if (KINDS.includes(kind ?? "")) span.kind = kind as LabelKind;
  if (entity) span.entity = entity;
  if (target) span.target = target;
  if (polarity) span.polarity = polarity;
  return span;
}

type Notes = Partial<Record<"value" | "holder" | "ref" | "note", string>>;

/** Value, holder and note from a selection's Description (free text is a note). */
function selectionNotes(text: string): Notes {
  if (!/^(Value|Holder|Note): /.test(text)) return text.trim() ? { note: text } : {};
  const out: Notes = {};
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    const marks = readMarker(line);
    if (line.startsWith("Value: ")) out.value = line.slice(7);
    else if (line.startsWith("Holder: ") && marks["holder-selection"])
      out.ref = guidKey(marks["holder-selection"]);
    else if (line.startsWith("Holder: ")) out.holder = marks.holder ?? line.slice(8);
    else if (line.startsWith("Note: ")) {
      out.note = [line.slice(6), ...lines.slice(i + 1)].join("\n");
      break;
    }
  }
  return out;
}

interface Reader {
  where: string;
  xml: string;
  origin: string;
  users: Map<string, string>;
  codes: Map<string, CodeInfo>;
  variables: Map<string, { id: string; type?: string }>;
  file: (name: string) => Uint8Array | undefined;
  warnings: string[];
}

function sourceText(r: Reader, s: XNode, name: string): string | undefined {
  const path = attr(s, "plainTextPath");
  if (first(s, "PlainTextContent")) return textOf(first(s, "PlainTextContent"));
  if (!path?.startsWith("internal://")) {
    r.warnings.push(`${r.where}: source "${name}" has its text at ${path}; not imported`);
    return undefined;
  }
  const data = r.file(path.slice(11));
  if (!data) throw fail(r, `source "${name}": ${path} is not in the archive`, path);
  const text = strFromU8(data).replace(/^\uFEFF/, "");
  if (!text.includes("\r") || !/atlas/i.test(r.origin)) return text;
  r.warnings.push(`${r.where}: "${name}": CR LF read as one character, as ${r.origin} counts it`);
  return normaliseLineEnds(text).text;
}

function fail(r: Reader, problem: string, near: string): DatasetFileError {
  const at = near ? r.xml.indexOf(near) : -1;
  const line = at < 0 ? undefined : r.xml.slice(0, at).split("\n").length;
  return new DatasetFileError(r.where, problem, line);
}

/** The documents of one TextSource: one per annotator (selection users and the listed annotators). */
function readSource(r: Reader, s: XNode): ImportedDocument[] {
  const name = attr(s, "name") ?? "";
  const text = sourceText(r, s, name);
  if (text === undefined) return [];
  const cps = Array.from(text);
  const lines = textOf(first(s, "Description")).split("\n");
  const about = new Map(
    lines.map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
  );
  const meta: Partial<DatasetMeta> = { title: name };
  for (const [key, line] of Object.entries(META) as Array<[keyof typeof META, string]>)
    if (about.get(line)) meta[key] = about.get(line);
  const docs = new Map<string, ImportedDocument>();
  const docFor = (annotator: string | undefined): ImportedDocument => {
    const made = docs.get(annotator ?? "");
    if (made) return made;
    const origin = `${r.where}: ${name}${annotator ? ` (${annotator})` : ""}`;
    const doc: ImportedDocument = { origin, text, meta, spans: [] };
    if (about.get("Article")) doc.id = about.get("Article");
    if (annotator) doc.annotator = annotator;
    docs.set(annotator ?? "", doc);
    return doc;
  };
  for (const a of (about.get("Annotators") ?? "").split(", ").filter(Boolean)) docFor(a);
  const holders: Array<[ImportedSpan, string]> = [];
  let skipped = 0;
  for (const sel of kids(s, "PlainTextSelection")) {
    const [guid, from, to] = ["guid", "startPosition", "endPosition"].map((k) => attr(sel, k));
    const [start, end] = [Number(from), Number(to)];
    if (![start, end].every(Number.isInteger) || start < 0 || start > end || end > cps.length) {
      const problem = `selection ${guid} (${from}–${to}) is outside the text of "${name}"`;
      throw fail(r, `${problem} (${cps.length} characters)`, `${guid}`);
    }
    const user = attr(sel, "creatingUser") ?? attr(sel, "modifyingUser") ?? attr(s, "creatingUser");
    const { ref, ...notes } = selectionNotes(textOf(first(sel, "Description")));
    const refs = kids(sel, "Coding").map((c) => attr(first(c, "CodeRef"), "targetGUID"));
    const codes = refs.map((g) => r.codes.get(guidKey(g)));
    if (start === end || codes.length === 0 || !codes.every(Boolean)) skipped++;
    for (const [i, code] of codes.entries()) {
      if (!code || start === end) continue;
      const id = `${guidKey(guid)}${i > 0 ? `-${i + 1}` : ""}`;
      const span: ImportedSpan = { ...codeFields(code), ...notes, start, end };
      if (isSafeId(id)) span.id = id;
      span.text = cps.slice(start, end).join("");
      if (ref) holders.push([span, ref]);
      docFor(r.users.get(guidKey(user)) || undefined).spans.push(span);
    }
  }
  for (const [span, ref] of holders) span.holder = ref;
  if (skipped > 0) r.warnings.push(`${r.where}: "${name}": ${skipped} selection(s) without a code`);
  if (kids(s, "Coding").length > 0) r.warnings.push(`${r.where}: codes of all "${name}" skipped`);
  const values: Record<string, CodeValue> = {};
  for (const vv of kids(s, "VariableValue")) {
    const variable = r.variables.get(guidKey(attr(first(vv, "VariableRef"), "targetGUID")));
    const number = first(vv, "FloatValue") ?? first(vv, "IntegerValue");
    const kinds = ["TextValue", "BooleanValue", "DateValue", "DateTimeValue"];
    const value = kinds.map((k) => first(vv, k)).find(Boolean);
    if (!variable) continue;
    if (number) values[variable.id] = Number(textOf(number));
    else if (value && variable.type === "multi")
      values[variable.id] = textOf(value).split("; ").filter(Boolean);
    else if (value) values[variable.id] = textOf(value);
  }
  if (docs.size === 0) docFor(undefined);
  for (const doc of docs.values()) if (Object.keys(values).length > 0) doc.codes = { ...values };
  return [...docs.values()];
}

function readProject(where: string, raw: string, file: Reader["file"], warnings: string[]) {
  const xml = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new DatasetFileError(where, `is not well-formed XML: ${valid.err.msg}`, valid.err.line);
  const project = first(parser.parse(xml) as XNode, "Project");
  if (!project) throw new DatasetFileError(where, "has no <Project> element");
  const users = new Map<string, string>();
  for (const u of kids(first(project, "Users"), "User"))
    users.set(guidKey(attr(u, "guid")), attr(u, "name") ?? attr(u, "id") ?? "");
  const codes = new Map<string, CodeInfo>();
  const walk = (node: XNode | undefined, parent?: CodeInfo) => {
    for (const c of kids(node, "Code")) {
      const marks = readMarker(textOf(first(c, "Description")));
      const info: CodeInfo = { name: attr(c, "name") ?? "", marks };
      if (parent) info.parent = parent;
      codes.set(guidKey(attr(c, "guid")), info);
      walk(c, info);
    }
  };
  walk(first(first(project, "CodeBook"), "Codes"));
  const variables: Reader["variables"] = new Map();
  for (const v of kids(first(project, "Variables"), "Variable")) {
    const marks = readMarker(textOf(first(v, "Description")));
    const id = marks.variable ?? safeIdFrom(attr(v, "name") ?? "", "variable");
    variables.set(guidKey(attr(v, "guid")), { id, ...(marks.type ? { type: marks.type } : {}) });
  }
  const origin = attr(project, "origin") ?? "";
  const r: Reader = { where, xml, origin, users, codes, variables, file, warnings };
  const sources = first(project, "Sources");
  const other: Array<[XNode | undefined, string]> = [];
  for (const n of ["Cases", "Notes", "Links", "Sets", "Graphs"]) other.push([project, n]);
  for (const n of ["PictureSource", "PDFSource", "AudioSource", "VideoSource"])
    other.push([sources, n]);
  for (const [node, n] of other)
    if (kids(node, n).length > 0)
      warnings.push(`${where}: ${kids(node, n).length} ${n} not imported`);
  return kids(sources, "TextSource").flatMap((s) => readSource(r, s));
}

function readArchive(file: ImportFile, warnings: string[]): ImportedDocument[] {
  let entries: Unzipped;
  try {
    entries = unzipSync(file.data);
  } catch (error) {
    throw new DatasetFileError(file.name, `is not a zip archive (${(error as Error).message})`);
  }
  const names = Object.keys(entries);
  const qde =
    names.find((n) => n.toLowerCase() === "project.qde") ??
    names.find((n) => /^[^/]+\.qde$/i.test(n));
  const data = entries[qde ?? ""];
  if (!data) throw new DatasetFileError(file.name, "holds no project.qde");
  const source = (name: string) => {
    const wanted = [`sources/${name}`.toLowerCase(), name.toLowerCase()];
    return entries[names.find((n) => wanted.includes(n.toLowerCase())) ?? ""];
  };
  return readProject(`${file.name}/${qde}`, strFromU8(data), source, warnings);
}

/** Reads REFI-QDA projects: `.qdpx` archives (or a bare `.qde` whose sources hold their text). */
export const refiQdaImporter: Importer = {
  format: "refi-qda",
  detect(file) {
    if (/\.qde$/i.test(file.name)) return true;
    return /\.qdpx$/i.test(file.name) && file.data[0] === 0x50 && file.data[1] === 0x4b;
  },
  read(files) {
    const warnings: string[] = [];
    const documents = files.flatMap((file) =>
      /\.qde$/i.test(file.name)
        ? readProject(file.name, strFromU8(file.data), () => undefined, warnings)
        : readArchive(file, warnings),
    );
    return { documents, warnings };
  },
};
