/**
 * The importer's front door: which files it accepts, how it refuses the rest,
 * plain-text files, names with paths in them, and the two raw seed articles.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  extractArticles,
  getBaseName,
  SUPPORTED_EXTENSIONS,
} from "../../../electron/project/importers/extract-articles";
import { normaliseArticleText, readTextArticleFacts } from "../../../shared/text-article";
import { BINARY, extract, extractError, onlyText, windows1252 } from "./importer-helpers";

const SEEDS = path.resolve(import.meta.dirname, "..", "..", "..", "..", "shared", "seeds");

describe("extractArticles", () => {
  it("lists the file endings it reads", () => {
    expect(SUPPORTED_EXTENSIONS).toEqual([
      ".txt",
      ".text",
      ".md",
      ".markdown",
      ".html",
      ".htm",
      ".docx",
      ".pdf",
      ".csv",
      ".tsv",
      ".jsonl",
      ".ndjson",
    ]);
  });

  it("reads a .txt file as it is, leaving title and date to the text-article rules", async () => {
    const raw = " date 2025-12-18\r\nKiew will Garantien\r\n\r\n👍 Selenskyj sagte …\r\n";
    const result = await extract("kiew.txt", raw);
    expect(result).toEqual({ articles: [{ text: raw }], warnings: [], skipped: [] });
    expect(await extract("kiew.TEXT", raw)).toEqual(result);
  });

  it("reads Windows-1252 and UTF-16 text, warning about the guess", async () => {
    const latin = await extract("alt.txt", windows1252("Grüße aus Wien – „Zitat“"));
    expect(onlyText(latin)).toBe("Grüße aus Wien – „Zitat“");
    expect(latin.warnings).toEqual([expect.stringMatching(/^alt\.txt: not valid UTF-8/)]);
    const units = "Ähm 😀";
    const utf16le = Uint16Array.from({ length: units.length }, (_, i) => units.charCodeAt(i));
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(utf16le.buffer)]);
    expect(onlyText(await extract("u16.txt", utf16))).toBe("Ähm 😀");
  });

  it("chooses the reader by the ending whatever its case", async () => {
    const result = await extract("SEITE.HTML", "<html><body><p>Ein Absatz.</p></body></html>");
    expect(onlyText(result)).toBe("Ein Absatz.");
  });

  it("refuses unsupported files, naming the ending and what is supported", async () => {
    const error = await extractError("tabelle.xlsx", "PK");
    expect(error.message).toBe(
      `tabelle.xlsx: .xlsx files cannot be imported (supported: ${SUPPORTED_EXTENSIONS.join(", ")})`,
    );
    expect(error.file).toBe("tabelle.xlsx");
    expect((await extractError("README", "Text")).message).toMatch(
      /^README: files without an ending cannot be imported/,
    );
  });

  it.each(SUPPORTED_EXTENSIONS)("refuses an empty %s file", async (extension) => {
    for (const content of ["", "  \n\t\r\n "]) {
      const error = await extractError(`leer${extension}`, content);
      expect(error.message).toBe(`leer${extension}: the file is empty`);
    }
  });

  it.each([".txt", ".md", ".html", ".csv", ".tsv", ".jsonl"])(
    "refuses binary bytes named %s, naming the file",
    async (extension) => {
      const error = await extractError(`bild${extension}`, BINARY);
      expect(error.message).toBe(`bild${extension}: looks like a binary file, not text`);
    },
  );

  it("names files by their base name only, whatever path the name carries", async () => {
    for (const name of ["../../etc/passwd.xyz", "..\\..\\Windows\\passwd.xyz", "/abs/passwd.xyz"]) {
      const error = await extractError(name, "x");
      expect(error.message).toMatch(/^passwd\.xyz: /);
      expect(error.message).not.toContain("..");
      expect(error.file).toBe("passwd.xyz");
    }
    const csv = await extractError("../../geheim/korpus.csv", "id,titel\n1,a\n");
    expect(csv.message).toMatch(/^korpus\.csv: /);
    const txt = await extractArticles({ name: "../../a/b.txt", bytes: windows1252("Grüße") });
    expect(txt.warnings[0]).toMatch(/^b\.txt: /);
    expect(getBaseName("..")).toBe("file");
    expect(getBaseName("dir/")).toBe("file");
  });

  it("passes no origin for one-article files", async () => {
    const result = await extract("a.md", "# Titel\n\nText.");
    expect(result.articles[0]?.origin).toBeUndefined();
  });
});

describe.skipIf(!existsSync(SEEDS))("the raw seed articles", () => {
  it.each([
    ["apa-afp-2025-12-18-raw.txt", "2025-12-18"],
    ["watson-2025-12-31-raw.txt", "2025-12-31"],
  ])("reads %s whole, with its publication date", async (file, date) => {
    const bytes = new Uint8Array(await readFile(path.join(SEEDS, file)));
    const result = await extractArticles({ name: file, bytes });
    expect(result.warnings).toEqual([]);
    const text = onlyText(result);
    expect(text).toContain("Witkoff");
    expect(text.length).toBeGreaterThan(bytes.length / 2);
    const facts = readTextArticleFacts(normaliseArticleText(text), file);
    expect(facts.date).toBe(date);
    expect(facts.language).toBe("de");
  });
});
