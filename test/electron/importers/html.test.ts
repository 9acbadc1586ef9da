/**
 * Web pages: the article without the page around it, metadata from the head,
 * encodings, and hostile markup whose scripts, styles and handlers must never
 * turn into article text.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_READABILITY_ELEMENTS } from "../../../electron/project/importers/html";
import { extract, extractError, FIXTURES, onlyText, utf8, windows1252 } from "./importer-helpers";

const LEAK = /LEAK|alert|javascript|document\.write|onerror|accept\(\)/;

function page(body: string, head = ""): string {
  return `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
}

const PARAGRAPH =
  "Der ukrainische Präsident hat am Mittwoch erneut verbindliche Sicherheitsgarantien gefordert, " +
  "ohne die sein Land keinem Abkommen zustimmen werde, wie er vor Journalisten in Kiew sagte.";

describe("HTML import", () => {
  it("takes the article from a news page and drops navigation, related links and comments", async () => {
    const bytes = new Uint8Array(await readFile(path.join(FIXTURES, "news-page.html")));
    const result = await extract("news-page.html", bytes);
    expect(result.warnings).toEqual([]);
    const text = onlyText(result);
    const lines = text.split("\n");
    expect(lines).toContain(
      "Der ukrainische Präsident Wolodymyr Selenskyj hat am Mittwoch erneut verbindliche Sicherheitsgarantien des Westens gefordert. Ohne solche Zusagen werde die Ukraine keinem Abkommen zustimmen, sagte er vor Journalisten in Kiew.",
    );
    expect(lines).toContain("Details nannte er nicht.");
    expect(lines).toContain(
      "„Wir brauchen Garantien, die nicht nur auf dem Papier stehen“, sagte Selenskyj.",
    );
    expect(lines).toContain("Wolodymyr Selenskyj bei einer Pressekonferenz in Kiew (Archivbild).");
    for (const boilerplate of ["Startseite", "Cookies", "Kommentare", "Leser123", "Impressum"])
      expect(text).not.toContain(boilerplate);
    expect(text).not.toMatch(LEAK);
    expect(result.articles[0]).toMatchObject({
      title: "Kiew pocht auf Garantien",
      date: "2025-12-18",
      url: "https://tagesblatt.example/politik/kiew-pocht-auf-garantien",
      source: "Tagesblatt",
      language: "de-AT",
    });
  });

  it("never lets scripts, styles, handlers, templates or javascript: links into the text", async () => {
    const hostile = page(
      `<script>alert("LEAK1")</script><style>p::before{content:"LEAK2"}</style>
       <article><h1 onclick="alert('LEAK3')">Überschrift</h1>
       <p>${PARAGRAPH} <img src=x onerror="alert('LEAK4')"> <a href="javascript:alert('LEAK5')">Link</a></p>
       <noscript>LEAK6</noscript><template><p>LEAK7</p></template>
       <p>${PARAGRAPH}<script type="module">import("LEAK8")</script></p>
       <iframe srcdoc="<p>LEAK9</p>"></iframe><object data="x.swf">LEAK10</object>
       <svg><script>LEAK11</script><text>LEAK12</text></svg><math><mi>LEAK13</mi></math>
       <form><textarea>LEAK14</textarea><select><option>LEAK15</option></select><button>LEAK16</button></form>
       <p hidden>LEAK17</p><div style="display: none">LEAK18</div></article>`,
      `<title>Seite</title><meta http-equiv="refresh" content="0;url=javascript:alert('LEAK19')">`,
    );
    const result = await extract("feindlich.html", hostile);
    const text = onlyText(result);
    expect(text).toContain("Sicherheitsgarantien gefordert");
    expect(text).toContain("Link");
    expect(text).not.toMatch(LEAK);
    expect((globalThis as { LEAK1?: unknown }).LEAK1).toBeUndefined();
  });

  it("falls back to the whole page's text with a warning when no article is found", async () => {
    const result = await extract(
      "rest.html",
      page(`<footer>Impressum und Kontakt</footer><script>alert("LEAK")</script>`),
    );
    expect(onlyText(result)).toBe("Impressum und Kontakt");
    expect(result.warnings).toEqual([
      expect.stringMatching(/^rest\.html: could not tell the article apart/),
    ]);
  });

  it("refuses a page with nothing readable in it", async () => {
    const error = await extractError("leer.html", page("<script>alert('x')</script><img src=a>"));
    expect(error.message).toBe("leer.html: the page holds no readable text");
  });

  it("writes one line per block, breaks lines at <br>, joins table rows with tabs, keeps code lines", async () => {
    const result = await extract(
      "bloecke.htm",
      page(`<article><p>${PARAGRAPH}</p><p>Erste   Zeile<br>zweite
        Zeile</p><ul><li>eins</li><li>zwei <em>betont</em></li></ul>
        <table><tr><th>Name</th><th>Partei</th></tr><tr><td>Selenskyj</td><td>Diener des Volkes</td></tr></table>
        <pre>code  zeile 1
  code zeile 2</pre><p>${PARAGRAPH}</p></article>`),
    );
    const lines = onlyText(result).split("\n");
    expect(lines).toEqual([
      PARAGRAPH,
      "Erste Zeile",
      "zweite Zeile",
      "eins",
      "zwei betont",
      "Name\tPartei",
      "Selenskyj\tDiener des Volkes",
      "code  zeile 1",
      "  code zeile 2",
      PARAGRAPH,
    ]);
  });

  it("reads the date from JSON-LD or <time> and ignores a canonical link that is not a web address", async () => {
    const head = `<title>T</title><link rel="canonical" href="javascript:alert(1)">
      <meta property="og:url" content="https://zeitung.example/a">
      <script type="application/ld+json">{ broken json</script>
      <script type="application/ld+json">[{"@type":"NewsArticle","datePublished":"2026-01-03T08:00:00Z"}]</script>`;
    const result = await extract("ld.html", page(`<article><p>${PARAGRAPH}</p></article>`, head));
    expect(result.articles[0]).toMatchObject({
      date: "2026-01-03",
      url: "https://zeitung.example/a",
    });
    const timed = await extract(
      "zeit.html",
      page(`<article><time datetime="2025-12-31">Silvester</time><p>${PARAGRAPH}</p></article>`),
    );
    expect(timed.articles[0]?.date).toBe("2025-12-31");
    expect(timed.articles[0]?.url).toBeUndefined();
  });

  describe("encodings", () => {
    const latin = page(`<article><p>Grüße aus Wien – „Zitat“ für 5 €. ${PARAGRAPH}</p></article>`);

    it("honours <meta charset> for Windows-1252 and ISO-8859-1 pages without a warning", async () => {
      for (const charset of ["windows-1252", "ISO-8859-1"]) {
        const html = latin.replace("<head>", `<head><meta charset="${charset}">`);
        const result = await extract("alt.html", windows1252(html));
        expect(onlyText(result)).toContain("Grüße aus Wien – „Zitat“ für 5 €.");
        expect(result.warnings).toEqual([]);
      }
      const equiv = latin.replace(
        "<head>",
        `<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">`,
      );
      const fifteen = await extract("alt15.html", windows1252(equiv.replace(" €", "")));
      expect(onlyText(fifteen)).toContain("Grüße aus Wien");
    });

    it("reads a Windows-1252 page without a declaration, with a warning", async () => {
      const result = await extract("ohne.html", windows1252(latin));
      expect(onlyText(result)).toContain("Grüße aus Wien – „Zitat“ für 5 €.");
      expect(result.warnings).toEqual([expect.stringMatching(/^ohne\.html: not valid UTF-8/)]);
    });

    it("warns when a page claims UTF-8 but is not, and reads UTF-8 pages whatever they declare", async () => {
      const liar = latin.replace("<head>", `<head><meta charset="utf-8">`);
      const result = await extract("luege.html", windows1252(liar));
      expect(onlyText(result)).toContain("Grüße aus Wien");
      expect(result.warnings).toHaveLength(1);
      const utf = latin.replace("<head>", `<head><meta charset="iso-8859-1">`);
      expect(onlyText(await extract("utf.html", utf8(utf)))).toContain("„Zitat“");
    });
  });

  it("reads a 5 MB page and keeps every paragraph", { timeout: 120_000 }, async () => {
    const parts = [
      "<!DOCTYPE html><html lang=de><head><title>Groß</title></head><body><nav>Menü</nav><article>",
    ];
    let size = 0;
    let count = 0;
    while (size < 5_000_000) {
      const paragraph = `<p>Absatz ${count}: ${PARAGRAPH}</p>\n<script>alert("LEAK")</script>\n`;
      parts.push(paragraph);
      size += paragraph.length;
      count += 1;
    }
    parts.push("</article><footer>Impressum</footer></body></html>");
    const result = await extract("gross.html", parts.join(""));
    const lines = onlyText(result).split("\n");
    expect(lines).toHaveLength(count);
    expect(lines[count - 1]).toBe(`Absatz ${count - 1}: ${PARAGRAPH}`);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^gross\.html: the page is too large .* <article> element/),
    ]);
    expect(count).toBeGreaterThan(MAX_READABILITY_ELEMENTS);
  });
});
