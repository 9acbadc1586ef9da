/**
 * axe-core on the main screens: no serious or critical accessibility problem on
 * the start screen, the workbench (light and dark), the annotating card, the
 * cleanup dialog and the shortcut sheet.
 */
import { cp, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  const project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-a11y-")), "project");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  serve = await startServe(project, [], "alice");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function seriousProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: page as never }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

describe("accessibility (axe-core)", () => {
  it.each(["light", "dark"] as const)(
    "the workbench in %s mode has no serious or critical problem",
    async (scheme) => {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      await page.goto(serve.url);
      await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
      await page.locator(".tw-ann").first().waitFor();
      expect(await seriousProblems(page)).toEqual([]);
      await page
        .getByRole("button", { name: /Umjerow betonte/ })
        .first()
        .click();
      await page.getByRole("region", { name: "Selected annotation" }).waitFor();
      expect(await seriousProblems(page)).toEqual([]);
      await page.getByRole("tab", { name: "Codes" }).click();
      expect(await seriousProblems(page)).toEqual([]);
      await page.close();
    },
  );

  it("the dialogs have no serious or critical problem", async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1440, height: 900 } })
    ).newPage();
    await page.goto(serve.url);
    await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
    await page.getByRole("button", { name: "Clean up scraped text…" }).click();
    await page.getByRole("dialog", { name: "Clean up scraped text" }).waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page.close();
  });

  it("the export dialog, agreement dashboard and adjudication have no serious or critical problem", async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1440, height: 900 } })
    ).newPage();
    await page.goto(serve.url);
    await page.getByRole("option").first().waitFor();
    await page.getByRole("button", { name: "Export…" }).click();
    await page.getByRole("dialog", { name: "Export dataset" }).waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Agreement" }).click();
    await page.getByTestId("f1-exact").waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page
      .getByRole("row", { name: /Kiew will Garantien/ })
      .getByRole("button", { name: "Adjudicate" })
      .click();
    await page.getByRole("region", { name: "Adjudication" }).getByRole("status").waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page.close();
  });

  it("the start screen has no serious or critical problem", async () => {
    const bare = await startServe();
    const page = await (await browser.newContext()).newPage();
    try {
      await page.goto(bare.url);
      await page.getByLabel("Project folder (absolute path)").waitFor();
      expect(await seriousProblems(page)).toEqual([]);
    } finally {
      await page.close();
      await bare.stop();
    }
  });
});
