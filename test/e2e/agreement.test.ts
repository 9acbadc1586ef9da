/**
 * End to end: from two coders' annotations to the agreement dashboard (the
 * same numbers as `tagwerk agreement`), through adjudication by keyboard, to a
 * gold layer on disk and its export — the real renderer in Chromium against
 * `tagwerk serve` on a copy of the example project.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

const KIEW = "2025-12-18-mainuferbote-sicherheitsgarantien";
const BIN = path.join(REPO, "electron/cli/bin.js");
let temp: string;
let project: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, TAGWERK_CONFIG_DIR: temp },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  ensureBuilt();
  temp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-agreement-"));
  project = path.join(temp, "project");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  serve = await startServe(project, [], "carol");
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe("agreement and adjudication", () => {
  it("shows the CLI's numbers, adjudicates by keyboard into a gold layer, and exports it", async () => {
    const json = cli(["agreement", project, "--json", "--coders", "alice,bob"]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.articles).toBe(1);
    const f1 = report.spans.f1Exact.value as number;

    await page.goto(serve.url);
    await page.getByRole("option").first().waitFor();
    await page.getByRole("button", { name: "Agreement" }).click();
    const dashboard = page.getByRole("region", { name: "Agreement" });
    await expect.poll(() => page.getByTestId("f1-exact").textContent()).toContain(f1.toFixed(3));
    const perLabel = dashboard.getByRole("region", { name: "Per label" });
    for (const label of report.perLabel as { label: string; alphaU: { value: number | null } }[]) {
      const row = perLabel.getByRole("row").filter({ hasText: `(${label.label})` });
      if (label.alphaU.value !== null)
        expect(await row.textContent()).toContain(label.alphaU.value.toFixed(3));
    }

    // Double coding: a seeded sample with each coder's progress.
    await dashboard.getByLabel("Sample percent").fill("50");
    await dashboard.getByLabel("Sample seed").fill("3");
    await dashboard.getByRole("button", { name: "Draw sample" }).click();
    await expect
      .poll(() => dashboard.getByRole("region", { name: "Double coding" }).textContent())
      .toContain("(50 %, seed 3)");
    const settings = JSON.parse(await readFile(path.join(project, "tagwerk.json"), "utf8"));
    expect(settings.settings.doubleCoding.articles).toHaveLength(4);

    // Into the article: the coders' spans side by side.
    await dashboard
      .getByRole("row", { name: /Kiew will Garantien/ })
      .getByRole("button", { name: "Adjudicate" })
      .click();
    const curation = page.getByRole("region", { name: "Adjudication" });
    const progress = curation.getByRole("status");
    await expect
      .poll(() => progress.textContent())
      .toMatch(/\d+ agreed in gold · 0 of \d+ disagreements decided/);
    const open = Number(/0 of (\d+)/.exec((await progress.textContent()) ?? "")?.[1]);
    expect(open).toBeGreaterThan(0);
    const agreedInGold = Number(/(\d+) agreed/.exec((await progress.textContent()) ?? "")?.[1]);
    const goldFile = path.join(project, "coding", KIEW, "gold.json");
    await expect
      .poll(
        async () =>
          JSON.parse(await readFile(goldFile, "utf8").catch(() => "{}")).annotations?.length ?? 0,
      )
      .toBe(agreedInGold);

    // The keys work anywhere in the view (the focus is on the page after the click).
    // First disagreement: take B; second: reject; third: another label by keyboard; the rest: take A.
    const keys = ["b", "r", "e", ...Array.from({ length: Math.max(0, open - 3) }, () => "a")].slice(
      0,
      open,
    );
    for (const [i, key] of keys.entries()) {
      await page.keyboard.press(key);
      if (key === "e") {
        const select = curation.getByLabel("Label for the gold span");
        await select.waitFor();
        await select.selectOption("ORG");
      }
      await expect
        .poll(() => progress.textContent())
        .toContain(`${i + 1} of ${open} disagreements decided`);
      // Each decision moves on to the next open disagreement by itself.
    }
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => progress.textContent()).toContain("gold done");

    // Back to the articles: the sampled ones carry the double-coding mark.
    await curation.getByRole("button", { name: "← Agreement" }).click();
    await dashboard.getByRole("button", { name: "Back to articles" }).click();
    await expect.poll(() => page.locator(".article-item .double-tag").count()).toBe(4);

    const gold = JSON.parse(await readFile(goldFile, "utf8"));
    expect(gold.coder).toBe("gold");
    expect(gold.status).toBe("done");
    expect(gold.rejected).toHaveLength(1);
    expect(
      gold.annotations.some(
        (a: { label: string; id: string }) => a.label === "ORG" && a.id.startsWith("gold-"),
      ),
    ).toBe(true);

    // The gold layer exports like any coder's.
    const out = path.join(temp, "gold-export");
    const exported = cli(["export", project, "--format", "jsonl", "--gold", "--out", out]);
    expect(exported.status).toBe(0);
    const lines = (await readFile(path.join(out, "documents.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] as string);
    expect(doc.annotator).toBe("gold");
    expect(doc.spans).toHaveLength(gold.annotations.length);
  });
});
