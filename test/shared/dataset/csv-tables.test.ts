import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type {
  Dataset,
  DatasetDocument,
  DatasetPart,
  ExportFile,
} from "../../../shared/dataset/dataset";
import { csvExporter } from "../../../shared/dataset/formats/csv-tables";
import { LossReport } from "../../../shared/dataset/loss-report";
import { codePointSpan, fixtureDataset, fixtureOptions, trickyText } from "./fixtures";

const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");

function exportParts(dataset: Dataset, parts?: DatasetPart[], excelBom = false) {
  const report = new LossReport("csv");
  const files = csvExporter.exportParts(
    dataset,
    parts ?? [{ name: "", documents: dataset.documents }],
    { ...fixtureOptions, excelBom },
    report,
  ) as ExportFile[];
  return { files, report };
}

function fileText(files: ExportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

/** Reads a CSV file back with papaparse: header fields and rows as records. */
function table(files: ExportFile[], path: string) {
  const text = fileText(files, path).replace(/^\uFEFF/, "");
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

describe("CSV tables", () => {
  it("writes spans, stance and codes tables with the documented columns", () => {
    const { files, report } = exportParts(fixtureDataset());
    expect(files.map((f) => f.path)).toEqual(["spans.csv", "stance.csv", "codes.csv"]);
    expect(table(files, "spans.csv").fields).toEqual([
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
    ]);
    expect(table(files, "stance.csv").fields).toEqual([
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
    ]);
    expect(table(files, "codes.csv").fields).toEqual([
      "article",
      "annotator",
      "title",
      "date",
      "source",
      "url",
      "language",
      "topic",
      "actors",
      "summary",
      "sources",
    ]);
    expect(report.lossCount).toBe(0);
  });

  it("lists every span with code-point offsets that slice its article text", () => {
    const dataset = fixtureDataset();
    const { rows } = table(exportParts(dataset).files, "spans.csv");
    expect(rows).toHaveLength(dataset.documents.reduce((n, d) => n + d.spans.length, 0));
    const texts = new Map(dataset.documents.map((d) => [d.id, d.text]));
    for (const row of rows)
      expect(slice(texts.get(row.article ?? "") ?? "", Number(row.start), Number(row.end))).toBe(
        row.text,
      );
    const alice = rows.filter(
      (r) => r.annotator === "alice" && r.article === dataset.documents[0]?.id,
    );
    expect(alice.map((r) => r.text)).toEqual(
      expect.arrayContaining(["Zu\u0308rich", "الأمم المتحدة", "Kyiv"]),
    );
    const date = rows.find((r) => r.span_id === "a-date");
    expect(date).toMatchObject({ kind: "date", label: "DATE", value: "2026-01-03", entity: "" });
    expect(rows.find((r) => r.span_id === "a-zel")?.note).toBe("spelling as in the source");
  });

  it("gives stance spans with the names of target, polarity and holder", () => {
    const { rows } = table(exportParts(fixtureDataset()).files, "stance.csv");
    expect(rows).toHaveLength(2);
    const quote = "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch";
    const [start, end] = codePointSpan(trickyText, quote);
    expect(rows[0]).toEqual({
      article: "2026-01-03-zurich-a1b2c3d4",
      annotator: "alice",
      span_id: "a-stance",
      start: String(start),
      end: String(end),
      quote,
      target: "ceasefire",
      target_name: "Ceasefire",
      polarity: "favour",
      polarity_name: "In favour",
      holder: "corine-mauch",
      holder_name: "Corine Mauch",
      note: "",
    });
    expect(rows[1]?.annotator).toBe("bob");
  });

  it("leaves holder_name empty when the holder is not a registry entity", () => {
    const dataset = fixtureDataset();
    const stance = dataset.documents[0]?.spans.find((s) => s.id === "a-stance");
    if (stance) stance.holder = "Bürgermeisterin";
    const { rows } = table(exportParts(dataset).files, "stance.csv");
    expect(rows[0]).toMatchObject({ holder: "Bürgermeisterin", holder_name: "" });
  });

  it("gives one codes row per article and annotator, several choices joined with '; '", () => {
    const { rows } = table(exportParts(fixtureDataset()).files, "codes.csv");
    expect(rows).toEqual([
      {
        article: "2026-01-03-zurich-a1b2c3d4",
        annotator: "alice",
        title: "Zürich trifft Kyiv",
        date: "2026-01-03",
        source: "Tagblatt",
        url: "https://example.org/a",
        language: "de",
        topic: "war",
        actors: "eu; ru",
        summary: 'Mayor meets "Selenskyj", talks; ceasefire',
        sources: "2",
      },
      expect.objectContaining({ annotator: "bob", actors: "eu; ru" }),
      expect.objectContaining({
        article: "2025-12-18-merz-macron-0f0f0f0f",
        topic: "economy",
        actors: "",
        summary: "",
        sources: "",
      }),
    ]);
  });

  it("gives codes the codebook lacks their own columns, sorted, in every part", () => {
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    c.codes.zeta = "z";
    a.codes.alpha = ["x", "y"];
    const { files, report } = exportParts(dataset, [
      { name: "train", documents: [a, b] },
      { name: "test", documents: [c] },
    ]);
    expect(table(files, "test/codes.csv").fields.slice(-2)).toEqual(["alpha", "zeta"]);
    expect(table(files, "train/codes.csv").fields.slice(-2)).toEqual(["alpha", "zeta"]);
    expect(table(files, "train/codes.csv").rows[0]).toMatchObject({ alpha: "x; y", zeta: "" });
    expect(table(files, "test/codes.csv").rows[0]).toMatchObject({ alpha: "", zeta: "z" });
    expect(report.toData().notes.join("\n")).toMatch(/codebook does not list: alpha, zeta/);
    expect(report.lossCount).toBe(0);
  });

  it("quotes per RFC 4180 and ends every record with CRLF", () => {
    const dataset = fixtureDataset();
    const doc = dataset.documents[0] as DatasetDocument;
    // A span across the CRLF line break, with a note holding quotes and a comma.
    const quote = "Selenskyj.\r\nDie";
    const [start, end] = codePointSpan(trickyText, quote);
    doc.spans.push({
      id: "x-crlf",
      start,
      end,
      label: "PER",
      kind: "entity",
      text: quote,
      note: 'a "b", c',
    });
    const { files } = exportParts(dataset);
    const raw = fileText(files, "spans.csv");
    expect(raw).toContain(`,"Selenskyj.\r\nDie",,,,,,"a ""b"", c"\r\n`);
    expect(raw).toContain(
      "2025-12-18-merz-macron-0f0f0f0f,alice,p-berlin,entity,LOC,0,6,Berlin,,,,,,\r\n",
    );
    expect(raw.endsWith("\r\n")).toBe(true);
    expect(raw.replace(/"[^"]*(""[^"]*)*"/g, "").match(/(?<!\r)\n/g)).toBeNull();
    const row = table(files, "spans.csv").rows.find((r) => r.span_id === "x-crlf");
    expect(row?.text).toBe(quote);
    expect(row?.note).toBe('a "b", c');
    expect(slice(doc.text, Number(row?.start), Number(row?.end))).toBe(quote);
    const codes = fileText(files, "codes.csv");
    expect(codes).toContain(',"Mayor meets ""Selenskyj"", talks; ceasefire",2\r\n');
  });

  it("starts each file with a byte-order mark when asked for Excel", () => {
    const { files } = exportParts(fixtureDataset(), undefined, true);
    for (const file of files) {
      const text = fileText(files, file.path);
      expect(text.startsWith("\uFEFFarticle,annotator,")).toBe(true);
      expect(text.indexOf("\uFEFF", 1)).toBe(-1);
    }
    const plain = exportParts(fixtureDataset()).files;
    expect(fileText(plain, "spans.csv").startsWith("article,")).toBe(true);
  });

  it("writes split parts into their folders, headers even for empty parts", () => {
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    const { files } = exportParts(dataset, [
      { name: "train", documents: [a, b] },
      { name: "test", documents: [c] },
    ]);
    expect(files.map((f) => f.path)).toEqual([
      "train/spans.csv",
      "train/stance.csv",
      "train/codes.csv",
      "test/spans.csv",
      "test/stance.csv",
      "test/codes.csv",
    ]);
    expect(table(files, "test/stance.csv").rows).toEqual([]);
    expect(fileText(files, "test/stance.csv")).toBe(
      "article,annotator,span_id,start,end,quote,target,target_name,polarity,polarity_name,holder,holder_name,note\r\n",
    );
    expect(table(files, "train/spans.csv").rows).toHaveLength(a.spans.length + b.spans.length);
  });

  it("gives the same bytes when exported twice", () => {
    expect(exportParts(fixtureDataset()).files).toEqual(exportParts(fixtureDataset()).files);
  });
});
