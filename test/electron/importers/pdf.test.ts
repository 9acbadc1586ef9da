/**
 * PDFs made with pdf-lib: paragraphs rebuilt from positioned lines, words
 * hyphenated at the line end rejoined, metadata read; scanned, locked and
 * damaged files refused with a message that says what to do.
 */
import { PDFDocument, PDFHexString, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { extractPdfArticle } from "../../../electron/project/importers/pdf";
import { BINARY, extract, extractError, onlyText, utf8 } from "./importer-helpers";

/** A line of text on a page: its words, baseline height and font size. */
type Line = [text: string, y: number, size?: number, x?: number];

async function pdfFile(
  pages: Line[][],
  info: { title?: string; created?: Date } = {},
): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  if (info.title) doc.setTitle(info.title);
  if (info.created) doc.setCreationDate(info.created);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    for (const [text, y, size = 11, x = 50] of lines) page.drawText(text, { x, y, size, font });
  }
  return doc;
}

const save = async (doc: PDFDocument) => new Uint8Array(await doc.save());

describe("PDF import", () => {
  it("rebuilds headline and paragraphs and rejoins hyphenated words", async () => {
    const doc = await pdfFile(
      [
        [
          ["Kiew will Garantien", 800, 18],
          ["Die Ukraine verlangt Sicherheits-", 760],
          ["garantien von den USA und Europa, sagte", 746],
          ["der Präsident am Mittwoch.", 732],
          ["Der Nord-", 710],
          ["Stream-Streit bleibt; die US-", 696],
          ["Präsidentin schweigt. Umerow", 682],
          ["reist nach Miami.", 668],
        ],
      ],
      { title: "Kiew will Garantien", created: new Date("2025-12-18T10:00:00Z") },
    );
    const result = await extract("bericht.pdf", await save(doc));
    expect(result.warnings).toEqual([]);
    expect(result.articles[0]).toEqual({
      text: [
        "Kiew will Garantien",
        "Die Ukraine verlangt Sicherheitsgarantien von den USA und Europa, sagte der Präsident am Mittwoch.",
        "Der Nord-Stream-Streit bleibt; die US-Präsidentin schweigt. Umerow reist nach Miami.",
      ].join("\n"),
      title: "Kiew will Garantien",
      date: "2025-12-18",
    });
  });

  it("starts a paragraph at an indented line and runs a paragraph on across pages", async () => {
    const doc = await pdfFile([
      [
        ["Erster Absatz endet hier.", 760],
        ["Zweiter Absatz beginnt eingerückt und", 746, 11, 70],
        ["läuft auf der nächsten", 732],
      ],
      [
        ["Seite weiter.", 800],
        ["Dritter Absatz auf Seite zwei.", 770],
      ],
    ]);
    expect(onlyText(await extract("seiten.pdf", await save(doc))).split("\n")).toEqual([
      "Erster Absatz endet hier.",
      "Zweiter Absatz beginnt eingerückt und läuft auf der nächsten Seite weiter.",
      "Dritter Absatz auf Seite zwei.",
    ]);
  });

  it("ignores a title that only names the file", async () => {
    const doc = await pdfFile([[["Text.", 700]]], { title: "Microsoft Word - bericht.docx" });
    expect(await extract("a.pdf", await save(doc))).toMatchObject({
      articles: [{ text: "Text." }],
    });
    expect((await extract("a.pdf", await save(doc))).articles[0]?.title).toBeUndefined();
  });

  it("refuses a scanned PDF without a text layer, saying to OCR it", async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawRectangle({ x: 40, y: 40, width: 300, height: 400 });
    const error = await extractError("scan.pdf", await save(doc));
    expect(error.message).toMatch(/^scan\.pdf: has no text layer \(scanned PDF\?\); OCR it first/);
  });

  it("refuses a password-protected PDF clearly", async () => {
    const doc = await pdfFile([[["Geheim.", 700]]]);
    const hex = (bytes: number) => PDFHexString.of("ab".repeat(bytes));
    const encrypt = doc.context.obj({
      Filter: "Standard",
      V: 1,
      R: 2,
      O: hex(32),
      U: hex(32),
      P: -44,
    });
    doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
    doc.context.trailerInfo.ID = doc.context.obj([hex(16), hex(16)]);
    const error = await extractError(
      "geheim.pdf",
      new Uint8Array(await doc.save({ useObjectStreams: false })),
    );
    expect(error.message).toBe(
      "geheim.pdf: the PDF is protected by a password; save an unprotected copy and import that",
    );
  });

  it("refuses damaged and foreign bytes as not a PDF", async () => {
    const good = await save(await pdfFile([[["Text.", 700]]]));
    for (const bytes of [good.subarray(0, 200), BINARY, utf8("%PDF-1.7 aber kaputt")]) {
      const error = await extractError("kaputt.pdf", bytes);
      expect(error.message).toBe("kaputt.pdf: is not a PDF or it is damaged");
    }
  });

  it("reads at most the page limit and says so", async () => {
    const doc = await pdfFile([1, 2, 3, 4, 5].map((n) => [[`Seite ${n}.`, 700]]));
    const result = await extractPdfArticle(await save(doc), "lang.pdf", 3);
    expect(onlyText(result)).toBe("Seite 1.\nSeite 2.\nSeite 3.");
    expect(result.warnings).toEqual(["lang.pdf: only the first 3 of 5 pages were read."]);
  });

  it("leaves the caller's bytes intact", async () => {
    const bytes = await save(await pdfFile([[["Text.", 700]]]));
    const copy = bytes.slice();
    await extract("a.pdf", bytes);
    expect(bytes).toEqual(copy);
  });
});
