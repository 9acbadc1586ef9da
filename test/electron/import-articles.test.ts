/**
 * Importing plain-text articles into a real project folder on disk: encodings,
 * metadata line, duplicates, broken input — and nothing already saved changes.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createProject } from "../../electron/project/create-project";
import { importArticles } from "../../electron/project/import-articles";
import { decodeTextBytes } from "../../electron/project/importers/decode-text";
import { readArticle, readProject } from "../../electron/project/project-folder";
import { validateProject } from "../../electron/project/validate-project";

const REPO = path.resolve(import.meta.dirname, "..", "..");
const utf8 = (s: string) => new TextEncoder().encode(s);
let project: string;

beforeEach(async () => {
  project = await createProject(
    path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-import-")), "p"),
    "Test",
  );
});

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else
        out.set(
          path.relative(dir, full),
          createHash("sha256")
            .update(await readFile(full))
            .digest("hex"),
        );
    }
  };
  await walk(dir);
  return out;
}

describe("importArticles", () => {
  it("imports a scraped article with its date line, title and language, ready to open", async () => {
    const raw =
      " date 2025-12-18\r\nKiew will Garantien\r\nStartseite > Politik\r\n👍 Selenskyj sagte, dass die Ukraine nicht ohne Garantien unterschreiben wird.\r\n";
    const report = await importArticles(project, [{ name: "kiew.txt", bytes: utf8(raw) }]);
    expect(report.skipped).toEqual([]);
    const [item] = report.imported;
    expect(item?.title).toBe("Kiew will Garantien");
    expect(item?.articleId).toMatch(/^2025-12-18-kiew-will-garantien-[0-9a-f]{8}$/);
    const article = await readArticle(project, item?.articleId ?? "");
    expect(article.meta.date).toBe("2025-12-18");
    expect(article.meta.language).toBe("de");
    expect(article.text).not.toContain("\r");
    expect(article.textMatchesHash).toBe(true);
    const overview = await readProject(project);
    expect(overview.articles.map((a) => a.id)).toEqual([item?.articleId]);
    expect(overview.problems).toEqual([]);
  });

  it("gives the same text the same id in another project (two clones agree)", async () => {
    const other = await createProject(
      path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-import-")), "q"),
    );
    const file = {
      name: "a.txt",
      bytes: utf8("Titel\nText des Artikels, der nicht kurz ist und sich lohnt."),
    };
    const [a] = (await importArticles(project, [file])).imported;
    const [b] = (await importArticles(other, [file])).imported;
    expect(a?.articleId).toBe(b?.articleId);
  });

  it("does not import the same text twice, even under another name or with CRLF", async () => {
    await importArticles(project, [{ name: "a.txt", bytes: utf8("Titel\nGleicher Text.") }]);
    const before = await snapshot(project);
    const report = await importArticles(project, [
      { name: "b.txt", bytes: utf8("Titel\r\nGleicher Text.\r\n") },
    ]);
    expect(report.imported).toEqual([]);
    expect(report.skipped[0]?.reason).toMatch(/b\.txt: the project already has this text/);
    expect(await snapshot(project)).toEqual(before);
  });

  it("reads UTF-16 and Windows-1252 (with a warning), and rejects binary files by name", async () => {
    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...new Uint8Array(Buffer.from("Jänner-Treffen\nIn Wien.", "utf16le")),
    ]);
    const latin1 = new Uint8Array(Buffer.from("Gespräch in Zürich\nÜber Garantien.", "latin1"));
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]);
    const report = await importArticles(project, [
      { name: "w.txt", bytes: utf16 },
      { name: "z.txt", bytes: latin1 },
      { name: "bild.txt", bytes: binary },
    ]);
    expect(report.imported.map((i) => i.title)).toEqual(["Jänner-Treffen", "Gespräch in Zürich"]);
    expect(report.warnings).toEqual([
      {
        file: "z.txt",
        message: expect.stringMatching(/z\.txt: not valid UTF-8; read as Windows-1252/),
      },
    ]);
    expect(report.skipped).toEqual([
      { file: "bild.txt", reason: "bild.txt: looks like a binary file, not text" },
    ]);
  });

  it("skips empty and unsupported files with a reason and writes nothing for them", async () => {
    const before = await snapshot(project);
    const report = await importArticles(project, [
      { name: "leer.txt", bytes: utf8(" \n\r\n ") },
      { name: "tabelle.xlsx", bytes: utf8("PK") },
    ]);
    expect(report.imported).toEqual([]);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      "leer.txt: the file is empty",
      expect.stringMatching(
        /^tabelle\.xlsx: \.xlsx files cannot be imported \(supported: .*\.csv.*\)/,
      ),
    ]);
    expect(await snapshot(project)).toEqual(before);
  });

  it("cannot write outside the project, whatever the file is called", async () => {
    const report = await importArticles(project, [
      { name: "../../../../tmp/evil.txt", bytes: utf8("../../etc/passwd\nText.") },
    ]);
    const [item] = report.imported;
    expect(item?.file).toBe("evil.txt");
    expect(item?.articleId).toMatch(/^undated-etc-passwd-[0-9a-f]{8}$/);
    const files = await readdir(path.join(project, "articles"));
    expect(files.sort()).toEqual([`${item?.articleId}.json`, `${item?.articleId}.txt`]);
  });

  it("leaves the example project's files untouched when adding to it", async () => {
    const copy = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-import-")), "ex");
    await cp(path.join(REPO, "annotations"), copy, { recursive: true });
    const before = await snapshot(copy);
    await importArticles(copy, [{ name: "neu.txt", bytes: utf8("Neuer Artikel\nMit Text.") }]);
    const after = await snapshot(copy);
    for (const [file, hash] of before) expect(after.get(file), file).toBe(hash);
    expect(after.size).toBe(before.size + 2);
  });
});

const SEEDS = path.resolve(REPO, "..", "shared", "seeds");

describe.skipIf(!existsSync(SEEDS))("real scraped input from ../shared/seeds", () => {
  it("imports every seed with its date and headline, and keeps every character of the text", async () => {
    const names = (await readdir(SEEDS)).filter((n) => n.endsWith(".txt")).sort();
    const files = await Promise.all(
      names.map(async (name) => ({
        name,
        bytes: new Uint8Array(await readFile(path.join(SEEDS, name))),
      })),
    );
    const report = await importArticles(project, files);
    expect(report.skipped).toEqual([]);
    expect(report.imported).toHaveLength(names.length);
    for (const [i, item] of report.imported.entries()) {
      const article = await readArticle(project, item.articleId);
      const raw = new TextDecoder().decode(files[i]?.bytes);
      expect(article.text).toBe(raw.replace(/\r\n?/g, "\n").normalize("NFC").trimEnd());
      expect(article.meta.date, item.file).toMatch(/^2025-12-\d{2}$/);
      expect(article.meta.language).toBe("de");
      expect(item.title.split(" ").length, item.title).toBeGreaterThanOrEqual(3);
      expect(item.title).not.toContain(">");
    }
  });
});

describe("every format through one import", () => {
  it("imports a web page, a Markdown file and a CSV corpus with their metadata", async () => {
    const html = `<!doctype html><html lang="de"><head><title>Gipfel in Wien: Delegationen verhandeln weiter | Zeitung</title>
      <meta property="og:site_name" content="Donau-Kurier"><meta property="article:published_time" content="2025-12-19T08:00:00Z">
      <link rel="canonical" href="https://example.org/gipfel"><script>alert(1)</script></head>
      <body><nav>Startseite</nav><article><h1>Gipfel in Wien</h1><p>Die Delegationen trafen sich am Freitag in Wien, um über Garantien zu sprechen.</p>
      <p>Der Sondergesandte sagte, man sei sich in vielen Punkten näher gekommen als erwartet.</p><p>Weitere Gespräche sind für Jänner geplant, hieß es aus Verhandlungskreisen.</p></article></body></html>`;
    const markdown =
      "---\ntitle: Notizen zum Treffen\ndate: 2025-12-20\n---\n# Überschrift\n\nDer **Gesandte** traf [Umerow](https://example.org).\n";
    const csv =
      "headline,body,published,outlet\nErster,Text eins über Garantien.,18.12.2025,Blatt A\nZweiter,,2025-12-19,Blatt B\n";
    const report = await importArticles(project, [
      { name: "gipfel.html", bytes: utf8(html) },
      { name: "notizen.md", bytes: utf8(markdown) },
      { name: "korpus.csv", bytes: utf8(csv) },
    ]);
    expect(report.imported.map((i) => i.title)).toEqual([
      "Gipfel in Wien: Delegationen verhandeln weiter",
      "Notizen zum Treffen",
      "Erster",
    ]);
    expect(report.skipped).toEqual([
      { file: "korpus.csv", reason: expect.stringMatching(/^korpus\.csv, row 3: /) },
    ]);
    const web = await readArticle(project, report.imported[0]?.articleId ?? "");
    expect(web.meta).toMatchObject({
      date: "2025-12-19",
      source: "Donau-Kurier",
      url: "https://example.org/gipfel",
      language: "de",
    });
    expect(web.text).not.toMatch(/alert|Startseite/);
    const row = await readArticle(project, report.imported[2]?.articleId ?? "");
    expect(row.meta).toMatchObject({
      date: "2025-12-18",
      source: "Blatt A",
      origin: "korpus.csv, row 2",
    });
    const validation = await validateProject(project);
    expect(validation.problems.filter((p) => p.severity === "error")).toEqual([]);
  });
});

describe("decodeTextBytes", () => {
  it("drops a UTF-8 byte-order mark so that offsets start at the first letter", () => {
    expect(decodeTextBytes(utf8("\uFEFFJänner"), "a.txt")).toEqual({ text: "Jänner" });
  });
});

describe("createProject", () => {
  it("refuses to overwrite an existing project", async () => {
    await expect(createProject(project)).rejects.toThrow(/already is a Tagwerk project/);
    const overview = await readProject(project);
    expect(overview.name).toBe("Test");
    expect(overview.codebook?.labels.map((l) => l.id)).toEqual([
      "PER",
      "ORG",
      "LOC",
      "DATE",
      "STANCE",
    ]);
  });
});

describe.skipIf(!existsSync(SEEDS))("the two raw seed articles, imported and cleaned up", () => {
  it("give clean text with the publication date as metadata, validate cleanly, and are not imported twice", async () => {
    const { ProjectStore } = await import("../../electron/project/project-store");
    const { applyCleanup, proposeCleanup } = await import("../../shared/scrape-cleanup");
    const names = (await readdir(SEEDS)).filter((n) => n.endsWith(".txt")).sort();
    const files = await Promise.all(
      names.map(async (name) => ({
        name,
        bytes: new Uint8Array(await readFile(path.join(SEEDS, name))),
      })),
    );
    const report = await importArticles(project, files);
    expect(report.imported).toHaveLength(2);
    const store = await ProjectStore.open(project);
    for (const item of report.imported) {
      const before = await readArticle(project, item.articleId);
      const proposals = proposeCleanup(before.text, before.meta.language).filter(
        (p) => p.kind !== "byline",
      );
      await store.replaceArticleText(item.articleId, applyCleanup(before.text, proposals));
      const after = await readArticle(project, item.articleId);
      expect(after.meta.date).toMatch(/^2025-12-(18|31)$/);
      expect(after.text.startsWith(after.meta.title)).toBe(true);
      expect(after.text).not.toMatch(/^\s*date \d{4}/);
      expect(after.text).not.toMatch(/Kommentar|Unterstütze|Das könnte dich/);
      for (const line of before.text.split("\n").filter((l) => l.length > 300)) {
        if (!proposals.some((p) => p.text.includes(line))) expect(after.text).toContain(line);
      }
    }
    const validation = await validateProject(project);
    expect(validation.problems).toEqual([]);
    const again = await importArticles(project, files);
    expect(again.imported).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/already imported/),
      expect.stringMatching(/already imported/),
    ]);
  });
});
