import { describe, expect, it } from "vitest";
import type { Dataset, DatasetDocument, ExportFile } from "../../../shared/dataset/dataset";
import {
  DatasetFileError,
  type ImportedData,
  type ImportFile,
} from "../../../shared/dataset/format-types";
import {
  bratExporter,
  bratImporter,
  normaliseLineEnds,
} from "../../../shared/dataset/formats/brat";
import { LossReport } from "../../../shared/dataset/loss-report";
import { codePointSpan, fixtureDataset, fixtureOptions, plainText, trickyText } from "./fixtures";

const TRICKY = "2026-01-03-zurich-a1b2c3d4";
const PLAIN = "2025-12-18-merz-macron-0f0f0f0f";

function exportFiles(dataset: Dataset, partName = ""): { files: ExportFile[]; report: LossReport } {
  const report = new LossReport("brat");
  const parts = [{ name: partName, documents: dataset.documents }];
  const files = bratExporter.exportParts(dataset, parts, fixtureOptions, report) as ExportFile[];
  return { files, report };
}

function content(files: ExportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} not exported (${files.map((f) => f.path).join(", ")})`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

function asImport(files: ExportFile[]): ImportFile[] {
  return files.map((f) => ({
    name: f.path,
    data: typeof f.data === "string" ? new TextEncoder().encode(f.data) : f.data,
  }));
}

/** What the project import does with labels and defaults, enough to export again. */
function toDataset(base: Dataset, data: ImportedData): Dataset {
  const kindOf = (label: string) =>
    base.codebook.labels.find((l) => l.id === label)?.kind ?? "entity";
  const documents: DatasetDocument[] = data.documents.map((d) => {
    const cps = Array.from(d.text);
    return {
      id: d.id ?? "unknown",
      text: d.text,
      meta: { title: "", source: "", url: "", date: "", language: "", ...d.meta },
      annotator: d.annotator ?? "alice",
      spans: d.spans.map((s, i) => ({
        ...s,
        id: s.id ?? `s${i}`,
        kind: s.kind ?? kindOf(s.label),
        text: s.text ?? cps.slice(s.start, s.end).join(""),
      })),
      codes: d.codes ?? {},
    };
  });
  return { ...base, documents };
}

interface TLine {
  id: string;
  label: string;
  frags: Array<[number, number]>;
  text: string;
}

function tLines(ann: string): TLine[] {
  return ann
    .split("\n")
    .filter((l) => l.startsWith("T"))
    .map((l) => {
      const [id = "", data = "", text = ""] = l.split("\t");
      const [label = "", ...rest] = data.split(" ");
      const frags = rest
        .join(" ")
        .split(";")
        .map((p) => p.split(" ").map(Number) as [number, number]);
      return { id, label, frags, text };
    });
}

function tFor(ann: string, text: string, quote: string, occurrence = 0): string {
  const [start, end] = codePointSpan(text, quote, occurrence);
  const line = tLines(ann).find((t) => t.frags[0]?.[0] === start && t.frags.at(-1)?.[1] === end);
  if (!line) throw new Error(`no T line for "${quote}"`);
  return line.id;
}

describe("brat export", () => {
  it("writes the configuration and one .txt/.ann pair per article in annotator folders", () => {
    const { files } = exportFiles(fixtureDataset());
    expect(files.map((f) => f.path)).toEqual([
      "annotation.conf",
      "visual.conf",
      `alice/${PLAIN}.txt`,
      `alice/${PLAIN}.ann`,
      `alice/${TRICKY}.txt`,
      `alice/${TRICKY}.ann`,
      `bob/${TRICKY}.txt`,
      `bob/${TRICKY}.ann`,
    ]);
    const split = exportFiles(fixtureDataset(), "train").files;
    expect(split.map((f) => f.path)).toContain(`train/alice/${TRICKY}.ann`);
    expect(split.map((f) => f.path)).toContain("train/annotation.conf");
  });

  it("uses no annotator folders when there is one annotator", () => {
    const dataset = fixtureDataset();
    dataset.documents = dataset.documents.filter((d) => d.annotator === "alice");
    const { files } = exportFiles(dataset);
    expect(files.map((f) => f.path)).toContain(`${TRICKY}.ann`);
    const imported = bratImporter.read(asImport(files));
    expect(imported.documents.every((d) => d.annotator === undefined)).toBe(true);
  });

  it("writes the text with LF line ends and code-point offsets every T line matches", () => {
    const { files } = exportFiles(fixtureDataset());
    const txt = content(files, `alice/${TRICKY}.txt`);
    expect(txt).toBe(trickyText.replace(/\r\n/g, "\n"));
    expect(content(files, `alice/${PLAIN}.txt`)).toBe(plainText);
    let checked = 0;
    for (const file of files.filter((f) => f.path.endsWith(".ann"))) {
      const cps = Array.from(content(files, file.path.replace(/\.ann$/, ".txt")));
      for (const t of tLines(content(files, file.path))) {
        for (const [, e] of t.frags) expect(e).toBeLessThanOrEqual(cps.length);
        expect(t.text).toBe(t.frags.map(([s, e]) => cps.slice(s, e).join("")).join(" "));
        checked++;
      }
    }
    expect(checked).toBe(11 + 10 + 5);
    // Emoji before, NFD "Zürich", Arabic and a span after the second CRLF.
    const ann = content(files, `alice/${TRICKY}.ann`);
    // "🇺🇦 Kyiv": the flag is two code points (four UTF-16 units).
    expect(tLines(ann).find((t) => t.text === "Kyiv")?.frags).toEqual([[3, 7]]);
    for (const quote of [
      "Zu\u0308rich",
      "الأمم المتحدة",
      "Corine Mauch",
      "Vereinten Nationen (UN)",
    ])
      expect(tFor(ann, txt, quote)).toMatch(/^T\d+$/);
    // After two line ends and 👍🏽 (two code points): LF offsets, not CRLF or UTF-16 ones.
    const [start] = codePointSpan(txt, "Zu\u0308rich", 1);
    expect(start).toBe(Array.from(trickyText).length - 2 - "Zu\u0308rich.".length);
    const stance = tLines(ann).find((t) => t.label === "STANCE");
    expect(stance?.text).toBe("„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch");
    expect(stance?.frags).toEqual([codePointSpan(txt, stance?.text ?? "")]);
  });

  it("writes attributes, links and notes as A, N, R and # lines", () => {
    const { files } = exportFiles(fixtureDataset());
    const txt = content(files, `alice/${TRICKY}.txt`);
    const ann = content(files, `alice/${TRICKY}.ann`);
    const stance = tFor(ann, txt, "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch");
    const mauch = tFor(ann, txt, "Corine Mauch");
    const date = tFor(ann, txt, "3. Jänner 2026");
    const zel = tFor(ann, txt, "Wolodymyr Selenskyj");
    expect(ann).toMatch(new RegExp(`\\nA\\d+\\tPolarity ${stance} favour\\n`));
    expect(ann).toMatch(new RegExp(`\\nA\\d+\\tTarget ${stance} ceasefire\\n`));
    expect(ann).toMatch(
      new RegExp(`\\nN\\d+\\tReference ${mauch} Wikidata:Q119024\\tCorine Mauch\\n`),
    );
    expect(ann).toMatch(
      new RegExp(`\\nN\\d+\\tReference ${mauch} Tagwerk:corine-mauch\\tCorine Mauch\\n`),
    );
    expect(ann).toMatch(new RegExp(`\\n#\\d+\\tAnnotatorNotes ${date}\\tvalue=2026-01-03\\n`));
    expect(ann).toMatch(
      new RegExp(`\\n#\\d+\\tAnnotatorNotes ${zel}\\tspelling as in the source\\n`),
    );
    // The holder is a registry entity, not a span: a note.
    expect(ann).toMatch(new RegExp(`\\n#\\d+\\tAnnotatorNotes ${stance}\\tholder=corine-mauch\\n`));
    expect(ann).not.toMatch(/\nR\d+/);
  });

  it("describes every label in annotation.conf and visual.conf", () => {
    const { files } = exportFiles(fixtureDataset());
    const conf = content(files, "annotation.conf");
    const visual = content(files, "visual.conf");
    const entities = conf.split("[relations]")[0] ?? "";
    for (const label of fixtureDataset().codebook.labels) {
      expect(entities).toMatch(new RegExp(`\\n${label.id}\\n`));
      expect(visual).toContain(`\n${label.id} | ${label.name}\n`);
      expect(visual).toContain(`\n${label.id}\tbgColor:${label.color}\n`);
    }
    expect(conf).toContain("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    expect(conf).toContain("Holder\tArg1:STANCE, Arg2:<ENTITY>\n");
    expect(conf).toContain("[events]\n");
    expect(conf).toContain("Polarity\tArg:STANCE, Value:favour|against|neutral\n");
    expect(conf).toContain("Target\tArg:STANCE, Value:ceasefire\n");
  });

  it("reports document codes and notes the line-end conversion", () => {
    const { report } = exportFiles(fixtureDataset());
    const data = report.toData();
    const codes = data.items.find((i) => i.code === "document-code-not-carried");
    expect(codes?.count).toBe(4 + 4 + 1);
    expect(data.items.map((i) => i.code)).toEqual(["document-code-not-carried"]);
    expect(data.notes.join(" ")).toContain("Line ends were written as LF");
  });

  it("writes a holder span as a relation and spans over line breaks as fragments", () => {
    const dataset = fixtureDataset();
    const doc = dataset.documents[0] as DatasetDocument;
    const stance = doc.spans.find((s) => s.id === "a-stance");
    if (stance) stance.holder = "a-mauch2";
    const [start, end] = codePointSpan(doc.text, "Waffenruhe.\r\n„Wir");
    doc.spans.push({ id: "a-cross", start, end, label: "ORG", kind: "entity", text: "" });
    const { files, report } = exportFiles(dataset);
    const txt = content(files, `alice/${TRICKY}.txt`);
    const ann = content(files, `alice/${TRICKY}.ann`);
    const mauch2 = tFor(ann, txt, "Mauch", 1);
    expect(ann).toMatch(new RegExp(`\\nR1\\tHolder Arg1:T\\d+ Arg2:${mauch2}\\n`));
    const cross = tLines(ann).find((t) => t.frags.length > 1);
    expect(cross?.text).toBe("Waffenruhe. „Wir");
    expect(report.toData().notes.join(" ")).toContain("fragments split at the breaks");
    const again = toDataset(dataset, bratImporter.read(asImport(files)));
    const imported = again.documents.find((d) => d.annotator === "alice" && d.id === TRICKY);
    const joined = imported?.spans.find((s) => s.label === "ORG" && s.text.includes("\n"));
    expect(joined?.text).toBe("Waffenruhe.\n„Wir");
    const holder = imported?.spans.find((s) => s.label === "STANCE")?.holder;
    expect(imported?.spans.find((s) => s.id === holder)?.text).toBe("Mauch");
    expect(exportFiles(again).files).toEqual(files);
  });
});

describe("brat import", () => {
  it("round-trips: export → import → export gives the same files", () => {
    const dataset = fixtureDataset();
    const { files } = exportFiles(dataset);
    const imported = bratImporter.read(asImport(files));
    expect(imported.warnings).toEqual([]);
    expect(imported.documents.map((d) => `${d.annotator}/${d.id}`)).toEqual([
      `alice/${PLAIN}`,
      `alice/${TRICKY}`,
      `bob/${TRICKY}`,
    ]);
    const alice = imported.documents[1];
    const lf = trickyText.replace(/\r\n/g, "\n");
    const span = (quote: string) => {
      const [start, end] = codePointSpan(lf, quote);
      return alice?.spans.find((s) => s.start === start && s.end === end);
    };
    expect(span("Corine Mauch")).toMatchObject({
      label: "PER",
      kind: "entity",
      entity: "corine-mauch",
    });
    expect(span("3. Jänner 2026")).toMatchObject({
      label: "DATE",
      kind: "date",
      value: "2026-01-03",
    });
    expect(span("Wolodymyr Selenskyj")).toMatchObject({ note: "spelling as in the source" });
    expect(span("„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch")).toMatchObject({
      label: "STANCE",
      kind: "stance",
      target: "ceasefire",
      polarity: "favour",
      holder: "corine-mauch",
    });
    expect(exportFiles(toDataset(dataset, imported)).files).toEqual(files);
  });

  it("reads CRLF texts the way brat does and warns about what it cannot import", () => {
    const txt = "Eins\r\nZwei Drei\r\nVier";
    const ann = [
      "T1\tA 5 9\tZwei",
      "T2\tB 10 14\tDrei",
      "T3\tA 0 4;15 19\tEins Vier",
      "R1\tLinks Arg1:T1 Arg2:T2",
      "E1\tEvent:T1",
      "A1\tNegation T1",
      "#1\tAnnotatorNotes T2\tfree text; with value=1",
      "N1\tReference T2 Wikidata:Q64\tBerlin",
    ].join("\n");
    const files = [
      { name: "doc.txt", data: new TextEncoder().encode(txt) },
      { name: "doc.ann", data: new TextEncoder().encode(ann) },
      { name: "annotation.conf", data: new TextEncoder().encode("[entities]\nA\n!Group\n\tC\n") },
    ];
    const { documents, warnings } = bratImporter.read(files);
    expect(documents[0]?.text).toBe("Eins\nZwei Drei\nVier");
    expect(documents[0]?.spans.map((s) => [s.label, s.start, s.end, s.text])).toEqual([
      ["A", 5, 9, "Zwei"],
      ["B", 10, 14, "Drei"],
      ["A", 0, 19, "Eins\nZwei Drei\nVier"],
    ]);
    expect(documents[0]?.spans[1]?.note).toBe("free text; with value=1");
    expect(documents[0]?.spans[1]?.entity).toBeUndefined();
    const all = warnings.join("\n");
    expect(all).toContain("T3 is discontinuous");
    expect(all).toContain("relations or other lines (Links) not imported");
    expect(all).toContain("events not imported");
    expect(all).toContain("attributes (Negation) not imported");
    expect(all).toContain("Wikidata links without a Tagwerk: registry id");
    expect(all).toContain("types missing from annotation.conf (B)");
    // Offsets that count CR LF as two characters are accepted too, with a warning.
    const raw = bratImporter.read([
      { name: "x.txt", data: new TextEncoder().encode(txt) },
      { name: "x.ann", data: new TextEncoder().encode("T1\tA 6 10\tZwei\n") },
    ]);
    expect(raw.documents[0]?.text).toBe(txt);
    expect(raw.warnings.join()).toContain("CR LF as two characters");
  });

  it("detects .ann files and annotation.conf", () => {
    const file = (name: string, text: string) => ({ name, data: new TextEncoder().encode(text) });
    expect(bratImporter.detect(file("a/doc.ann", "T1\tPER 0 4\tAnna\n"))).toBe(true);
    expect(bratImporter.detect(file("doc.ann", ""))).toBe(true);
    expect(bratImporter.detect(file("annotation.conf", "[entities]\n"))).toBe(true);
    expect(bratImporter.detect(file("doc.ann", '{"json": true}'))).toBe(false);
    expect(bratImporter.detect(file("doc.txt", "T1\tPER 0 4\tAnna\n"))).toBe(false);
  });

  it("rejects broken files with the file and line", () => {
    const read = (ann: string, txt: string | null = "Anna Berg lebt in Bern.") => {
      const files = [{ name: "c/doc.ann", data: new TextEncoder().encode(ann) }];
      if (txt !== null) files.push({ name: "c/doc.txt", data: new TextEncoder().encode(txt) });
      try {
        bratImporter.read(files);
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetFileError);
        return error as DatasetFileError;
      }
      throw new Error("no error");
    };
    const bad = read("T1\tPER 0 4\tAnna\nT2 PER 5 9 Berg\n");
    expect([bad.file, bad.line]).toEqual(["c/doc.ann", 2]);
    const noOffsets = read("T1\tPER zero four\tAnna\n");
    expect([noOffsets.line, noOffsets.problem]).toEqual([
      1,
      'T1: expected "TYPE START END", found "PER zero four"',
    ]);
    const beyond = read("T1\tPER 0 4\tAnna\n\nT2\tLOC 18 40\tBern.\n");
    expect(beyond.line).toBe(3);
    expect(beyond.message).toContain("beyond the end of the text (23 characters)");
    const mismatch = read("T1\tPER 0 9\tAnna Bern\n");
    expect(mismatch.message).toBe(
      'c/doc.ann:1: T1: text "Anna Bern" does not match the text at those offsets ("Anna Berg")',
    );
    expect(read("T1\tPER 0 4\tAnna\n", null).message).toContain(
      "no matching .txt file (c/doc.txt)",
    );
    const latin1 = [
      { name: "d.ann", data: new Uint8Array([0x54, 0x31, 0x09, 0xe4]) },
      { name: "d.txt", data: new TextEncoder().encode("x") },
    ];
    expect(() => bratImporter.read(latin1)).toThrow("d.ann: is not valid UTF-8");
  });
});

describe("normaliseLineEnds", () => {
  it("turns CR LF and lone CR into LF and maps code-point offsets", () => {
    const { text, at } = normaliseLineEnds("a\r\nb\rc😀\r\nd");
    expect(text).toBe("a\nb\nc😀\nd");
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(at)).toEqual([0, 1, 1, 2, 3, 4, 5, 6, 6, 7]);
    expect(normaliseLineEnds("plain").at(3)).toBe(3);
  });
});
