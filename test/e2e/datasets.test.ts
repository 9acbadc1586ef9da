/**
 * End to end: exporting a labelled dataset from the app (dialog, scope,
 * splits, loss report, files on disk) and bringing annotations from another
 * tool in through the Import button — the real renderer in Chromium against
 * `tagwerk serve` and a copy of the example project.
 */
import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

const KIEW = "2025-12-18-mainuferbote-sicherheitsgarantien";
let temp: string;
let project: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureBuilt();
  temp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-datasets-"));
  project = path.join(temp, "project");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  serve = await startServe(project, [], "alice");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(serve.url);
  await page.getByRole("option").first().waitFor();
});

const codePoints = (text: string, start: number, end: number) =>
  [...text].slice(start, end).join("");

describe("export dialog", () => {
  it("exports one coder's JSONL by keyboard, writes exact files and says nothing was lost", async () => {
    await page.keyboard.press("Control+Shift+E");
    const dialog = page.getByRole("dialog", { name: "Export dataset" });
    await dialog.waitFor();
    await dialog.getByLabel("One coder").check();
    await dialog.getByLabel("Coder", { exact: true }).selectOption("bob");
    const out = path.join(temp, "jsonl-bob");
    await dialog.getByLabel("Folder").fill(out);
    await dialog.getByLabel("Folder").press("Enter");
    const result = dialog.getByRole("region", { name: "Export result" });
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain("Exported 1 document");
    expect(await result.textContent()).toContain("Nothing was lost");

    const lines = (await readFile(path.join(out, "documents.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] as string);
    expect(doc.id).toBe(KIEW);
    expect(doc.annotator).toBe("bob");
    const stored = JSON.parse(
      await readFile(path.join(project, "coding", KIEW, "bob.json"), "utf8"),
    );
    expect(doc.spans).toHaveLength(stored.annotations.length);
    for (const span of doc.spans)
      expect(codePoints(doc.text, span.start, span.end)).toBe(span.text);
    expect(await readFile(path.join(out, "export-report.txt"), "utf8")).toContain(
      "Nothing was lost",
    );
    // Closing the dialog after an export leaves the workbench working (a returned promise once crashed it).
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.getByRole("option").count()).toBe(7);
  });

  it("exports CoNLL with splits and shows what the format could not hold, with examples", async () => {
    await page.getByRole("button", { name: "Export…" }).click();
    const dialog = page.getByRole("dialog", { name: "Export dataset" });
    await dialog.getByLabel("Format").selectOption("conll");
    await dialog.getByLabel("Tagging scheme").selectOption("bioes");
    await dialog.getByLabel("Split into train / validation / test").check();
    await dialog.getByLabel("Percentages").fill("50/50/0");
    await dialog.getByLabel("Seed").fill("3");
    const out = path.join(temp, "conll");
    await dialog.getByLabel("Folder").fill(out);
    await dialog.getByRole("button", { name: "Export", exact: true }).click();
    const result = dialog.getByRole("region", { name: "Export result" });
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain("Not carried by this format");
    const text = (await result.textContent()) ?? "";
    expect(text).toMatch(/\d+ stance spans not in the token tags/);
    expect(text).toContain("split 50/50/0 by article with seed 3");
    const report = JSON.parse(await readFile(path.join(out, "export-report.json"), "utf8"));
    const stance = report.items.find((i: { code: string }) => i.code === "kind-stance-not-tagged");
    expect(text).toContain(`${stance.count} stance spans`);
    // Two coded articles, one per part.
    const train = await readFile(path.join(out, "train", "data.conll"), "utf8");
    const validation = await readFile(path.join(out, "validation", "data.conll"), "utf8");
    expect(train.startsWith("-DOCSTART-")).toBe(true);
    expect(validation.startsWith("-DOCSTART-")).toBe(true);
    expect(`${train}${validation}`).toMatch(/ S-PER\n/);
  });

  it("refuses a folder inside the project and says why", async () => {
    await page.getByRole("button", { name: "Export…" }).click();
    const dialog = page.getByRole("dialog", { name: "Export dataset" });
    await dialog.getByLabel("Folder").fill(path.join(project, "export"));
    await dialog.getByRole("button", { name: "Export", exact: true }).click();
    await expect
      .poll(() => dialog.getByRole("alert").textContent())
      .toContain("inside the project folder");
  });
});

describe("importing annotations from another tool", () => {
  it("attaches a doccano file's spans to the article with the same text, for the coder, once", async () => {
    const text = await readFile(path.join(project, "articles", `${KIEW}.txt`), "utf8");
    // doccano offsets are code points, like Tagwerk's.
    const start = [...text.slice(0, text.indexOf("Kremlsprecher"))].length;
    const line = JSON.stringify({
      text,
      label: [
        [start, start + 13, "PER"],
        [0, 5, "Quelle"],
      ],
    });
    const upload = async () => {
      await page.getByTestId("import-input").setInputFiles([
        {
          name: "doccano.jsonl",
          mimeType: "application/jsonl",
          buffer: Buffer.from(`${line}\n`),
        },
      ]);
      const dialog = page.getByRole("dialog", { name: "Import" });
      await dialog.waitFor();
      const content = (await dialog.textContent()) ?? "";
      await page.keyboard.press("Escape");
      return content;
    };
    const first = await upload();
    expect(first).toContain("2 annotations added for alice");
    expect(first).toContain("labels added to the codebook: Quelle");
    const stored = JSON.parse(
      await readFile(path.join(project, "coding", KIEW, "alice.json"), "utf8"),
    );
    const added = stored.annotations.find(
      (a: { start: number; label: string }) => a.start === start && a.label === "PER",
    );
    expect(added?.quote).toBe("Kremlsprecher");
    const second = await upload();
    expect(second).toContain("0 annotations added for alice, 2 already there");
    const again = JSON.parse(
      await readFile(path.join(project, "coding", KIEW, "alice.json"), "utf8"),
    );
    expect(again.annotations).toHaveLength(stored.annotations.length);
  });
});
