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
import { strToU8, zipSync } from "fflate";
import type { CodeValue, DatasetDocument, DatasetSpan, ExportFile } from "../dataset";
import { compareSpans, partPath } from "../dataset";
import type { Chunk, ExportContext, PieceExporter, PieceTools } from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { concatBytes, converted, exportByPieces } from "../pieces";
import { normaliseLineEnds } from "./brat";
import { codeSystem, type LabelUse, labelUses, mergeLabelUses } from "./refi-qda-codes";
import {
  type Attrs,
  DATE_TIME,
  described,
  type El,
  el,
  marker,
  raw,
  render,
  sortedUnique,
  stableGuid,
} from "./refi-qda-xml";
import { type DeflatedEntry, zipDeflated } from "./zip";

/** GUIDs of codes and users by their parts: the same few are asked for once per span. */
const knownGuids = new Map<string, string>();

/** `stableGuid(...parts)`, remembered (for the small set of code and user GUIDs). */
function cachedGuid(...parts: string[]): string {
  const key = parts.join("\u0000");
  let guid = knownGuids.get(key);
  if (guid === undefined) {
    if (knownGuids.size > 100_000) knownGuids.clear();
    guid = stableGuid(...parts);
    knownGuids.set(key, guid);
  }
  return guid;
}

function codeOf(span: DatasetSpan): string {
  if (span.entity) return cachedGuid("code", span.label, "entity", span.entity);
  if (!span.target && !span.polarity) return cachedGuid("code", span.label);
  const t = ["code", span.label, "target", span.target ?? ""];
  return span.polarity ? cachedGuid(...t, "polarity", span.polarity) : cachedGuid(...t);
}

interface Context {
  dataset: ExportContext;
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
  // The text of the first span with each id (for holders that are spans).
  let texts: Map<string, string> | undefined;
  const spanText = (id: string) => {
    if (!texts) {
      texts = new Map();
      for (const s of doc.spans) if (!texts.has(s.id)) texts.set(s.id, s.text);
    }
    return texts.get(id);
  };
  return spans.flatMap((span) => {
    const [start, end] = [at(span.start), at(span.end)];
    const where = () => describeSpanForReport(doc, span);
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
      span.holder === undefined
        ? undefined
        : (spanText(span.holder) ??
          ctx.dataset.entities.find((e) => e.id === span.holder)?.name ??
          span.holder);
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

/** The documents of a part in the order the export takes them: by article, then annotator. */
function byArticle(docs: readonly DatasetDocument[]): DatasetDocument[] {
  const order = (a: DatasetDocument, b: DatasetDocument) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : a.annotator < b.annotator ? -1 : 1;
  return [...docs].sort(order);
}

/** One article converted: its sources (TextSource XML and text) and what the part needs of it. */
interface RefiPiece {
  /** An annotator's text differs from the first one's (so it has a source of its own). */
  differs: boolean;
  annotators: string[];
  sources: Array<{ path: string; xml: Chunk; text: Uint8Array }>;
  labels: Array<[string, LabelUse]>;
  /** Each document code's first value. */
  codes: Array<[string, CodeValue | undefined]>;
}

/** The project's attributes that depend on the options: origin and creation time. */
function when(options: { generator: string; exportedAt: string }): Attrs {
  const time = DATE_TIME.test(options.exportedAt) ? options.exportedAt : undefined;
  return { origin: options.generator, creationDateTime: time };
}

const user = (name: string) => cachedGuid("user", name);

/** The sources of one article's documents (sorted by annotator), rendered inside `<Sources>`. */
function convertArticle(
  docs: DatasetDocument[],
  dataset: ExportContext,
  project: Attrs,
  report: LossReport,
  tools: PieceTools,
): RefiPiece {
  const codeKeys = sortedUnique(docs.flatMap((d) => Object.keys(d.codes)));
  const variables = dataset.codebook.documentVariables;
  const vars: Context["vars"] = [...variables];
  for (const key of codeKeys)
    if (!vars.some((v) => v.id === key))
      vars.push({ id: key, name: key, type: "text", description: "" });
  const stamp = (a: string) => ({
    creatingUser: user(a),
    creationDateTime: project.creationDateTime,
  });
  const ctx: Context = { dataset, vars, stamp, report, texts: {} };
  const groups = new Map<string, DatasetDocument[]>();
  let differs = false;
  for (const doc of docs) {
    const same = groups.get(doc.id)?.[0];
    const key = same && same.text !== doc.text ? `${doc.id}\u0000${doc.annotator}` : doc.id;
    if (key !== doc.id) differs = true;
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  const sources = [...groups].map(([key, group]) => {
    const xml = render(textSource(ctx, key, group), "    ");
    const [path, text] = Object.entries(ctx.texts).at(-1) as [string, Uint8Array];
    return { path, xml: tools.chunk(xml), text };
  });
  const codes: Array<[string, CodeValue | undefined]> = codeKeys.map((key) => [
    key,
    docs.find((d) => key in d.codes)?.codes[key],
  ]);
  return {
    differs,
    annotators: docs.map((d) => d.annotator),
    sources,
    labels: labelUses(docs.flatMap((d) => d.spans)),
    codes,
  };
}

const encoder = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

/** The `project.qdpx` of a part from its articles' pieces. */
function assemblePart(
  dataset: ExportContext,
  pieces: RefiPiece[],
  project: Attrs,
  tools: PieceTools,
): Uint8Array | Promise<Uint8Array> {
  const users = sortedUnique(pieces.flatMap((p) => p.annotators));
  const vars: Context["vars"] = [...dataset.codebook.documentVariables];
  const samples = new Map<string, CodeValue | undefined>();
  for (const piece of pieces)
    for (const [key, value] of piece.codes) if (!samples.has(key)) samples.set(key, value);
  for (const key of [...samples.keys()].sort()) {
    const sample = samples.get(key);
    const type = Array.isArray(sample) ? "multi" : typeof sample === "number" ? "number" : "text";
    if (!vars.some((v) => v.id === key)) vars.push({ id: key, name: key, type, description: "" });
  }
  const codes = codeSystem(dataset, mergeLabelUses(pieces.map((p) => p.labels)));
  const variables = vars.map((v) => {
    const attrs = { guid: stableGuid("variable", v.id), name: v.name };
    const typeOfVariable = v.type === "number" ? "Float" : "Text";
    const about = described(v.description, marker({ variable: v.id, type: v.type }));
    return el("Variable", { ...attrs, typeOfVariable }, about);
  });
  const sources = pieces.flatMap((p) => p.sources);
  const SOURCES = "\u0000sources\u0000";
  const userEls = users.map((a) => el("User", { guid: user(a), name: a, id: a }));
  const root = el("Project", { xmlns: "urn:QDA-XML:project:1.0", name: dataset.projectName }, [
    el("Users", {}, userEls),
    el("CodeBook", {}, codes.length > 0 ? [el("Codes", {}, codes)] : []),
    el("Variables", {}, variables),
    el("Sources", {}, sources.length > 0 ? [raw(SOURCES)] : []),
  ]);
  root.body = (root.body as El[]).filter((e) => e.body.length > 0);
  Object.assign(root.attrs, project);
  const [before, after = ""] = `<?xml version="1.0" encoding="utf-8"?>\n${render(root)}\n`.split(
    SOURCES,
  );
  const chunks: Chunk[] = [before as string];
  for (const [i, source] of sources.entries()) chunks.push(i === 0 ? "" : "\n", source.xml);
  chunks.push(after);
  const qde = concatBytes(chunks.map((c) => (typeof c === "string" ? encoder.encode(c) : c)));
  const mtime = zipTime(project.creationDateTime);
  const { parallel } = tools;
  if (parallel && qde.length >= PARALLEL_BYTES) {
    // Big projects: the files are compressed in worker threads, the big project.qde on its own.
    const files = [{ name: "project.qde", data: qde }];
    const tasks = [{ files, mtime: mtime.getTime() }];
    const size = Math.ceil(sources.length / 4);
    for (let i = 0; i < sources.length; i += size)
      tasks.push({
        files: sources.slice(i, i + size).map((s) => ({ name: s.path, data: s.text })),
        mtime: mtime.getTime(),
      });
    return parallel("zip-entries", tasks).then((done: unknown[]) =>
      zipDeflated((done as DeflatedEntry[][]).flat(), mtime),
    );
  }
  const texts: Record<string, Uint8Array> = {};
  for (const source of sources) texts[source.path] = source.text;
  return zipSync({ "project.qde": qde, ...texts }, { level: 1, mtime });
}

/** Size of project.qde from which the archive is compressed in worker threads. */
const PARALLEL_BYTES = 8 << 20;

/** `iso` as a Date whose local fields are its UTC fields (zip times are local; exports must not depend on the zone). */
function zipTime(iso: string | undefined): Date {
  const d = new Date(iso ?? "");
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 1980 || year > 2099) return new Date(1980, 0, 1);
  const [month, day, hours] = [d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
  return new Date(year, month, day, hours, d.getUTCMinutes(), d.getUTCSeconds());
}

/** Writes one `project.qdpx` per part: project.qde plus the article texts in `sources/`. */
export const refiQdaExporter: PieceExporter<RefiPiece> = {
  format: "refi-qda",
  description: "REFI-QDA project (.qdpx) for MAXQDA, NVivo, ATLAS.ti and QualCoder.",
  lossless: false,
  begin(_context, _options, report) {
    report.note("Spans are coded selections; entities and stance target › polarity are sub-codes.");
  },
  order: byArticle,
  convert(documents, context, options, tools) {
    return [
      converted((report) => convertArticle(documents, context, when(options), report, tools)),
    ];
  },
  assemble(context, parts, options, report, tools) {
    const archives = parts.map((part) => {
      // As a document-by-document export reports it: sources of their own first, then each article's.
      if (part.converted.some((item) => item.piece.differs))
        report.note("An annotator whose text of an article differs gets a source.");
      const pieces = part.converted.map((item) => {
        report.merge(item.report);
        return item.piece;
      });
      return assemblePart(context, pieces, when(options), tools);
    });
    const files = (data: Uint8Array[]): ExportFile[] =>
      parts.map((part, i) => ({
        path: partPath(part, "project.qdpx"),
        data: data[i] as Uint8Array,
      }));
    // Synchronous unless archives are compressed in worker threads.
    return archives.some((archive) => archive instanceof Promise)
      ? Promise.all(archives).then(files)
      : files(archives as Uint8Array[]);
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(refiQdaExporter, dataset, parts, options, report);
  },
};
