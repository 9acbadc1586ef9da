/**
 * Reading metadata as sources write it: dates in newsroom and spreadsheet
 * forms (and refusing the ambiguous ones), web addresses, language tags.
 */
import { describe, expect, it } from "vitest";
import {
  readLanguageTag,
  readPublicationDate,
  readWebAddress,
  toParagraphLines,
} from "../../../electron/project/importers/article-fields";

describe("readPublicationDate", () => {
  it.each([
    ["2025-12-18", "2025-12-18"],
    ["2025-12-18T10:00:00Z", "2025-12-18"],
    ["2025-12-18T23:30:00-05:00", "2025-12-18"],
    ["2025-12-18 05:41", "2025-12-18"],
    ["2025/12/18", "2025-12-18"],
    ["18.12.2025", "2025-12-18"],
    ["3.1.2026, 08:00", "2026-01-03"],
    ["18/12/2025", "2025-12-18"],
    ["12/18/2025", "2025-12-18"],
    ["05/05/2025", "2025-05-05"],
    ["December 18, 2025", "2025-12-18"],
    ["Dec. 18th, 2025", "2025-12-18"],
    ["18 December 2025", "2025-12-18"],
    ["Thu, 18 Dec 2025 10:00:00 +0000", "2025-12-18"],
    ["18. Dezember 2025", "2025-12-18"],
    ["Donnerstag, 18. Dezember 2025 | 05:41 Uhr", "2025-12-18"],
    ["3. Jänner 2026", "2026-01-03"],
    ["1. März 2026", "2026-03-01"],
    ["Jänner 2026", "2026-01"],
    ["2026-01", "2026-01"],
    ["2026", "2026"],
  ])("reads %s as %s", (raw, iso) => {
    expect(readPublicationDate(raw)).toBe(iso);
  });

  it.each([
    "05/06/2025",
    "06-05-2025",
    "gestern",
    "am Mittwoch",
    "2025-02-30",
    "31.04.2025",
    "2025-13-01",
    "Smarch 3, 2025",
    "",
    "20251218",
  ])("leaves %j out: ambiguous or not a date", (raw) => {
    expect(readPublicationDate(raw)).toBeUndefined();
  });
});

describe("other fields", () => {
  it("keeps only http and https addresses", () => {
    expect(readWebAddress(" https://zeitung.example/a b ")).toBe("https://zeitung.example/a%20b");
    for (const raw of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "/relativ",
      "www.x.example",
      "http://",
    ])
      expect(readWebAddress(raw)).toBeUndefined();
  });

  it("writes language tags canonically and refuses what is not one", () => {
    expect(readLanguageTag("de_at")).toBe("de-AT");
    expect(readLanguageTag("EN")).toBe("en");
    expect(readLanguageTag("gsw-CH")).toBe("gsw-CH");
    for (const raw of ["Deutsch", "d", "de AT", "<script>"])
      expect(readLanguageTag(raw)).toBeUndefined();
  });

  it("puts one paragraph on each line", () => {
    expect(toParagraphLines("  Eins \r\n\r\n\tZwei\rDrei\n\n")).toBe("  Eins\n\tZwei\nDrei");
  });
});
