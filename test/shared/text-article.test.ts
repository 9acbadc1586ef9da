import { describe, expect, it } from "vitest";
import {
  createArticleId,
  guessLanguage,
  normaliseArticleText,
  readTextArticleFacts,
  slugify,
} from "../../shared/text-article";

describe("normaliseArticleText", () => {
  it("turns CRLF and CR into LF, drops a BOM and composes to NFC", () => {
    const raw = "\uFEFFZeile eins\r\nZeile zwei\rJa\u0308nner\r\n\r\n";
    expect(normaliseArticleText(raw)).toBe("Zeile eins\nZeile zwei\nJänner");
  });

  it("keeps leading metadata lines and inner blank lines", () => {
    expect(normaliseArticleText(" date 2025-12-18\n\nTitel\n")).toBe(" date 2025-12-18\n\nTitel");
  });
});

describe("readTextArticleFacts", () => {
  it("reads the scraper's date line and takes the next line as the title", () => {
    const facts = readTextArticleFacts(
      " date 2025-12-18\nKiew will Garantien\nStartseite > Politik\nDer Präsident sagte, dass die Ukraine nicht ohne Garantien unterschreiben wird.",
      "fallback.txt",
    );
    expect(facts).toEqual({ title: "Kiew will Garantien", date: "2025-12-18", language: "de" });
  });

  it("falls back to the file name for title and date, and to the project's language", () => {
    expect(readTextArticleFacts("\n\n", "notes-2025-12-31.txt", "de")).toEqual({
      title: "notes-2025-12-31",
      date: "2025-12-31",
      language: "de",
    });
  });

  it("reads a date line followed by breadcrumbs and skips section names for the title", () => {
    const facts = readTextArticleFacts(
      " date 2025-12-18 Aktuelle Seite: Home > Politik > Ukraine\nInternational\nAusland\nGespräche in Miami geplant\nText.",
      "x.txt",
    );
    expect(facts.date).toBe("2025-12-18");
    expect(facts.title).toBe("Gespräche in Miami geplant");
  });

  it("tells German from English", () => {
    expect(
      guessLanguage("The envoy said that the plan is on the table and that it will be signed."),
    ).toBe("en");
    expect(
      guessLanguage(
        "Der Gesandte sagte, dass der Plan nicht auf dem Tisch ist und sich nichts ändern wird.",
      ),
    ).toBe("de");
    expect(guessLanguage("🇺🇦 👍", "und")).toBe("und");
  });
});

describe("article ids", () => {
  it("are readable, file-name safe and derived from content", () => {
    const id = createArticleId(
      { title: "Kiew will Garantien schwarz auf weiß!", date: "2025-12-18" },
      "ab12cd34ef",
    );
    expect(id).toBe("2025-12-18-kiew-will-garantien-schwarz-auf-weiss-ab12cd34");
    expect(createArticleId({ title: "../../etc/passwd" }, "00ff00ff11")).toBe(
      "undated-etc-passwd-00ff00ff",
    );
  });

  it("slugify folds accents and drops everything unsafe", () => {
    expect(slugify("Überraschung in Zürich — Ja̋nner / 3. Feber")).toBe(
      "uberraschung-in-zurich-janner-3-feber",
    );
    expect(slugify("السلام")).toBe("");
  });
});

describe("long titles", () => {
  it("are cut at a word boundary in the id", () => {
    expect(slugify("Ukraine – USA und Russland verhandeln am Wochenende in Miami")).toBe(
      "ukraine-usa-und-russland-verhandeln-am",
    );
    expect(slugify("x".repeat(80))).toHaveLength(48);
  });
});
