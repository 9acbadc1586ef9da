/**
 * Date normalisation: German (with Austrian Jänner/Feber) and English mentions resolved
 * against three publication dates — Thursday 2025-12-18, Wednesday 2025-12-31 and
 * Monday 2026-01-05. ISO weeks: 2025-12-15..21 holds the 18th, 2025-12-29..2026-01-04 holds
 * New Year's Eve, 2026-01-05..11 holds the Monday.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { type DateInterpretation, isDateValue, normaliseDate } from "../../shared/date-normalise";

const THU = "2025-12-18";
const WED = "2025-12-31";
const MON = "2026-01-05";

type Kind = DateInterpretation["kind"];
type Case = [language: string, publicationDate: string, mention: string, value: string, kind: Kind];

const cases: Case[] = [
  // German, Thursday 18 Dec 2025
  ["de", THU, "18.12.2025", "2025-12-18", "exact"],
  ["de", THU, "18.12.", "2025-12-18", "relative"],
  ["de", THU, "3.1.26", "2026-01-03", "exact"],
  ["de", THU, "18. 12. 2025", "2025-12-18", "exact"],
  ["de", THU, "18. Dezember 2025", "2025-12-18", "exact"],
  ["de", THU, "Donnerstag, 18. Dezember 2025", "2025-12-18", "exact"],
  ["de", THU, "18.12.2025, 08:41", "2025-12-18", "exact"],
  ["de", THU, "Mo., 5. Jan. 2026", "2026-01-05", "exact"],
  ["de", THU, "am 3. Jänner", "2026-01-03", "relative"],
  ["de", THU, "3. Jänner 2026", "2026-01-03", "exact"],
  ["de", THU, "am Mittwoch", "2025-12-17", "relative"],
  ["de", THU, "am Donnerstag", "2025-12-18", "relative"],
  ["de", THU, "am Freitag", "2025-12-12", "relative"],
  ["de", THU, "Am Sonntag", "2025-12-14", "relative"],
  ["de", THU, "am Mittwoch (Ortszeit)", "2025-12-17", "relative"],
  ["de", THU, "Mittwochabend", "2025-12-17", "relative"],
  ["de", THU, "kommenden Mittwoch", "2025-12-24", "relative"],
  ["de", THU, "nächsten Freitag", "2025-12-19", "relative"],
  ["de", THU, "am vergangenen Mittwoch", "2025-12-17", "relative"],
  ["de", THU, "letzten Donnerstag", "2025-12-11", "relative"],
  ["de", THU, "diesen Montag", "2025-12-15", "relative"],
  ["de", THU, "Mittwoch nächster Woche", "2025-12-24", "relative"],
  ["de", THU, "kommende Woche Dienstag", "2025-12-23", "relative"],
  ["de", THU, "gestern", "2025-12-17", "relative"],
  ["de", THU, "heute", "2025-12-18", "relative"],
  ["de", THU, "heute Morgen", "2025-12-18", "relative"],
  ["de", THU, "morgen", "2025-12-19", "relative"],
  ["de", THU, "übermorgen", "2025-12-20", "relative"],
  ["de", THU, "vorgestern", "2025-12-16", "relative"],
  ["de", THU, "vor drei Tagen", "2025-12-15", "relative"],
  ["de", THU, "in zwei Wochen", "2026-01-01", "relative"],
  ["de", THU, "Kommende Woche", "2025-12-22/2025-12-28", "range"],
  ["de", THU, "nächste Woche", "2025-12-22/2025-12-28", "range"],
  ["de", THU, "in der kommenden Woche", "2025-12-22/2025-12-28", "range"],
  ["de", THU, "vergangene Woche", "2025-12-08/2025-12-14", "range"],
  ["de", THU, "letzte Woche", "2025-12-08/2025-12-14", "range"],
  ["de", THU, "diese Woche", "2025-12-15/2025-12-21", "range"],
  ["de", THU, "übernächste Woche", "2025-12-29/2026-01-04", "range"],
  ["de", THU, "am Wochenende", "2025-12-20/2025-12-21", "range"],
  ["de", THU, "im Jänner", "2026-01", "partial"],
  ["de", THU, "im Januar", "2026-01", "partial"],
  ["de", THU, "im Dezember", "2025-12", "partial"],
  ["de", THU, "im Juni", "2026-06", "partial"],
  ["de", THU, "im Juli", "2025-07", "partial"],
  ["de", THU, "ab Januar", "2026-01", "partial"],
  ["de", THU, "Ende Feber", "2026-02", "partial"],
  ["de", THU, "Anfang März", "2026-03", "partial"],
  ["de", THU, "Ende Februar 2026", "2026-02", "partial"],
  ["de", THU, "Dezember 2025", "2025-12", "partial"],
  ["de", THU, "3. bis 6. Januar", "2026-01-03/2026-01-06", "range"],
  ["de", THU, "3.–6. Jänner 2026", "2026-01-03/2026-01-06", "range"],
  ["de", THU, "vom 3. bis 6. Januar", "2026-01-03/2026-01-06", "range"],
  ["de", THU, "vom 3. bis zum 6. Jänner", "2026-01-03/2026-01-06", "range"],
  ["de", THU, "zwischen dem 3. und 6. Januar", "2026-01-03/2026-01-06", "range"],
  ["de", THU, "3./4. Januar", "2026-01-03/2026-01-04", "range"],
  ["de", THU, "18.–20.12.2025", "2025-12-18/2025-12-20", "range"],
  ["de", THU, "3.12.–6.1.2026", "2025-12-03/2026-01-06", "range"],
  ["de", THU, "30. Dezember bis 2. Jänner", "2025-12-30/2026-01-02", "range"],
  ["de", THU, "Jänner bis März", "2026-01/2026-03", "range"],
  ["de", THU, "Montag bis Mittwoch", "2025-12-15/2025-12-17", "range"],
  ["de", THU, "2025", "2025", "partial"],
  ["de", THU, "im Jahr 2031", "2031", "partial"],
  ["de", THU, "Anfang 2026", "2026", "partial"],
  ["de", THU, "2025/26", "2025/2026", "range"],
  ["de", THU, "2024 bis 2026", "2024/2026", "range"],
  ["de", THU, "heuer", "2025", "partial"],
  ["de", THU, "nächstes Jahr", "2026", "partial"],
  ["de", THU, "Heiligabend", "2025-12-24", "relative"],
  ["de", THU, "2025-12-18", "2025-12-18", "exact"],
  // Austrian German, Wednesday 31 Dec 2025
  ["de-AT", WED, "am 3. Jänner", "2026-01-03", "relative"],
  ["de-AT", WED, "am 6. Jänner", "2026-01-06", "relative"],
  ["de-AT", WED, "Ende Feber", "2026-02", "partial"],
  ["de-AT", WED, "im Jänner", "2026-01", "partial"],
  ["de-AT", WED, "im Dezember", "2025-12", "partial"],
  ["de-AT", WED, "am Mittwoch", "2025-12-31", "relative"],
  ["de-AT", WED, "am Dienstag", "2025-12-30", "relative"],
  ["de-AT", WED, "kommenden Montag", "2026-01-05", "relative"],
  ["de-AT", WED, "morgen", "2026-01-01", "relative"],
  ["de-AT", WED, "kommende Woche", "2026-01-05/2026-01-11", "range"],
  ["de-AT", WED, "diese Woche", "2025-12-29/2026-01-04", "range"],
  ["de-AT", WED, "vom 29. Dezember bis zum 2. Jänner", "2025-12-29/2026-01-02", "range"],
  ["de-AT", WED, "30.12.–2.1.", "2025-12-30/2026-01-02", "range"],
  ["de-AT", WED, "zwischen Jänner und März", "2026-01/2026-03", "range"],
  ["de-AT", WED, "Silvester", "2025-12-31", "relative"],
  ["de-AT", WED, "Neujahr", "2026-01-01", "relative"],
  // German, Monday 5 Jan 2026
  ["de", MON, "am Dienstag", "2025-12-30", "relative"],
  ["de", MON, "am Sonntag", "2026-01-04", "relative"],
  ["de", MON, "am Montag", "2026-01-05", "relative"],
  ["de", MON, "vergangene Woche", "2025-12-29/2026-01-04", "range"],
  ["de", MON, "im Dezember", "2025-12", "partial"],
  ["de", MON, "am 18. Dezember", "2025-12-18", "relative"],
  ["de", MON, "18.12.", "2025-12-18", "relative"],
  ["de", MON, "am Wochenende", "2026-01-03/2026-01-04", "range"],
  ["de", MON, "kommendes Wochenende", "2026-01-10/2026-01-11", "range"],
  ["de", MON, "vergangenes Jahr", "2025", "partial"],
  // English, Thursday 18 Dec 2025
  ["en", THU, "December 18, 2025", "2025-12-18", "exact"],
  ["en", THU, "Dec. 18", "2025-12-18", "relative"],
  ["en", THU, "18 December 2025", "2025-12-18", "exact"],
  ["en", THU, "Thursday, December 18th, 2025", "2025-12-18", "exact"],
  ["en", THU, "December 18, 2025, 10:30 a.m. ET", "2025-12-18", "exact"],
  ["en", THU, "the 18th of December", "2025-12-18", "relative"],
  ["en", THU, "12/18/2025", "2025-12-18", "exact"],
  ["en", THU, "18/12/2025", "2025-12-18", "exact"],
  ["en", THU, "03/04/2025", "2025-03-04", "exact"],
  ["en", THU, "12/18", "2025-12-18", "relative"],
  ["en", THU, "on Tuesday", "2025-12-16", "relative"],
  ["en", THU, "Tuesday night", "2025-12-16", "relative"],
  ["en", THU, "last Tuesday", "2025-12-16", "relative"],
  ["en", THU, "next Tuesday", "2025-12-23", "relative"],
  ["en", THU, "this Tuesday", "2025-12-16", "relative"],
  ["en", THU, "yesterday", "2025-12-17", "relative"],
  ["en", THU, "today", "2025-12-18", "relative"],
  ["en", THU, "tomorrow", "2025-12-19", "relative"],
  ["en", THU, "the day before yesterday", "2025-12-16", "relative"],
  ["en", THU, "three days ago", "2025-12-15", "relative"],
  ["en", THU, "last week", "2025-12-08/2025-12-14", "range"],
  ["en", THU, "next week", "2025-12-22/2025-12-28", "range"],
  ["en", THU, "this week", "2025-12-15/2025-12-21", "range"],
  ["en", THU, "earlier this week", "2025-12-15/2025-12-18", "range"],
  ["en", THU, "the past week", "2025-12-11/2025-12-17", "range"],
  ["en", THU, "over the weekend", "2025-12-20/2025-12-21", "range"],
  ["en", THU, "Jan. 3", "2026-01-03", "relative"],
  ["en", THU, "January 3-6", "2026-01-03/2026-01-06", "range"],
  ["en", THU, "January 3–6, 2026", "2026-01-03/2026-01-06", "range"],
  ["en", THU, "from January 3 to 6", "2026-01-03/2026-01-06", "range"],
  ["en", THU, "between January 3 and 6", "2026-01-03/2026-01-06", "range"],
  ["en", THU, "January 3 through 6", "2026-01-03/2026-01-06", "range"],
  ["en", THU, "December 29 – January 2", "2025-12-29/2026-01-02", "range"],
  ["en", THU, "in 2031", "2031", "partial"],
  ["en", THU, "early January", "2026-01", "partial"],
  ["en", THU, "mid-January", "2026-01", "partial"],
  ["en", THU, "late February 2026", "2026-02", "partial"],
  ["en", THU, "January 2026", "2026-01", "partial"],
  ["en", THU, "next month", "2026-01", "partial"],
  ["en", THU, "last year", "2024", "partial"],
  ["en", THU, "Christmas", "2025-12-25", "relative"],
  // English, Wednesday 31 Dec 2025
  ["en", WED, "Jan. 3", "2026-01-03", "relative"],
  ["en", WED, "on Monday", "2025-12-29", "relative"],
  ["en", WED, "next week", "2026-01-05/2026-01-11", "range"],
  ["en", WED, "New Year’s Day", "2026-01-01", "relative"],
  // English, Monday 5 Jan 2026
  ["en", MON, "this Tuesday", "2026-01-06", "relative"],
  ["en", MON, "next Tuesday", "2026-01-06", "relative"],
  ["en", MON, "on Tuesday", "2025-12-30", "relative"],
  ["en", MON, "Tuesday next week", "2026-01-13", "relative"],
  ["en", MON, "last week", "2025-12-29/2026-01-04", "range"],
  ["en", MON, "over the weekend", "2026-01-03/2026-01-04", "range"],
  ["en", MON, "in December", "2025-12", "partial"],
  ["en", MON, "Dec. 18", "2025-12-18", "relative"],
];

describe("normaliseDate: German and English mentions", () => {
  it("has at least 60 cases in both languages and for all three publication dates", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c[0].startsWith("de")).length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c[0] === "en").length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set([THU, WED, MON]));
  });

  it.each(cases)(
    "%s, published %s: %j → %s (%s)",
    (language, publicationDate, mention, value, kind) => {
      const out = normaliseDate(mention, { language, publicationDate });
      expect(out).not.toBeNull();
      expect({ value: out?.value, kind: out?.kind }).toEqual({ value, kind });
      expect(isDateValue(out?.value ?? "")).toBe(true);
      expect(out?.explanation.length).toBeGreaterThan(0);
    },
  );
});

describe("normaliseDate: invalid dates and non-dates", () => {
  it.each([
    ["de", "31. Februar 2026"],
    ["de", "am 31. Februar"],
    ["de", "29. Februar 2025"],
    ["de", "30.02.2026"],
    ["de", "32.12.2025"],
    ["en", "February 31, 2026"],
    ["en", "13/13/2025"],
    ["de", "6. bis 3. Januar 2026"],
    ["de", "Garantien"],
    ["de", "am Tisch"],
    ["de", "3 Soldaten"],
    ["de", "am Morgen"],
    ["de", "17:48"],
    ["de", "um 10 Uhr"],
    ["de", "am 3. und 6. Jänner"],
    ["de", "am Sonntag und Montag"],
    ["en", "guarantees"],
    ["en", "3 soldiers"],
    ["en", "10 a.m."],
    ["de", ""],
    ["de", "   "],
    ["de", "–"],
  ])("%s: %j → null", (language, mention) => {
    expect(normaliseDate(mention, { language, publicationDate: THU })).toBeNull();
  });
});

describe("normaliseDate without a publication date", () => {
  it.each([
    ["de", "Mittwoch"],
    ["de", "am Mittwoch"],
    ["de", "gestern"],
    ["de", "kommende Woche"],
    ["de", "am 3. Jänner"],
    ["de", "im Jänner"],
    ["de", "18.12."],
    ["de", "vor drei Tagen"],
    ["de", "3. bis 6. Januar"],
    ["en", "next Tuesday"],
    ["en", "yesterday"],
    ["en", "Jan. 3"],
  ])("%s: relative %j → null", (language, mention) => {
    expect(normaliseDate(mention, { language })).toBeNull();
    expect(normaliseDate(mention, { language, publicationDate: "2025-02-30" })).toBeNull();
    expect(normaliseDate(mention, { language, publicationDate: "unknown" })).toBeNull();
  });

  it.each([
    ["de", "3. Jänner 2026", "2026-01-03", "exact"],
    ["de", "18.12.2025", "2025-12-18", "exact"],
    ["de", "Jänner 2026", "2026-01", "partial"],
    ["de", "im Jahr 2031", "2031", "partial"],
    ["de", "3.–6. Jänner 2026", "2026-01-03/2026-01-06", "range"],
    ["en", "December 18, 2025", "2025-12-18", "exact"],
    ["en", "January 3-6, 2026", "2026-01-03/2026-01-06", "range"],
    [undefined, "Donnerstag, 18. Dezember 2025", "2025-12-18", "exact"],
  ])("%s: absolute %j → %s", (language, mention, value, kind) => {
    expect(normaliseDate(mention, { language })).toMatchObject({ value, kind });
  });

  it("reads a timestamp as its calendar date", () => {
    expect(
      normaliseDate("am Mittwoch", { language: "de", publicationDate: "2025-12-18T23:59:59Z" })
        ?.value,
    ).toBe("2025-12-17");
  });
});

describe("normaliseDate explanations", () => {
  it("names the weekday rule and the publication date in the article's language", () => {
    expect(
      normaliseDate("am Mittwoch", { language: "de", publicationDate: THU })?.explanation,
    ).toBe("Mittwoch vor dem 18.12.2025");
    expect(
      normaliseDate("on Wednesday", { language: "en", publicationDate: THU })?.explanation,
    ).toBe("Wednesday before 18 Dec 2025");
    expect(
      normaliseDate("kommenden Mittwoch", { language: "de", publicationDate: THU })?.explanation,
    ).toBe("Mittwoch nach dem 18.12.2025");
  });

  it("keeps a written date over a contradicting weekday and says so", () => {
    const out = normaliseDate("Mittwoch, 18. Dezember 2025", {
      language: "de",
      publicationDate: THU,
    });
    expect(out?.value).toBe("2025-12-18");
    expect(out?.explanation).toContain("Donnerstag, kein Mittwoch");
  });

  it("says when a year was supplied from the publication date", () => {
    expect(
      normaliseDate("am 3. Jänner", { language: "de-AT", publicationDate: WED })?.explanation,
    ).toContain("Erscheinungsdatum 31.12.2025");
  });
});

describe("normaliseDate does not depend on the machine's time zone", () => {
  const originalTz = process.env.TZ;
  afterAll(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  const probes: Array<[string, string, string]> = [
    ["de", THU, "am Mittwoch"],
    ["de", THU, "Dec. 18"],
    ["de", THU, "vor drei Tagen"],
    ["de", THU, "in zwei Wochen"],
    ["de-AT", WED, "am 3. Jänner"],
    ["de-AT", WED, "morgen"],
    ["en", THU, "December 18, 2025"],
    ["en", THU, "January 3-6"],
    ["en", MON, "three days ago"],
    ["en", MON, "last week"],
    // the night Europe switches to summer time
    ["de", "2026-03-29", "vor drei Tagen"],
    ["de", "2026-03-29", "in zwei Tagen"],
    ["de", "2026-03-29", "am 28. März"],
  ];
  const run = () =>
    probes.map(([language, publicationDate, mention]) =>
      normaliseDate(mention, { language, publicationDate }),
    );

  it("gives the same answers from UTC+14 to UTC-11 and across a DST change", () => {
    process.env.TZ = "UTC";
    const utc = run();
    expect(utc.every((r) => r !== null)).toBe(true);
    expect(utc.map((r) => r?.value).slice(-3)).toEqual(["2026-03-26", "2026-03-31", "2026-03-28"]);
    const offsets = new Set<number>();
    for (const tz of [
      "Pacific/Kiritimati",
      "Pacific/Pago_Pago",
      "America/Los_Angeles",
      "Asia/Kolkata",
      "Europe/Vienna",
      "Australia/Lord_Howe",
    ]) {
      process.env.TZ = tz;
      offsets.add(new Date(Date.UTC(2025, 11, 18, 12)).getTimezoneOffset());
      expect(run(), tz).toEqual(utc);
    }
    // the zone switch really took effect, so the comparison above means something
    expect(offsets.size).toBeGreaterThan(3);
  });
});

describe("isDateValue", () => {
  it.each([
    "2025-12-17",
    "2028-02-29",
    "2026-01",
    "2026",
    "2026-01-03/2026-01-06",
    "2026-01-03/2026-01-03",
    "2025-12/2026-02",
    "2025/2026",
  ])("accepts %j", (value) => {
    expect(isDateValue(value)).toBe(true);
  });

  it.each([
    "",
    "2025-02-29",
    "2026-13",
    "2026-00",
    "2026-01-32",
    "2026-01-00",
    "2026-1-3",
    "26-01-03",
    " 2026-01-03",
    "2026-01-03T12:00",
    "18.12.2025",
    "2026-01-06/2026-01-03",
    "2026/2025",
    "2026-02/2026-01-15",
    "2026-01-03/",
    "/2026-01-03",
    "2026-01-03/2026-01-04/2026-01-05",
  ])("rejects %j", (value) => {
    expect(isDateValue(value)).toBe(false);
  });
});

const DAY_MS = 86_400_000;
const dayIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const WEEKDAYS_DE = [
  "Sonntag",
  "Montag",
  "Dienstag",
  "Mittwoch",
  "Donnerstag",
  "Freitag",
  "Samstag",
];
const WEEKDAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS_DE = [
  "Jänner",
  "Februar",
  "März",
  "April",
  "Mai",
  "Juni",
  "Juli",
  "August",
  "September",
  "Oktober",
  "November",
  "Dezember",
];
const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** A day between 1950 and 2100 as UTC milliseconds at midnight. */
const dayArb = fc
  .integer({ min: Date.UTC(1950, 0, 1) / DAY_MS, max: Date.UTC(2100, 11, 31) / DAY_MS })
  .map((n) => n * DAY_MS);

const TOKENS = [
  ..."am vom bis zum im in zwischen und the on from to between next last this kommende vergangene nächsten letzte diese Anfang Ende early late - – / . , 3. 6. 18. 31 29 0 12 13 2025 2026 26 3.1. 18.12. 30.02. 12/18 Jänner Feber Januar Dezember Februar January Dec. Mittwoch Montag Tuesday Sunday gestern morgen heute yesterday tomorrow Woche week Wochenende weekend Jahr year Tagen days ago vor Uhr 10:30 Morgen Soldaten".split(
    " ",
  ),
];

describe("normaliseDate properties", () => {
  it("returns null or a well-formed value for any mention and publication date", () => {
    const mention = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 }).map((t) => t.join(" ")),
    );
    const publicationDate = fc.option(dayArb.map(dayIso), { nil: undefined });
    const language = fc.constantFrom("de", "de-AT", "en", "en-US", undefined);
    fc.assert(
      fc.property(mention, publicationDate, language, (m, p, l) => {
        const out = normaliseDate(m, { language: l, publicationDate: p });
        if (out === null) return;
        expect(isDateValue(out.value), `${m} → ${out.value}`).toBe(true);
        expect(["exact", "relative", "partial", "range"]).toContain(out.kind);
        expect(out.explanation).not.toBe("");
      }),
      { numRuns: 600 },
    );
  });

  it("reads every real calendar date written numerically or in words, in both languages", () => {
    fc.assert(
      fc.property(dayArb, fc.option(dayArb.map(dayIso), { nil: undefined }), (ms, p) => {
        const date = new Date(ms);
        const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        const iso = dayIso(ms);
        const mentions: Array<[string, string]> = [
          ["de", `${d}.${m}.${y}`],
          ["de", `${String(d).padStart(2, "0")}.${String(m).padStart(2, "0")}.${y}`],
          ["de", `${d}. ${MONTHS_DE[m - 1]} ${y}`],
          ["de", `am ${WEEKDAYS_DE[date.getUTCDay()]}, ${d}. ${MONTHS_DE[m - 1]} ${y}`],
          ["en", `${MONTHS_EN[m - 1]} ${d}, ${y}`],
          ["en", `${d} ${MONTHS_EN[m - 1]} ${y}`],
          ["en", `${m}/${d}/${y}`],
        ];
        for (const [language, mention] of mentions) {
          expect(normaliseDate(mention, { language, publicationDate: p }), mention).toMatchObject({
            value: iso,
            kind: "exact",
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("puts weekdays and weeks where the calendar says", () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 6 }), (pubMs, wd) => {
        const publicationDate = dayIso(pubMs);
        const at = (mention: string, language: string) =>
          Date.parse(normaliseDate(mention, { language, publicationDate })?.value ?? "x");
        const plain = at(`am ${WEEKDAYS_DE[wd]}`, "de");
        expect(new Date(plain).getUTCDay()).toBe(wd);
        expect((pubMs - plain) / DAY_MS).toBeGreaterThanOrEqual(0);
        expect((pubMs - plain) / DAY_MS).toBeLessThanOrEqual(6);
        const next = at(`next ${WEEKDAYS_EN[wd]}`, "en");
        expect(new Date(next).getUTCDay()).toBe(wd);
        expect((next - pubMs) / DAY_MS).toBeGreaterThanOrEqual(1);
        expect((next - pubMs) / DAY_MS).toBeLessThanOrEqual(7);
        const last = at(`letzten ${WEEKDAYS_DE[wd]}`, "de");
        expect((pubMs - last) / DAY_MS).toBeGreaterThanOrEqual(1);
        expect((pubMs - last) / DAY_MS).toBeLessThanOrEqual(7);

        const week = normaliseDate("kommende Woche", { language: "de", publicationDate });
        const [start, end] = (week?.value ?? "").split("/").map((s) => Date.parse(s));
        expect(new Date(start ?? Number.NaN).getUTCDay()).toBe(1);
        expect(((end ?? 0) - (start ?? 0)) / DAY_MS).toBe(6);
        expect(((start ?? 0) - pubMs) / DAY_MS).toBeGreaterThanOrEqual(1);
        expect(((start ?? 0) - pubMs) / DAY_MS).toBeLessThanOrEqual(7);
      }),
      { numRuns: 300 },
    );
  });

  it("places a month without a year from 5 months before to 6 months after publication", () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 1, max: 12 }), (pubMs, m) => {
        const pub = new Date(pubMs);
        const value = normaliseDate(`im ${MONTHS_DE[m - 1]}`, {
          language: "de",
          publicationDate: dayIso(pubMs),
        })?.value;
        const [y, mm] = (value ?? "").split("-").map(Number);
        expect(mm).toBe(m);
        const diff = (y ?? 0) * 12 + m - (pub.getUTCFullYear() * 12 + pub.getUTCMonth() + 1);
        expect(diff).toBeGreaterThanOrEqual(-5);
        expect(diff).toBeLessThanOrEqual(6);
      }),
      { numRuns: 200 },
    );
  });
});

const REPO = path.resolve(import.meta.dirname, "..", "..");
const SEEDS = path.resolve(REPO, "..", "shared", "seeds");

describe.skipIf(!existsSync(SEEDS))("date mentions in the raw seeds (../shared/seeds)", () => {
  const seed = (prefix: string) => {
    const file = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
    return file ? readFileSync(path.join(SEEDS, file), "utf8") : "";
  };

  it.each([
    ["apa-afp-2025-12-18", "am Mittwoch", "2025-12-17"],
    ["apa-afp-2025-12-18", "Am Sonntag", "2025-12-14"],
    ["apa-afp-2025-12-18", "am Wochenende", "2025-12-20/2025-12-21"],
    ["watson-2025-12-31", "am 3. Januar", "2026-01-03"],
    ["watson-2025-12-31", "Am 6. Januar", "2026-01-06"],
    ["watson-2025-12-31", "kommende Woche", "2026-01-05/2026-01-11"],
  ])("%s: %j → %s", (prefix, mention, value) => {
    const text = seed(prefix);
    expect(text).toContain(mention);
    const publicationDate = /\d{4}-\d{2}-\d{2}/.exec(prefix)?.[0];
    expect(normaliseDate(mention, { language: "de", publicationDate })?.value).toBe(value);
  });
});

describe("date mentions in the example project's articles", () => {
  const dir = path.join(REPO, "annotations", "articles");
  const articles = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => ({
          meta: JSON.parse(readFileSync(path.join(dir, f), "utf8")) as {
            date?: string;
            language?: string;
          },
          text: readFileSync(path.join(dir, f.replace(/\.json$/, ".txt")), "utf8"),
        }))
    : [];
  const mention =
    /\b(?:am|Am|on|On) (?:\d{1,2}\. (?:Jänner|Januar|Dezember)|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(?:[Kk]ommende|[Nn]ext|[Ll]ast) (?:Woche|week)\b|\bEnde Feber\b/gu;

  it.skipIf(articles.length === 0)(
    "resolves every weekday, day-month and week mention within half a year of publication",
    () => {
      let seen = 0;
      for (const { meta, text } of articles) {
        for (const [m] of text.matchAll(mention)) {
          const out = normaliseDate(m, { language: meta.language, publicationDate: meta.date });
          expect(out, `${meta.date}: ${m}`).not.toBeNull();
          const start = Date.parse((out?.value ?? "").split("/")[0] ?? "");
          const pub = Date.parse(meta.date ?? "");
          expect(Math.abs(start - pub) / DAY_MS, `${meta.date}: ${m}`).toBeLessThan(190);
          seen++;
        }
      }
      expect(seen).toBeGreaterThan(5);
    },
  );
});
