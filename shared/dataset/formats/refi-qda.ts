/**
 * REFI-QDA project exchange (QDA-XML 1.0): reading `.qdpx` archives and bare
 * `.qde` files back into documents. The format and how Tagwerk writes it are
 * described in refi-qda-export.ts.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { strFromU8, type Unzipped, unzipSync } from "fflate";
import { isSafeId, type LabelKind } from "../../project-files";
import { slugify } from "../../text-article";
import type { CodeValue, DatasetMeta } from "../dataset";
import type { ImportedDocument, ImportedSpan, Importer, ImportFile } from "../format-types";
import { DatasetFileError } from "../format-types";
import { normaliseLineEnds } from "./brat";

export { refiQdaExporter } from "./refi-qda-export";
export { stableGuid } from "./refi-qda-xml";

const MARKER = /\[tagwerk:([^\]]*)\]\s*$/;

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
