/**
 * Word documents built with the `docx` package: paragraphs one per line, line
 * breaks and tables kept, the first Heading 1 as title; damaged and foreign
 * files refused with a message a researcher understands.
 */
import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from "docx";
import { describe, expect, it } from "vitest";
import { extract, extractError, onlyText, utf8 } from "./importer-helpers";

async function wordFile(children: (Paragraph | Table)[]): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

describe("Word import", () => {
  it("reads paragraphs, manual line breaks, lists of runs and tables", async () => {
    const bytes = await wordFile([
      new Paragraph({ text: "Kiew will Garantien", heading: HeadingLevel.HEADING_1 }),
      new Paragraph({
        children: [
          new TextRun("Selenskyj sagte am "),
          new TextRun({ text: "Mittwoch", bold: true }),
          new TextRun(", er werde nicht unterschreiben."),
          new TextRun({ text: "Neue Zeile nach Umbruch 👍", break: 1 }),
        ],
      }),
      new Paragraph(""),
      new Paragraph("Umjerow – auch Umerow geschrieben – reist nach Miami."),
      new Table({ rows: [new TableRow({ children: [cell("Name"), cell("Rolle")] })] }),
      new Paragraph("Ende."),
    ]);
    const result = await extract("bericht.docx", bytes);
    expect(result.warnings).toEqual([]);
    expect(result.articles[0]?.title).toBe("Kiew will Garantien");
    expect(onlyText(result).split("\n")).toEqual([
      "Kiew will Garantien",
      "Selenskyj sagte am Mittwoch, er werde nicht unterschreiben.",
      "Neue Zeile nach Umbruch 👍",
      "Umjerow – auch Umerow geschrieben – reist nach Miami.",
      "Name\tRolle",
      "Ende.",
    ]);
  });

  it("leaves the title to the text rules when there is no Heading 1", async () => {
    const result = await extract("ohne.DOCX", await wordFile([new Paragraph("Nur ein Absatz.")]));
    expect(result.articles[0]).toEqual({ text: "Nur ein Absatz." });
  });

  it("refuses damaged, truncated and foreign files as not a Word document", async () => {
    const good = await wordFile([new Paragraph("Text.")]);
    const samples = [
      good.subarray(0, Math.floor(good.length / 2)),
      utf8("Das ist nur Text in einer .docx-Datei."),
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
    ];
    for (const bytes of samples) {
      const error = await extractError("kaputt.docx", bytes);
      expect(error.message).toMatch(
        /^kaputt\.docx: is not a Word document \(\.docx\) or it is damaged/,
      );
    }
  });

  it("refuses a document without text", async () => {
    const error = await extractError("leer.docx", await wordFile([new Paragraph("")]));
    expect(error.message).toBe("leer.docx: the document holds no text");
  });
});
