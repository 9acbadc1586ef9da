import { describe, expect, it } from "vitest";
import type {
  Dataset,
  DatasetDocument,
  DatasetPart,
  ExportFile,
} from "../../../shared/dataset/dataset";
import {
  DatasetFileError,
  type ExportOptions,
  type ImportedData,
  type ImportFile,
} from "../../../shared/dataset/format-types";
import { conllExporter, conllImporter } from "../../../shared/dataset/formats/conll";
import { LossReport } from "../../../shared/dataset/loss-report";
import type { TagScheme } from "../../../shared/dataset/token-tags";
import { tokenize } from "../../../shared/dataset/tokens";
import {
  codePointSpan,
  fixtureCodebook,
  fixtureDataset,
  fixtureOptions,
  plainText,
  trickyText,
} from "./fixtures";

const encoder = new TextEncoder();

function exportConll(
  dataset: Dataset,
  options: Partial<ExportOptions> = {},
  parts: DatasetPart[] = [{ name: "", documents: dataset.documents }],
): { files: ExportFile[]; report: LossReport; text: (path: string) => string } {
  const report = new LossReport("conll");
  const files = conllExporter.exportParts(
    dataset,
    parts,
    { ...fixtureOptions, ...options },
    report,
  );
  if (files instanceof Promise) throw new Error("CoNLL export should be synchronous");
  const text = (path: string) => {
    const file = files.find((f) => f.path === path);
    if (!file || typeof file.data !== "string") throw new Error(`no text file ${path}`);
    return file.data;
  };
  return { files, report, text };
}

function asImportFiles(files: ExportFile[]): ImportFile[] {
  return files.map((file) => ({
    name: file.path,
    data: typeof file.data === "string" ? encoder.encode(file.data) : file.data,
  }));
}

function file(name: string, text: string): ImportFile {
  return { name, data: encoder.encode(text) };
}

/** Python's `text[start:end]`. */
function slice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join("");
}

/** An independent reader: documents → sentences → token lines split on single spaces. */
function parseConll(text: string): string[][][][] {
  const docs: string[][][][] = [];
  let sentence: string[][] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("-DOCSTART-")) {
      docs.push([]);
    } else if (line === "") {
      if (sentence.length > 0) docs[docs.length - 1]?.push(sentence);
      sentence = [];
    } else sentence.push(line.split(" "));
  }
  return docs;
}

/** A one-document dataset with the fixture codebook; spans as [label, quote, occurrence]. */
function smallDataset(text: string, spans: Array<[string, string, number?]>): Dataset {
  const kinds = new Map(fixtureCodebook.labels.map((label) => [label.id, label.kind]));
  const doc: DatasetDocument = {
    id: "small",
    text,
    meta: { title: "", source: "", url: "", date: "", language: "de" },
    annotator: "alice",
    spans: spans.map(([label, quote, occurrence = 0], i) => {
      const [start, end] = codePointSpan(text, quote, occurrence);
      return { id: `s${i}`, start, end, label, kind: kinds.get(label) ?? "entity", text: quote };
    }),
    codes: {},
  };
  return { ...fixtureDataset(), documents: [doc] };
}

/** What an import pipeline would make of the imported documents (kinds from the codebook). */
function toDataset(imported: ImportedData, base: Dataset): Dataset {
  const kinds = new Map(base.codebook.labels.map((label) => [label.id, label.kind]));
  const documents = imported.documents.map(
    (doc, d): DatasetDocument => ({
      id: doc.id ?? `doc${d}`,
      text: doc.text,
      meta: { title: "", source: "", url: "", date: "", language: doc.meta?.language ?? "und" },
      annotator: doc.annotator ?? "",
      spans: doc.spans.map((span, i) => ({
        id: `i${i}`,
        start: span.start,
        end: span.end,
        label: span.label,
        kind: kinds.get(span.label) ?? "entity",
        text: slice(doc.text, span.start, span.end),
      })),
      codes: {},
    }),
  );
  return { ...base, documents };
}

function readError(files: ImportFile[]): DatasetFileError {
  try {
    conllImporter.read(files);
  } catch (error) {
    if (error instanceof DatasetFileError) return error;
    throw error;
  }
  throw new Error("expected a DatasetFileError");
}

describe("CoNLL export layout", () => {
  const dataset = fixtureDataset();
  const { files, text } = exportConll(dataset);
  const conll = text("data.conll");

  it("writes data.conll and data.offsets.jsonl for an unsplit export", () => {
    expect(files.map((f) => f.path)).toEqual(["data.conll", "data.offsets.jsonl"]);
  });

  it("starts every document with -DOCSTART- and a blank line, without comment lines", () => {
    const lines = conll.split("\n");
    expect(lines[0]).toBe("-DOCSTART- -X- -X- O");
    expect(lines[1]).toBe("");
    const starts = lines.flatMap((line, i) => (line.startsWith("-DOCSTART-") ? [i] : []));
    expect(starts).toHaveLength(dataset.documents.length);
    for (const i of starts) {
      expect(lines[i]).toBe("-DOCSTART- -X- -X- O");
      expect(lines[i + 1]).toBe("");
      if (i > 0) expect(lines[i - 1]).toBe("");
    }
    expect(lines.some((line) => line.startsWith("#"))).toBe(false);
    expect(conll.endsWith("\n. -X- _ O\n\n")).toBe(true);
  });

  it("writes one block per sentence, four columns TOKEN -X- _ TAG", () => {
    const docs = parseConll(conll);
    expect(docs).toHaveLength(3);
    docs.forEach((sentences, d) => {
      const doc = dataset.documents[d] as DatasetDocument;
      const tokenized = tokenize(doc.text, doc.meta.language);
      expect(sentences.map((s) => s.length)).toEqual(tokenized.sentences.map(([a, b]) => b - a));
      const cells = sentences.flat();
      expect(cells.map((c) => c[0])).toEqual(tokenized.tokens.map((t) => t.text));
      for (const columns of cells) {
        expect(columns).toHaveLength(4);
        expect(columns[1]).toBe("-X-");
        expect(columns[2]).toBe("_");
        expect(columns[3]).toMatch(/^(O|[BI]-(PER|ORG|LOC|DATE))$/);
      }
    });
    // Three sentences in the tricky article (CRLF ends two), two in the plain one.
    expect(docs.map((d) => d.length)).toEqual([3, 3, 2]);
  });

  it("aligns every token of the offsets file with the text by code points", () => {
    const rows = text("data.offsets.jsonl")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const docs = parseConll(conll);
    expect(rows).toHaveLength(3);
    rows.forEach((row, d) => {
      const doc = dataset.documents[d] as DatasetDocument;
      expect(row).toMatchObject({
        id: doc.id,
        annotator: doc.annotator,
        text: doc.text,
        language: "de",
      });
      const cells = (docs[d] ?? []).flat();
      expect(row.tokens).toHaveLength(cells.length);
      row.tokens.forEach(([start, end]: [number, number], i: number) => {
        expect(slice(doc.text, start, end)).toBe(cells[i]?.[0]);
      });
    });
    const tricky = rows[0].tokens as Array<[number, number]>;
    const at = (quote: string, occurrence = 0) => codePointSpan(trickyText, quote, occurrence);
    expect(tricky[0]).toEqual([0, 2]); // 🇺🇦 is two code points
    expect(tricky).toContainEqual(at("Zu\u0308rich")); // NFD: 7 code points, one token
    expect(tricky).toContainEqual(at("الأمم"));
    expect(tricky).toContainEqual(at("Die")); // after CRLF
    expect(tricky).toContainEqual(at("👍🏽"));
    expect(at("Die")[0]).toBe(at("Selenskyj.")[1] + 2);
    expect(rows[2].tokens[0]).toEqual(codePointSpan(plainText, "Berlin"));
  });
});

describe("CoNLL tags per scheme", () => {
  // Adjacent PER spans, a three-token span and single-token spans.
  const text = "Heute sprachen Anna Maria Berg Otto und die Stadt Wien.";
  const dataset = smallDataset(text, [
    ["PER", "Anna Maria Berg"],
    ["PER", "Otto"],
    ["LOC", "Wien"],
  ]);
  const expected: Record<TagScheme, string> = {
    iob1: "O O I-PER I-PER I-PER B-PER O O O I-LOC O",
    iob2: "O O B-PER I-PER I-PER B-PER O O O B-LOC O",
    bioes: "O O B-PER I-PER E-PER S-PER O O O S-LOC O",
  };
  for (const scheme of ["iob1", "iob2", "bioes"] as const) {
    it(`tags ${scheme}`, () => {
      const cells = parseConll(exportConll(dataset, { scheme }).text("data.conll")).flat(2);
      expect(cells.map((c) => c[0]).join(" ")).toBe(
        "Heute sprachen Anna Maria Berg Otto und die Stadt Wien .",
      );
      expect(cells.map((c) => c[3]).join(" ")).toBe(expected[scheme]);
    });
  }

  it("IOB1 uses B- only between touching chunks of the same label", () => {
    const touching = smallDataset("Anna Otto Wien Graz.", [
      ["PER", "Anna"],
      ["PER", "Otto"],
      ["LOC", "Wien"],
      ["LOC", "Graz"],
    ]);
    const cells = parseConll(exportConll(touching, { scheme: "iob1" }).text("data.conll")).flat(2);
    expect(cells.map((c) => c[3])).toEqual(["I-PER", "B-PER", "I-LOC", "B-LOC", "O"]);
  });
});

describe("CoNLL loss report", () => {
  it("reports the nested UN, the untagged stance span, attributes and codes", () => {
    const { report } = exportConll(fixtureDataset(), { tagKinds: ["entity", "date"] });
    const data = report.toData();
    const item = (code: string) => data.items.find((i) => i.code === code);
    expect(item("overlap")?.count).toBe(2);
    expect(item("overlap")?.examples.some((e) => e.includes('(alice) ORG "UN"'))).toBe(true);
    expect(item("kind-stance-not-tagged")?.count).toBe(2);
    expect(item("attribute-entity-not-carried")?.count).toBe(2);
    expect(item("attribute-value-not-carried")?.count).toBe(3);
    expect(item("attribute-note-not-carried")?.count).toBe(2);
    for (const attribute of ["target", "polarity", "holder"]) {
      expect(item(`attribute-${attribute}-not-carried`)?.count).toBe(2);
    }
    expect(item("document-code-not-carried")?.count).toBe(9);
    expect(item("token-whitespace-replaced")).toBeUndefined();
    expect(data.notes).toHaveLength(1);
    expect(data.notes[0]).toMatch(/UAX #29.*IOB2.*outermost/);
  });

  it("tags the stance span when asked, reporting the spans it covers", () => {
    const { report, text } = exportConll(fixtureDataset(), {
      tagKinds: ["entity", "date", "stance"],
    });
    const data = report.toData();
    expect(data.items.find((i) => i.code === "kind-stance-not-tagged")).toBeUndefined();
    // Alice: UN, Mauch; bob: Wolodymyr, Mauch (Zürich starts after the stance span ends).
    expect(data.items.find((i) => i.code === "overlap")?.count).toBe(4);
    expect(text("data.conll")).toContain("„ -X- _ B-STANCE");
  });

  it("writes whitespace-like characters in tokens as _ and reports them", () => {
    const dataset = smallDataset("Sie sagte \u0308 nein\u0085 ja.", []);
    const { report, text } = exportConll(dataset);
    const cells = parseConll(text("data.conll")).flat(2);
    for (const columns of cells) expect(columns).toHaveLength(4);
    expect(cells.map((c) => c[0])).toEqual(["Sie", "sagte", "_\u0308", "nein", "_", "ja", "."]);
    expect(report.toData().items.find((i) => i.code === "token-whitespace-replaced")?.count).toBe(
      2,
    );
  });
});

describe("CoNLL round trip", () => {
  for (const scheme of ["iob1", "iob2", "bioes"] as const) {
    it(`export → import → export gives the same bytes (${scheme})`, () => {
      const dataset = fixtureDataset();
      const parts = [
        { name: "train", documents: dataset.documents.slice(0, 2) },
        { name: "validation", documents: [] },
        { name: "test", documents: dataset.documents.slice(2) },
      ];
      const first = exportConll(dataset, { scheme }, parts);
      expect(first.files.map((f) => f.path)).toEqual([
        "train/data.conll",
        "train/data.offsets.jsonl",
        "test/data.conll",
        "test/data.offsets.jsonl",
      ]);
      const imported = conllImporter.read(asImportFiles(first.files));
      expect(imported.warnings).toEqual([]);
      const again = toDataset(imported, dataset);
      expect(again.documents.map((d) => [d.id, d.annotator, d.text])).toEqual(
        dataset.documents.map((d) => [d.id, d.annotator, d.text]),
      );
      const second = exportConll(again, { scheme }, [
        { name: "train", documents: again.documents.slice(0, 2) },
        { name: "test", documents: again.documents.slice(2) },
      ]);
      expect(second.files).toEqual(first.files);
    });
  }

  it("imports the tagged spans with code-point offsets (the outermost span, not the nested UN)", () => {
    const { files } = exportConll(fixtureDataset());
    const [alice] = conllImporter.read(asImportFiles(files)).documents;
    const un = codePointSpan(trickyText, "Vereinten Nationen (UN)");
    expect(alice?.origin).toBe("data.conll:1");
    expect(alice?.spans).toContainEqual({
      start: un[0],
      end: un[1],
      label: "ORG",
      text: "Vereinten Nationen (UN)",
    });
    expect(alice?.spans.some((s) => s.text === "UN")).toBe(false);
    const zurich = codePointSpan(trickyText, "Zu\u0308rich", 1);
    expect(alice?.spans).toContainEqual({
      start: zurich[0],
      end: zurich[1],
      label: "LOC",
      text: "Zu\u0308rich",
    });
  });

  it("keeps tokens with whitespace-like characters exact through the offsets file", () => {
    const dataset = smallDataset("Sie sagte \u0308 nein\u0085 Anna.", [["PER", "Anna"]]);
    const first = exportConll(dataset, { scheme: "bioes" });
    const imported = conllImporter.read(asImportFiles(first.files));
    expect(imported.documents[0]?.text).toBe(dataset.documents[0]?.text);
    expect(exportConll(toDataset(imported, dataset), { scheme: "bioes" }).files).toEqual(
      first.files,
    );
  });
});

describe("CoNLL import without an offsets file", () => {
  it("rebuilds the text from tokens (spaces, line breaks between sentences) with the spans", () => {
    const { text } = exportConll(fixtureDataset());
    const imported = conllImporter.read([file("data.conll", text("data.conll"))]);
    expect(imported.documents).toHaveLength(3);
    const plain = imported.documents[2];
    expect(plain?.text).toBe(
      "Berlin , 18 . Dezember 2025 .\nFriedrich Merz traf Emmanuel Macron in Paris .",
    );
    expect(plain?.id).toBeUndefined();
    expect(plain?.spans.map((s) => [s.label, s.text])).toEqual([
      ["LOC", "Berlin"],
      ["DATE", "18 . Dezember 2025"],
      ["PER", "Friedrich Merz"],
      ["PER", "Emmanuel Macron"],
      ["LOC", "Paris"],
    ]);
    for (const doc of imported.documents) {
      for (const span of doc.spans) expect(slice(doc.text, span.start, span.end)).toBe(span.text);
    }
    const tricky = imported.documents[0];
    expect(tricky?.text.startsWith("🇺🇦 Kyiv 🙂")).toBe(true);
    expect(tricky?.spans[0]).toEqual({ start: 3, end: 7, label: "LOC", text: "Kyiv" });
  });

  it("reads a foreign IOB1 file: tabs, two columns, no -DOCSTART-, comments", () => {
    const foreign =
      "# sent_id = 1\nAnna\tI-PER\nBerg\tI-PER\nOtto\tB-PER\nin\tO\nWien\tI-LOC\n\r\nEr\tO\n";
    const { documents, warnings } = conllImporter.read([file("wnut.iob", foreign)]);
    expect(warnings).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]?.text).toBe("Anna Berg Otto in Wien\nEr");
    expect(documents[0]?.origin).toBe("wnut.iob:2");
    expect(documents[0]?.spans).toEqual([
      { start: 0, end: 9, label: "PER", text: "Anna Berg" },
      { start: 10, end: 14, label: "PER", text: "Otto" },
      { start: 18, end: 22, label: "LOC", text: "Wien" },
    ]);
  });

  it("reads IOB2 with an I- at a chunk start leniently, and BIOES with a warning when ill-formed", () => {
    const iob2 = conllImporter.read([file("a.bio", "Anna I-PER\nOtto B-PER\nKern I-PER\n")]);
    expect(iob2.documents[0]?.spans.map((s) => s.text)).toEqual(["Anna", "Otto Kern"]);
    const bioes = conllImporter.read([
      file(
        "b.conll",
        "Anna S-PER\nOtto B-PER\nKern E-PER\nin O\nNeu I-LOC\nYork E-LOC\nCity I-LOC\n",
      ),
    ]);
    expect(bioes.documents[0]?.spans.map((s) => s.text)).toEqual([
      "Anna",
      "Otto Kern",
      "Neu York",
      "City",
    ]);
    expect(bioes.warnings).toHaveLength(1);
    expect(bioes.warnings[0]).toMatch(/b\.conll: read as BIOES; 2 chunk/);
  });
});

describe("CoNLL detect", () => {
  const { files } = exportConll(fixtureDataset());
  const [conll, offsets] = asImportFiles(files);

  it("recognises its own files and foreign token/tag columns", () => {
    expect(conllImporter.detect(conll as ImportFile)).toBe(true);
    expect(conllImporter.detect(offsets as ImportFile)).toBe(true);
    expect(conllImporter.detect(file("x.txt", "Anna B-PER\nBerg I-PER\n\nEr O\n"))).toBe(true);
    expect(conllImporter.detect(file("x.iob", "Anna\tNNP\tB-PER\n"))).toBe(true);
  });

  it("rejects other files", () => {
    expect(conllImporter.detect(file("notes.txt", "Dear diary,\nToday was a good day.\n"))).toBe(
      false,
    );
    expect(conllImporter.detect(file("x.txt", "Anna B-PER\n"))).toBe(false); // .txt needs two lines
    expect(conllImporter.detect(file("x.json", "-DOCSTART- -X- -X- O\n"))).toBe(false);
    expect(conllImporter.detect(file("doc.ann", "T1\tPER 0 4\tAnna\n"))).toBe(false);
    expect(conllImporter.detect(file("data.jsonl", '{"id":"a","text":"x","tokens":[]}\n'))).toBe(
      false,
    );
    expect(conllImporter.detect(file("y.offsets.jsonl", '{"id":"a","text":"x"}\n'))).toBe(false);
  });
});

describe("CoNLL import errors", () => {
  const { files, text } = exportConll(fixtureDataset());
  const offsets = text("data.offsets.jsonl");

  it("rejects an illegal tag with file and line", () => {
    const error = readError([file("bad.conll", "-DOCSTART- -X- -X- O\n\nAnna -X- _ B_PER\n")]);
    expect(error.file).toBe("bad.conll");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^bad\.conll:3: illegal tag "B_PER"/);
  });

  it("rejects a line whose column count differs from the first token line", () => {
    const error = readError([file("bad.conll", "Anna -X- _ B-PER\nBerg I-PER\n")]);
    expect([error.file, error.line]).toEqual(["bad.conll", 2]);
    expect(error.problem).toMatch(/2 columns, but the first token line has 4/);
  });

  it("rejects a token line without a tag column", () => {
    expect(readError([file("bad.conll", "Anna\n")]).line).toBe(1);
  });

  it("rejects an offsets file that does not match the tokens", () => {
    const broken = offsets.replace("Kyiv", "Kiew");
    const error = readError([
      file("data.conll", text("data.conll")),
      file("data.offsets.jsonl", broken),
    ]);
    expect([error.file, error.line]).toEqual(["data.conll", 4]);
    expect(error.problem).toContain(
      'token "Kyiv" does not match the text at 3–7 ("Kiew") in data.offsets.jsonl:1',
    );
  });

  it("rejects an offsets file with the wrong number of documents or tokens, or no JSON", () => {
    const conll = file("data.conll", text("data.conll"));
    const lines = offsets.trimEnd().split("\n");
    const fewer = readError([
      conll,
      file("data.offsets.jsonl", `${lines.slice(0, 2).join("\n")}\n`),
    ]);
    expect(fewer.file).toBe("data.offsets.jsonl");
    expect(fewer.problem).toMatch(/2 document line\(s\), but data\.conll has 3/);
    const row = JSON.parse(lines[2] ?? "");
    row.tokens.pop();
    const short = [lines[0], lines[1], JSON.stringify(row)].join("\n");
    expect(readError([conll, file("data.offsets.jsonl", short)]).line).toBe(3);
    const notJson = readError([conll, file("data.offsets.jsonl", `${lines[0]}\n{oops\n`)]);
    expect([notJson.file, notJson.line]).toEqual(["data.offsets.jsonl", 2]);
  });

  it("rejects an empty file and one with only -DOCSTART- lines", () => {
    for (const content of ["", "\n\n", "-DOCSTART- -X- -X- O\n\n"]) {
      const error = readError([file("empty.conll", content)]);
      expect([error.file, error.line]).toEqual(["empty.conll", 1]);
      expect(error.problem).toMatch(/no token lines/);
    }
  });

  it("rejects bytes that are not UTF-8", () => {
    expect(
      readError([{ name: "x.conll", data: new Uint8Array([0x41, 0xff, 0x20, 0x4f]) }]).file,
    ).toBe("x.conll");
  });

  it("skips a document without tokens with a warning and ignores a lone offsets file", () => {
    const data = conllImporter.read([
      file("two.conll", "-DOCSTART- -X- -X- O\n\n-DOCSTART- -X- -X- O\n\nAnna -X- _ B-PER\n"),
      file("other.offsets.jsonl", offsets),
    ]);
    expect(data.documents).toHaveLength(1);
    expect(data.documents[0]?.origin).toBe("two.conll:3");
    expect(data.warnings).toEqual([
      "two.conll:1: document without tokens, skipped",
      "other.offsets.jsonl: no CoNLL file of the same name, ignored",
    ]);
    expect(files).toHaveLength(2);
  });
});
