/**
 * Markdown: front matter as metadata, the first heading as title, Markdown
 * syntax reduced to plain text one block per line, raw HTML as safe as in a
 * web page.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BINARY, extract, extractError, FIXTURES, onlyText, windows1252 } from "./importer-helpers";

describe("Markdown import", () => {
  it("reads front matter and turns Markdown into one line per block", async () => {
    const bytes = new Uint8Array(await readFile(path.join(FIXTURES, "article.md")));
    const result = await extract("article.md", bytes);
    expect(result.warnings).toEqual([]);
    const { text, ...meta } = result.articles[0] ?? { text: "" };
    expect(meta).toEqual({
      title: "Europäer beraten über Garantien",
      date: "2026-01-03",
      url: "https://wochenblatt.example/europa/garantien",
      source: "Wochenblatt",
      language: "de-AT",
    });
    expect(text.split("\n")).toEqual([
      "Europäer beraten über Garantien",
      "Die Außenminister der EU wollen kommende Woche in Brüssel über Sicherheitsgarantien für die Ukraine beraten. Das kündigte die Ratspräsidentschaft am Freitag an.",
      "Was geplant ist",
      "ein gemeinsames Papier bis Ende Jänner",
      "Gespräche mit Umjerow (auch: Umerow)",
      "in Brüssel",
      "in Kiew",
      "„Wir dürfen keine Zeit verlieren“, sagte ein Diplomat. Er wollte nicht genannt werden.",
      "Zeitplan:",
      "  12.01. Treffen",
      "Preise & Kosten: 5\u00a0Mrd. €, laut Haushaltsplan.",
      "Inline Hinweis mit Ende.",
      "Land\tZusage",
      "DE\tja",
    ]);
    expect(text).not.toMatch(/LEAK|alert|bild\.jpg|Foto|example\.org|Max Muster/);
  });

  it("takes the first # heading as title when there is no front matter", async () => {
    const result = await extract("a.markdown", "Vorspann\n\n## Unter\n\n# Haupttitel\n\nText.");
    expect(result.articles[0]?.title).toBe("Haupttitel");
    expect(onlyText(result)).toBe("Vorspann\nUnter\nHaupttitel\nText.");
    const untitled = await extract("b.md", "Nur Text.");
    expect(untitled.articles[0]?.title).toBeUndefined();
  });

  it("warns about front matter it cannot read and leaves those values out", async () => {
    const result = await extract(
      "c.md",
      "---\ntitle: Ein Titel\ndate: 05/06/2025\nurl: javascript:alert(1)\n---\nText.",
    );
    expect(result.articles[0]).toEqual({ text: "Text.", title: "Ein Titel" });
    expect(result.warnings).toEqual([
      'c.md: the date "05/06/2025" in the front matter could not be read; left out.',
      'c.md: "javascript:alert(1)" in the front matter is not a web address; left out.',
    ]);
  });

  it("refuses a file with front matter but no text, and binary bytes", async () => {
    expect((await extractError("d.md", "---\ntitle: Leer\n---\n\n")).message).toBe(
      "d.md: the file holds no text",
    );
    expect((await extractError("e.md", BINARY)).message).toBe(
      "e.md: looks like a binary file, not text",
    );
  });

  it("reads Windows-1252 Markdown with a warning", async () => {
    const result = await extract("f.md", windows1252("# Grüße\n\n„Zitat“ – Ende."));
    expect(onlyText(result)).toBe("Grüße\n„Zitat“ – Ende.");
    expect(result.warnings).toEqual([expect.stringMatching(/^f\.md: not valid UTF-8/)]);
  });
});
