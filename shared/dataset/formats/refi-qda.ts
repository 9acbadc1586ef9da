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
 * pads "\n" for Windows files, except for ATLAS.ti, which counts CR LF as one).
 * GUIDs are hashes of stable strings, dates come from `exportedAt`, so the same
 * export is byte-identical.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { strFromU8, strToU8, type Unzipped, unzipSync, zipSync } from "fflate";
import { isSafeId, type LabelKind } from "../../project-files";
import { slugify } from "../../text-article";
import {
  type CodeValue,
  compareSpans,
  type Dataset,
  type DatasetDocument,
  type DatasetMeta,
  type DatasetSpan,
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
import { normaliseLineEnds } from "./brat";

/** A GUID (8-4-4-4-12 hex, version nibble 8) from a 128-bit hash of `parts`: the same parts give the same GUID. */
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
    let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ s;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
  const hex = [mix(a, d), mix(b, a), mix(c, b), mix(d, c)]
    .map((h) => h.toString(16).padStart(8, "0"))
    .join("");
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const MARKER = /\[tagwerk:([^\]]*)\]\s*$/;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

function marker(fields: Record<string, string>): string {
  return `[tagwerk:${Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join(" ")}]`;
}

function readMarker(description: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (MARKER.exec(description)?.[1] ?? "").split(" ")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    try {
      out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}

/** Text made safe for XML 1.0: characters XML cannot hold become U+FFFD, markup characters references. */
function xml(text: string, inAttribute = false): string {
  const safe = Array.from(text, (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    const bad =
      (c < 0x20 && c !== 9 && c !== 10 && c !== 13) ||
      c === 0xfffe ||
      c === 0xffff ||
      (c >= 0xd800 && c <= 0xdfff);
    return bad ? "\uFFFD" : ch;
  }).join("");
  const refs: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\r": "&#13;",
    "\n": "&#10;",
    "\t": "&#9;",
  };
  return safe.replace(inAttribute ? /[&<>"\r\n\t]/g : /[&<>\r]/g, (ch) => refs[ch] ?? ch);
}

function element(
  name: string,
  attrs: Record<string, string | undefined>,
  children: string[] | string | undefined,
  indent: string,
): string {
  const list = Object.entries(attrs).filter((e): e is [string, string] => e[1] !== undefined);
  const open = `${indent}<${name}${list.map(([k, v]) => ` ${k}="${xml(v, true)}"`).join("")}`;
  if (children === undefined || children.length === 0) return `${open}/>`;
  if (typeof children === "string") return `${open}>${xml(children)}</${name}>`;
  return `${open}>\n${children.join("\n")}\n${indent}</${name}>`;
}

interface CodeNode {
  guid: string;
  name: string;
  color: string;
  description: string;
  children: CodeNode[];
}

function sortedUnique(values: Array<string | undefined>, first: string[] = []): string[] {
  const rest = [
    ...new Set(values.filter((v): v is string => v !== undefined && !first.includes(v))),
  ].sort();
  return [...first, ...rest];
}

/** The code system: labels, entity sub-codes, target › polarity sub-codes. */
function codeSystem(dataset: Dataset, docs: DatasetDocument[]): CodeNode[] {
  const { codebook } = dataset;
  const spans = docs.flatMap((d) => d.spans);
  const labels = codebook.labels.map((l) => ({
    id: l.id,
    kind: l.kind as string,
    name: l.name,
    color: l.color,
    description: l.description,
  }));
  for (const id of sortedUnique(spans.map((s) => s.label)))
    if (!labels.some((l) => l.id === id))
      labels.push({
        id,
        kind: spans.find((s) => s.label === id)?.kind ?? "entity",
        name: id,
        color: "#7c3aed",
        description: "",
      });
  const node = (
    parts: string[],
    name: string,
    color: string,
    description: string,
    fields: Record<string, string>,
  ): CodeNode => ({
    guid: stableGuid("code", ...parts),
    name,
    color,
    description: [description, marker(fields)].filter(Boolean).join("\n"),
    children: [],
  });
  return labels.map((label) => {
    const own = spans.filter((s) => s.label === label.id);
    const root = node([label.id], label.name, label.color, label.description, {
      label: label.id,
      kind: label.kind,
    });
    for (const id of sortedUnique(own.map((s) => s.entity || undefined))) {
      const entity = dataset.entities.find((e) => e.id === id);
      const ext = entity?.externalId ? `Wikidata: ${entity.externalId}` : "";
      root.children.push(
        node([label.id, "entity", id], entity?.name ?? id, label.color, ext, { entity: id }),
      );
    }
    const stance = label.kind === "stance";
    if (!stance && !own.some((s) => s.target || s.polarity)) return root;
    const polarities = sortedUnique(
      own.map((s) => s.polarity || undefined),
      stance ? codebook.stanceScale.map((p) => p.id) : [],
    );
    const targets = sortedUnique(
      own.map((s) => s.target || undefined),
      stance ? codebook.stanceTargets.map((t) => t.id) : [],
    );
    if (own.some((s) => s.polarity && !s.target)) targets.push("");
    for (const target of targets) {
      const name = target
        ? (codebook.stanceTargets.find((t) => t.id === target)?.name ?? target)
        : "(no target)";
      const t = node([label.id, "target", target], name, label.color, "", { target });
      for (const p of polarities) {
        const pName = codebook.stanceScale.find((s) => s.id === p)?.name ?? p;
        t.children.push(
          node([label.id, "target", target, "polarity", p], pName, label.color, "", {
            polarity: p,
          }),
        );
      }
      root.children.push(t);
    }
    return root;
  });
}

function codeOf(span: DatasetSpan): string {
  if (span.entity) return stableGuid("code", span.label, "entity", span.entity);
  if (!span.target && !span.polarity) return stableGuid("code", span.label);
  const t = ["code", span.label, "target", span.target ?? ""];
  return span.polarity ? stableGuid(...t, "polarity", span.polarity) : stableGuid(...t);
}

function codeXml(code: CodeNode, indent: string): string {
  const children = [
    element("Description", {}, code.description, `${indent}  `),
    ...code.children.map((c) => codeXml(c, `${indent}  `)),
  ];
  return element(
    "Code",
    { guid: code.guid, name: code.name, isCodable: "true", color: code.color },
    children,
    indent,
  );
}

function variableValue(guid: string, value: CodeValue, indent: string): string | undefined {
  let child: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || /e/i.test(String(value))) return undefined;
    child = element("FloatValue", {}, String(value), `${indent}  `);
  } else
    child = element(
      "TextValue",
      {},
      Array.isArray(value) ? value.join("; ") : value,
      `${indent}  `,
    );
  return element(
    "VariableValue",
    {},
    [element("VariableRef", { targetGUID: guid }, undefined, `${indent}  `), child],
    indent,
  );
}

function exportPart(
  dataset: Dataset,
  docs: DatasetDocument[],
  when: string | undefined,
  origin: string,
  report: LossReport,
): Uint8Array {
  const sorted = [...docs].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : a.annotator < b.annotator ? -1 : 1,
  );
  const user = (name: string) => stableGuid("user", name);
  const annotators = sortedUnique(sorted.map((d) => d.annotator));
  const vars = dataset.codebook.documentVariables.map((v) => ({
    id: v.id,
    name: v.name,
    type: v.type as string,
    description: v.description,
  }));
  for (const key of sortedUnique(sorted.flatMap((d) => Object.keys(d.codes)))) {
    if (vars.some((v) => v.id === key)) continue;
    const sample = sorted.find((d) => key in d.codes)?.codes[key];
    vars.push({
      id: key,
      name: key,
      type: Array.isArray(sample) ? "multi" : typeof sample === "number" ? "number" : "text",
      description: "",
    });
  }
  const sources = new Map<string, DatasetDocument[]>();
  for (const doc of sorted) {
    let key = doc.id;
    if (sources.get(key)?.[0]?.text !== undefined && sources.get(key)?.[0]?.text !== doc.text) {
      key = `${doc.id}\u0000${doc.annotator}`;
      report.note("Annotators whose text of an article differs get a source of their own.");
    }
    sources.set(key, [...(sources.get(key) ?? []), doc]);
  }
  const texts: Record<string, Uint8Array> = {};
  const sourceXml: string[] = [];
  for (const [key, group] of sources) {
    const first = group[0] as DatasetDocument;
    const guid = stableGuid("source", key);
    const { text, at } = normaliseLineEnds(first.text);
    if (text !== first.text)
      report.note("Line ends were written as LF; selection positions count the LF text.");
    if (/[\u{10000}-\u{10FFFF}]/u.test(text))
      report.note(
        "Positions count code points (as QualCoder does); programs counting UTF-16 units (NVivo) place selections after emoji one position early per such character.",
      );
    texts[`sources/${guid}.txt`] = strToU8(text);
    const cps = Array.from(text);
    const m = first.meta;
    const about = [
      `Article: ${first.id}`,
      m.source && `Source: ${m.source}`,
      m.url && `URL: ${m.url}`,
      m.date && `Date: ${m.date}`,
      m.language && `Language: ${m.language}`,
      `Annotators: ${group.map((d) => d.annotator).join(", ")}`,
    ];
    const children = [element("Description", {}, about.filter(Boolean).join("\n"), "      ")];
    for (const doc of group) {
      const spans = [...doc.spans].sort(compareSpans);
      const selection = new Map(
        spans.map((s, i) => [s.id, stableGuid("selection", key, doc.annotator, String(i))]),
      );
      for (const span of spans) {
        const [start, end] = [at(span.start), at(span.end)];
        const where = describeSpanForReport(doc, span);
        if (end <= start) {
          report.add("span-only-line-break", "spans holding only a line-end character", where);
          continue;
        }
        if (span.entity && (span.target || span.polarity))
          report.add(
            "entity-and-stance",
            "stance target/polarity of spans that also link an entity (coded by the entity)",
            where,
          );
        const sel = selection.get(span.id) ?? "";
        const holder =
          span.holder && selection.has(span.holder)
            ? `holder-selection=${selection.get(span.holder)}`
            : `holder=${span.holder}`;
        const holderName =
          doc.spans.find((s) => s.id === span.holder)?.text ??
          dataset.entities.find((e) => e.id === span.holder)?.name ??
          span.holder;
        const notes = [
          span.value && `Value: ${span.value}`,
          span.holder && `Holder: ${holderName} [tagwerk:${holder}]`,
          span.note && `Note: ${span.note}`,
        ];
        const quote = cps.slice(start, end).join("");
        const coding = element(
          "Coding",
          {
            guid: stableGuid("coding", sel),
            creatingUser: user(doc.annotator),
            creationDateTime: when,
          },
          [element("CodeRef", { targetGUID: codeOf(span) }, undefined, "          ")],
          "        ",
        );
        const selAttrs = {
          guid: sel,
          name: quote.length > 80 ? `${Array.from(quote).slice(0, 79).join("")}…` : quote,
          startPosition: String(start),
          endPosition: String(end),
          creatingUser: user(doc.annotator),
          creationDateTime: when,
        };
        const body = notes.some(Boolean)
          ? [element("Description", {}, notes.filter(Boolean).join("\n"), "        "), coding]
          : [coding];
        children.push(element("PlainTextSelection", selAttrs, body, "      "));
      }
    }
    for (const v of vars) {
      const values = group.filter((d) => d.codes[v.id] !== undefined);
      const value = values[0]?.codes[v.id];
      if (value === undefined) continue;
      for (const other of values.slice(1))
        if (JSON.stringify(other.codes[v.id]) !== JSON.stringify(value))
          report.add(
            "document-code-conflict",
            "document codes where annotators disagree (REFI-QDA keeps one value per article: the first annotator's)",
            `${other.id} (${other.annotator}) ${v.id}=${JSON.stringify(other.codes[v.id])}`,
          );
      const vv = variableValue(stableGuid("variable", v.id), value, "      ");
      if (vv) children.push(vv);
      else
        report.add(
          "number-not-decimal",
          "document codes that are not plain decimal numbers",
          `${first.id} ${v.id}=${value}`,
        );
    }
    const name = first.meta.title || first.id;
    sourceXml.push(
      element(
        "TextSource",
        {
          guid,
          name,
          plainTextPath: `internal://${guid}.txt`,
          creatingUser: user(first.annotator),
          creationDateTime: when,
        },
        children,
        "    ",
      ),
    );
  }
  const codes = codeSystem(dataset, sorted);
  const body = [
    annotators.length > 0 &&
      element(
        "Users",
        {},
        annotators.map((a) =>
          element("User", { guid: user(a), name: a, id: a }, undefined, "    "),
        ),
        "  ",
      ),
    codes.length > 0 &&
      element(
        "CodeBook",
        {},
        [
          element(
            "Codes",
            {},
            codes.map((c) => codeXml(c, "      ")),
            "    ",
          ),
        ],
        "  ",
      ),
    vars.length > 0 &&
      element(
        "Variables",
        {},
        vars.map((v) =>
          element(
            "Variable",
            {
              guid: stableGuid("variable", v.id),
              name: v.name,
              typeOfVariable: v.type === "number" ? "Float" : "Text",
            },
            [
              element(
                "Description",
                {},
                [v.description, marker({ variable: v.id, type: v.type })]
                  .filter(Boolean)
                  .join("\n"),
                "      ",
              ),
            ],
            "    ",
          ),
        ),
        "  ",
      ),
    sourceXml.length > 0 && element("Sources", {}, sourceXml, "  "),
  ].filter((x): x is string => typeof x === "string");
  const project = element(
    "Project",
    { xmlns: "urn:QDA-XML:project:1.0", name: dataset.projectName, origin, creationDateTime: when },
    body,
    "",
  );
  const qde = strToU8(`<?xml version="1.0" encoding="utf-8"?>\n${project}\n`);
  return zipSync({ "project.qde": qde, ...texts }, { level: 6, mtime: zipTime(when) });
}

/** `iso` as a Date whose local fields are its UTC fields: zip entries keep local time, so exports do not depend on the time zone. */
function zipTime(iso: string | undefined): Date {
  const d = new Date(iso ?? "");
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 || d.getUTCFullYear() > 2099)
    return new Date(1980, 0, 1);
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

/** Writes one `project.qdpx` per part: project.qde plus the article texts in `sources/`. */
export const refiQdaExporter: Exporter = {
  format: "refi-qda",
  description: "REFI-QDA project (.qdpx) for MAXQDA, NVivo, ATLAS.ti and QualCoder.",
  lossless: false,
  exportParts(dataset, parts, options, report) {
    const when = DATE_TIME.test(options.exportedAt) ? options.exportedAt : undefined;
    report.note(
      "Each span is a coded PlainTextSelection by its annotator; entities and stance target › polarity are sub-codes.",
    );
    return parts.map((part) => ({
      path: partPath(part, "project.qdpx"),
      data: exportPart(dataset, part.documents, when, options.generator, report),
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

function kids(node: XNode | undefined, name: string): XNode[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XNode[]) : [];
}

function first(node: XNode | undefined, name: string): XNode | undefined {
  return kids(node, name)[0];
}

function attr(node: XNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return typeof value === "string" ? value : undefined;
}

function textOf(node: XNode | undefined): string {
  const value = node?.["#text"];
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

function guidKey(guid: string | undefined): string {
  return (guid ?? "").toLowerCase().replace(/[{}]/g, "");
}

function lineOf(text: string, needle: string): number | undefined {
  const at = needle ? text.indexOf(needle) : -1;
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

function safeIdFrom(name: string, fallback: string): string {
  return isSafeId(name) ? name : slugify(name, 64) || fallback;
}

interface CodeInfo {
  name: string;
  parent?: CodeInfo;
  marks: Record<string, string>;
}

const KINDS: readonly string[] = ["entity", "date", "stance"];
const SOURCE_LINES = [
  ["source", "Source"],
  ["url", "URL"],
  ["date", "Date"],
  ["language", "Language"],
] as const;

/** Label, kind and attributes of a span coded with `code` (markers of the code and its parents). */
function codeFields(
  code: CodeInfo,
): Pick<ImportedSpan, "label" | "kind" | "entity" | "target" | "polarity"> {
  const found: Record<string, string> = {};
  for (let c: CodeInfo | undefined = code; c; c = c.parent)
    for (const [k, v] of Object.entries(c.marks)) if (!(k in found)) found[k] = v;
  if (found.label === undefined) return { label: safeIdFrom(code.name, "code") };
  return {
    label: found.label,
    ...(KINDS.includes(found.kind ?? "") ? { kind: found.kind as LabelKind } : {}),
    ...(found.entity ? { entity: found.entity } : {}),
    ...(found.target ? { target: found.target } : {}),
    ...(found.polarity ? { polarity: found.polarity } : {}),
  };
}

/** Value, holder and note from a selection's Description (free text is a note). */
function selectionNotes(text: string): {
  value?: string;
  holder?: string;
  holderSelection?: string;
  note?: string;
} {
  if (!/^(Value|Holder|Note): /.test(text)) return text.trim() ? { note: text } : {};
  const out: { value?: string; holder?: string; holderSelection?: string; note?: string } = {};
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.startsWith("Value: ")) out.value = line.slice(7);
    else if (line.startsWith("Holder: ")) {
      const marks = readMarker(line);
      if (marks["holder-selection"]) out.holderSelection = guidKey(marks["holder-selection"]);
      else out.holder = marks.holder ?? line.slice(8);
    } else if (line.startsWith("Note: ")) {
      out.note = [line.slice(6), ...lines.slice(i + 1)].join("\n");
      break;
    }
  }
  return out;
}

function readProject(
  where: string,
  raw: string,
  source: (name: string) => Uint8Array | undefined,
  warnings: string[],
): ImportedDocument[] {
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new DatasetFileError(where, `is not well-formed XML: ${valid.err.msg}`, valid.err.line);
  const project = first(parser.parse(text) as XNode, "Project");
  if (!project) throw new DatasetFileError(where, "has no <Project> element");
  const origin = attr(project, "origin") ?? "";
  const users = new Map(
    kids(first(project, "Users"), "User").map((u) => [
      guidKey(attr(u, "guid")),
      attr(u, "name") ?? attr(u, "id") ?? "",
    ]),
  );
  const codes = new Map<string, CodeInfo>();
  const walk = (node: XNode | undefined, parent: CodeInfo | undefined) => {
    for (const c of kids(node, "Code")) {
      const info: CodeInfo = {
        name: attr(c, "name") ?? "",
        marks: readMarker(textOf(first(c, "Description"))),
        ...(parent ? { parent } : {}),
      };
      codes.set(guidKey(attr(c, "guid")), info);
      walk(c, info);
    }
  };
  walk(first(first(project, "CodeBook"), "Codes"), undefined);
  const variables = new Map(
    kids(first(project, "Variables"), "Variable").map((v) => {
      const marks = readMarker(textOf(first(v, "Description")));
      return [
        guidKey(attr(v, "guid")),
        { id: marks.variable ?? safeIdFrom(attr(v, "name") ?? "", "variable"), type: marks.type },
      ];
    }),
  );
  for (const name of ["Cases", "Notes", "Links", "Sets", "Graphs"])
    if (first(project, name)) warnings.push(`${where}: ${name} not imported`);
  const sources = first(project, "Sources");
  for (const name of ["PictureSource", "PDFSource", "AudioSource", "VideoSource"])
    if (kids(sources, name).length > 0)
      warnings.push(`${where}: ${kids(sources, name).length} ${name} element(s) not imported`);
  const documents: ImportedDocument[] = [];
  let skippedSelections = 0;
  for (const s of kids(sources, "TextSource")) {
    const name = attr(s, "name") ?? "";
    const path = attr(s, "plainTextPath");
    let content: string;
    if (first(s, "PlainTextContent")) content = textOf(first(s, "PlainTextContent"));
    else if (path?.startsWith("internal://")) {
      const data = source(path.slice(11));
      if (!data)
        throw new DatasetFileError(
          where,
          `source "${name}": ${path} is not in the archive`,
          lineOf(text, path),
        );
      content = strFromU8(data).replace(/^\uFEFF/, "");
    } else {
      warnings.push(
        `${where}: source "${name}" has its text at ${path ?? "no path"}; not imported`,
      );
      continue;
    }
    if (content.includes("\r") && /atlas|maxqda/i.test(origin)) {
      content = normaliseLineEnds(content).text;
      warnings.push(
        `${where}: source "${name}": line ends read as one character each, as ${origin} counts them`,
      );
    }
    const cps = Array.from(content);
    const about = new Map(
      textOf(first(s, "Description"))
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
    );
    const meta: Partial<DatasetMeta> = { title: name };
    for (const [key, line] of SOURCE_LINES) {
      const value = about.get(line);
      if (value) meta[key] = value;
    }
    const docs = new Map<string, ImportedDocument>();
    const docFor = (annotator: string | undefined): ImportedDocument => {
      let doc = docs.get(annotator ?? "");
      if (!doc) {
        const article = about.get("Article");
        doc = {
          origin: `${where}: ${name}${annotator ? ` (${annotator})` : ""}`,
          text: content,
          ...(article ? { id: article } : {}),
          meta,
          ...(annotator ? { annotator } : {}),
          spans: [],
        };
        docs.set(annotator ?? "", doc);
      }
      return doc;
    };
    for (const a of (about.get("Annotators") ?? "").split(", ").filter(Boolean)) docFor(a);
    const holders: Array<[ImportedSpan, string]> = [];
    const bySelection = new Map<string, string>();
    for (const sel of kids(s, "PlainTextSelection")) {
      const guid = guidKey(attr(sel, "guid"));
      const [start, end] = [Number(attr(sel, "startPosition")), Number(attr(sel, "endPosition"))];
      if (
        !Number.isInteger(start) ||
        !Number.isInteger(end) ||
        start < 0 ||
        end > cps.length ||
        start > end
      )
        throw new DatasetFileError(
          where,
          `selection ${attr(sel, "guid")} (${attr(sel, "startPosition")}–${attr(sel, "endPosition")}) is outside the text of "${name}" (${cps.length} characters)`,
          lineOf(text, attr(sel, "guid") ?? ""),
        );
      const userGuid =
        attr(sel, "creatingUser") ?? attr(sel, "modifyingUser") ?? attr(s, "creatingUser");
      const annotator = users.get(guidKey(userGuid)) || undefined;
      const { holderSelection, ...notes } = selectionNotes(textOf(first(sel, "Description")));
      const codings = kids(sel, "Coding").map((c) =>
        codes.get(guidKey(attr(first(c, "CodeRef"), "targetGUID"))),
      );
      if (start === end || codings.length === 0 || codings.some((c) => !c)) skippedSelections++;
      for (const [i, code] of codings.entries()) {
        if (!code || start === end) continue;
        const span: ImportedSpan = {
          id: i === 0 ? guid : `${guid}-${i + 1}`,
          start,
          end,
          text: cps.slice(start, end).join(""),
          ...codeFields(code),
          ...notes,
        };
        if (!span.id || !isSafeId(span.id)) delete span.id;
        if (i === 0 && span.id) bySelection.set(guid, span.id);
        if (holderSelection) holders.push([span, holderSelection]);
        docFor(annotator).spans.push(span);
      }
    }
    for (const [span, sel] of holders) {
      const holder = bySelection.get(sel);
      if (holder) span.holder = holder;
    }
    if (kids(s, "Coding").length > 0)
      warnings.push(`${where}: codes of the whole source "${name}" not imported`);
    const values: Record<string, CodeValue> = {};
    for (const vv of kids(s, "VariableValue")) {
      const variable = variables.get(guidKey(attr(first(vv, "VariableRef"), "targetGUID")));
      if (!variable) continue;
      const number = first(vv, "FloatValue") ?? first(vv, "IntegerValue");
      const other = ["TextValue", "BooleanValue", "DateValue", "DateTimeValue"]
        .map((k) => first(vv, k))
        .find(Boolean);
      if (number) values[variable.id] = Number(textOf(number));
      else if (other)
        values[variable.id] =
          variable.type === "multi" ? textOf(other).split("; ").filter(Boolean) : textOf(other);
    }
    if (docs.size === 0) docFor(undefined);
    for (const doc of docs.values()) {
      if (Object.keys(values).length > 0) doc.codes = { ...values };
      documents.push(doc);
    }
  }
  if (skippedSelections > 0)
    warnings.push(
      `${where}: ${skippedSelections} selection(s) without a known code or without text not imported (or only partly)`,
    );
  return documents;
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
  const data = qde === undefined ? undefined : entries[qde];
  if (qde === undefined || !data) throw new DatasetFileError(file.name, "holds no project.qde");
  const source = (name: string) => {
    const wanted = `sources/${name}`.toLowerCase();
    const found = names.find(
      (n) => n.toLowerCase() === wanted || n.toLowerCase() === name.toLowerCase(),
    );
    return found === undefined ? undefined : entries[found];
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
    const documents: ImportedDocument[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (/\.qde$/i.test(file.name))
        documents.push(...readProject(file.name, strFromU8(file.data), () => undefined, warnings));
      else documents.push(...readArchive(file, warnings));
    }
    return { documents, warnings };
  },
};
