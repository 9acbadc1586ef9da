/**
 * Corpus files: CSV, TSV and JSON Lines with one article per row. Columns are
 * found by name or mapped by the user; broken rows, merge conflicts and odd
 * metadata are reported row by row, and big corpora go through quickly.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extract, extractError, FIXTURES, utf8 } from "./importer-helpers";

describe("CSV import", () => {
  it("finds the usual columns whatever their case, and reads quoted multi-line text", async () => {
    const csv = [
      "ID,Headline,Published_At,Body,URL,Outlet,Lang",
      '1,Kiew will Garantien,2025-12-18T10:00:00Z,"Selenskyj sagte:\r\n\r\n„Ohne Garantien, keine Unterschrift.“",https://a.example/1,Tagesblatt,de',
      '2,"Witkoff, Kushner",18.12.2025,"Text mit ""Anführungszeichen"".",,Abendpost,DE-at',
    ].join("\r\n");
    const result = await extract("korpus.csv", csv);
    expect(result.skipped).toEqual([]);
    expect(result.articles).toEqual([
      {
        text: "Selenskyj sagte:\n„Ohne Garantien, keine Unterschrift.“",
        title: "Kiew will Garantien",
        date: "2025-12-18",
        url: "https://a.example/1",
        source: "Tagesblatt",
        language: "de",
        origin: "row 2",
      },
      {
        text: 'Text mit "Anführungszeichen".',
        title: "Witkoff, Kushner",
        date: "2025-12-18",
        source: "Abendpost",
        language: "de-AT",
        origin: "row 3",
      },
    ]);
    expect(result.warnings).toEqual(['korpus.csv: these columns were not imported: "ID"']);
  });

  it("reads an Excel export: sep= line, semicolons, Windows-1252, German column names", async () => {
    const bytes = new Uint8Array(await readFile(path.join(FIXTURES, "excel-export.csv")));
    const result = await extract("excel-export.csv", bytes, {
      text: "artikeltext",
      date: "Erscheinungsdatum",
    });
    expect(result.articles.map((a) => [a.origin, a.title, a.date, a.source, a.url])).toEqual([
      ["row 2", "Kiew will Garantien", "2025-12-18", "Tagesblatt", "https://tagesblatt.example/a1"],
      [
        "row 3",
        "Witkoff trifft Umjerow",
        "2025-12-20",
        "Abendpost",
        "https://abendpost.example/b2",
      ],
      ["row 5", "Preise steigen", "2026-01-03", "Wirtschaftsblatt", undefined],
    ]);
    expect(result.articles[0]?.text).toBe(
      "Selenskyj fordert „echte“ Garantien – ohne sie keine Unterschrift.\nDie Gespräche gehen am Wochenende weiter.",
    );
    expect(result.articles[2]?.text).toContain("30 € mehr");
    expect(result.skipped).toEqual([
      { origin: "row 4", reason: 'the text column "Artikeltext" is empty' },
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^excel-export\.csv: not valid UTF-8; read as Windows-1252/),
      'excel-export.csv: in 1 row the URL is not a web address (http or https); left out (row 5: "www.wirtschaftsblatt.example/c3")',
      'excel-export.csv: these columns were not imported: "Nr"',
    ]);
  });

  it("reads TSV with tabs only", async () => {
    const result = await extract(
      "k.tsv",
      "title\ttext\nA, B; C\tEin Text, mit Komma; und Semikolon.\n",
    );
    expect(result.articles).toEqual([
      { text: "Ein Text, mit Komma; und Semikolon.", title: "A, B; C", origin: "row 2" },
    ]);
  });

  it("refuses a file without a text column, listing its columns and saying how to map one", async () => {
    const error = await extractError("k.csv", "id;titel;wortlaut\n1;a;b\n");
    expect(error.message).toBe(
      'k.csv: no column holds the article text (looked for text, body, content, article, fulltext, full_text, story, inhalt); the file has the columns "id", "titel", "wortlaut". Say which column holds the text with a column mapping, e.g. text = "id".',
    );
    const mapped = await extract("k.csv", "id;titel;wortlaut\n1;a;b\n", { text: "Wortlaut" });
    expect(mapped.articles).toEqual([{ text: "b", title: "a", origin: "row 2" }]);
  });

  it("refuses a mapping to a column the file does not have", async () => {
    const error = await extractError("k.csv", "id,text\n1,a\n", { title: "Überschrift" });
    expect(error.message).toBe(
      'k.csv: there is no column "Überschrift" (asked for as the title column); the file has the columns "id", "text"',
    );
  });

  it("skips broken rows with their spreadsheet row number and reason", async () => {
    const csv = [
      "title,text,date",
      "leer,,2025-01-01",
      "",
      'zu viele,"a",b,c,d',
      "datum,Text,05/06/2025",
      "datum2,Text zwei,gestern",
      'offen,"Dieses Feld wird nie geschlossen,2025-01-01',
      "danach,verschluckt,2025-01-01",
    ].join("\n");
    const result = await extract("k.csv", csv);
    expect(result.articles).toEqual([
      { text: "Text", title: "datum", origin: "row 5" },
      { text: "Text zwei", title: "datum2", origin: "row 6" },
    ]);
    expect(result.skipped).toEqual([
      { origin: "row 2", reason: 'the text column "text" is empty' },
      {
        origin: "row 4",
        reason:
          "has 5 fields but the header has 3; a comma inside the text may be missing its quotes",
      },
      {
        origin: "row 7",
        reason:
          'a quoted field is never closed (a " is missing), so the rest of the file ran into this row',
      },
    ]);
    expect(result.warnings).toContain(
      'k.csv: in 2 rows the date could not be read unambiguously (write it as YYYY-MM-DD); left out (row 5: "05/06/2025", row 6: "gestern")',
    );
  });

  it("skips the rows inside a git merge conflict, names them, and imports the rest", async () => {
    const csv = [
      "title,text",
      "vorher,Text vorher",
      "<<<<<<< HEAD",
      "A,Fassung von Anna",
      "=======",
      "A,Fassung von Ben",
      ">>>>>>> ben",
      "nachher,Text nachher",
    ].join("\n");
    const result = await extract("konflikt.csv", csv);
    expect(result.articles.map((a) => a.text)).toEqual(["Text vorher", "Text nachher"]);
    expect(result.skipped).toEqual([
      { origin: "row 4", reason: "inside an unresolved git merge conflict" },
      { origin: "row 6", reason: "inside an unresolved git merge conflict" },
    ]);
    expect(result.warnings).toEqual([
      "konflikt.csv: an unresolved git merge conflict (<<<<<<< … >>>>>>>) covers rows 3–7; the rows inside it were skipped. Resolve the conflict and import the file again.",
    ]);
    const markerInText = await extract("k.csv", 'title,text\nA,"Anfang\n<<<<<<< HEAD\nx"\n');
    expect(markerInText.skipped).toEqual([
      {
        origin: "row 2",
        reason: "the text holds git conflict markers (<<<<<<<, =======, >>>>>>>)",
      },
    ]);
    const header = await extractError("k.csv", "<<<<<<< HEAD\ntitle,text\n");
    expect(header.message).toMatch(/^k\.csv: the header row is a git conflict marker/);
  });

  it("refuses a file with a header but no rows", async () => {
    expect((await extractError("k.csv", "title,text\n\n")).message).toBe(
      "k.csv: the file has a header row but no articles",
    );
  });

  it("reads a 20 MB corpus and returns every row", { timeout: 120_000 }, async () => {
    const filler =
      "Die Ukraine verlangt Sicherheitsgarantien, sagte Selenskyj am Mittwoch. ".repeat(20);
    const rows = ["id,title,date,text"];
    let size = 0;
    while (size < 20_000_000) {
      const row = `${rows.length},"Titel ${rows.length}",2025-12-18,"${filler}""Zitat""\n${filler}"`;
      rows.push(row);
      size += row.length;
    }
    const result = await extract("gross.csv", rows.join("\n"));
    expect(result.articles).toHaveLength(rows.length - 1);
    expect(result.articles.at(-1)?.origin).toBe(`row ${rows.length}`);
    expect(result.skipped).toEqual([]);
  });
});

describe("JSON Lines import", () => {
  it("reads Tagwerk's own export, skipping a truncated line with the parser's complaint", async () => {
    const bytes = new Uint8Array(await readFile(path.join(FIXTURES, "tagwerk-export.jsonl")));
    const result = await extract("tagwerk-export.jsonl", bytes);
    expect(result.articles).toEqual([
      {
        text: "Kiew will Garantien\nSelenskyj sagte am Mittwoch, ohne Garantien werde er nicht unterschreiben.",
        title: "Kiew will Garantien",
        source: "Tagesblatt",
        url: "https://tagesblatt.example/a1",
        date: "2025-12-18",
        language: "de",
        origin: "line 1",
      },
      {
        text: "Witkoff hat mit Europäern über Sicherheitsgarantien gesprochen. 🇺🇦",
        title: "Witkoff spricht mit Europäern",
        source: "Abendpost",
        date: "2025-12-31",
        language: "de-CH",
        origin: "line 2",
      },
      {
        text: "Kyiv wants guarantees, the president said on Wednesday.",
        title: "Kyiv wants guarantees",
        source: "The Daily Example",
        date: "2026-01-03",
        language: "en-GB",
        origin: "line 4",
      },
    ]);
    expect(result.skipped).toEqual([
      { origin: "line 3", reason: expect.stringMatching(/^not valid JSON: /) },
    ]);
    expect(result.warnings).toEqual([
      'tagwerk-export.jsonl: these fields were not imported: "id", "annotator", "spans", "codes"',
    ]);
  });

  it("reports broken lines, lines that are not objects, empty texts and merge conflicts by line", async () => {
    const jsonl = [
      '{"Content": "Erster Text", "Headline": "Eins"}',
      "",
      '{"content": "Zweiter Text",}',
      "[1, 2]",
      '{"content": ["Absatz eins", "Absatz zwei"]}',
      '{"content": "   "}',
      "<<<<<<< HEAD",
      '{"content": "Annas Fassung"}',
      "=======",
      '{"content": "Bens Fassung"}',
      ">>>>>>> ben",
      '{"content": 42}',
    ].join("\r\n");
    const result = await extract("k.ndjson", jsonl);
    expect(result.articles).toEqual([
      { text: "Erster Text", title: "Eins", origin: "line 1" },
      { text: "Absatz eins\nAbsatz zwei", origin: "line 5" },
      { text: "42", origin: "line 12" },
    ]);
    expect(result.skipped).toEqual([
      { origin: "line 3", reason: expect.stringMatching(/^not valid JSON: .*position/) },
      { origin: "line 4", reason: "not a JSON object ({ … }) with the article's fields" },
      { origin: "line 6", reason: 'the text field "Content" is empty' },
      { origin: "line 8", reason: "inside an unresolved git merge conflict" },
      { origin: "line 10", reason: "inside an unresolved git merge conflict" },
    ]);
    expect(result.warnings).toEqual([
      "k.ndjson: an unresolved git merge conflict (<<<<<<< … >>>>>>>) covers lines 7–11; the lines inside it were skipped. Resolve the conflict and import the file again.",
    ]);
  });

  it("maps unusual field names and refuses what it cannot use", async () => {
    const line = '{"Artikeltext": "Text", "Titel": "T", "Datum": "2025-12-18"}';
    const mapped = await extract("k.jsonl", line, { text: "Artikeltext" });
    expect(mapped.articles).toEqual([
      { text: "Text", title: "T", date: "2025-12-18", origin: "line 1" },
    ]);
    expect((await extractError("k.jsonl", '{"wortlaut": "x"}')).message).toMatch(
      /^k\.jsonl: no field holds the article text .* the file has the fields "wortlaut"/,
    );
    expect((await extractError("k.jsonl", '[{"text": "x"}]')).message).toMatch(
      /^k\.jsonl: holds one JSON list, not JSON Lines/,
    );
    const startsWithList = await extract("k.jsonl", '[1, 2]\n{"text": "a"}');
    expect(startsWithList.articles).toEqual([{ text: "a", origin: "line 2" }]);
    expect(startsWithList.skipped.map((s) => s.origin)).toEqual(["line 1"]);
    const allBroken = await extract("k.jsonl", "{kaputt\n{auch kaputt\n");
    expect(allBroken.articles).toEqual([]);
    expect(allBroken.skipped.map((s) => s.origin)).toEqual(["line 1", "line 2"]);
    expect(allBroken.warnings).toEqual(["k.jsonl: no line holds an article"]);
  });

  it("reads 20,000 lines and returns every article", { timeout: 120_000 }, async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({
        text: `Artikel ${i}: ${"Text ".repeat(200)}`,
        title: `T${i}`,
        date: "18.12.2025",
      }),
    );
    const result = await extract("gross.jsonl", utf8(lines.join("\n")));
    expect(result.articles).toHaveLength(20_000);
    expect(result.articles[19_999]).toMatchObject({ date: "2025-12-18", origin: "line 20000" });
  });
});
