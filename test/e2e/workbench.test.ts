/**
 * End to end: the real renderer in Debian's Chromium against `tagwerk serve`
 * on a copy of the example project on disk, used the way a coder uses it.
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

const KIEW = "2025-12-18-mainuferbote-sicherheitsgarantien";
let project: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-")), "project");
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
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
});

async function openKiew(): Promise<void> {
  await page.goto(serve.url);
  await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
  await expect
    .poll(() => page.locator(".reader__title").textContent())
    .toBe("Kiew will Garantien schwarz auf weiß");
}

describe("the workbench in a browser", () => {
  it("opens the project, an article on the left and the annotation pane on the right", async () => {
    await page.goto(serve.url);
    await expect
      .poll(() => page.locator(".project-header h1").textContent())
      .toBe("Ukraine-Verhandlungen Dezember 2025");
    expect(await page.getByRole("option").count()).toBe(7);
    await openKiew();
    const text = await page.locator(".tw-article-text").textContent();
    expect(text).toContain("Wolodymyr Selenskyj");
    const reader = await page.locator(".reader").boundingBox();
    const pane = await page.getByRole("complementary", { name: "Annotation pane" }).boundingBox();
    expect(reader && pane && reader.x < pane.x).toBe(true);
    expect(await page.getByRole("tab", { name: /Annotations/ }).textContent()).toContain("25");
    // The token is gone from the address bar once the page has it.
    expect(page.url()).not.toContain("token=");
  });

  it("highlights every annotation on exactly its quote, also after emoji", async () => {
    await openKiew();
    const stored = JSON.parse(
      await readFile(path.join(project, "coding", KIEW, "alice.json"), "utf8"),
    ) as {
      annotations: { id: string; quote: string }[];
    };
    for (const a of stored.annotations) {
      const pieces = await page.locator(`[data-annotation="${a.id}"]`).allTextContents();
      expect(pieces.join(""), a.id).toBe(a.quote);
    }
  });

  it("jumps to an annotation from the pane and selects its text", async () => {
    await openKiew();
    await page
      .getByRole("button", { name: /Rustem Umjerow/ })
      .first()
      .click();
    await expect
      .poll(() => page.evaluate(() => window.getSelection()?.toString()))
      .toBe("Rustem Umjerow");
  });

  it("shows another coder's layer", async () => {
    await openKiew();
    await page.getByRole("radio", { name: /bob/ }).check({ force: true });
    await expect
      .poll(() => page.locator('.annotation-row:has-text("18.12.2025")').count())
      .toBeGreaterThan(0);
    const bobHasAliceOnlySpan = await page.locator('[data-annotation^="alice-"]').count();
    expect(bobHasAliceOnlySpan).toBe(0);
  });

  it("keeps the text read-only", async () => {
    await openKiew();
    const before = await page.locator(".tw-article-text").textContent();
    await page.locator(".tw-paragraph").nth(6).click();
    await page.keyboard.type("XYZ");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    expect(await page.locator(".tw-article-text").textContent()).toBe(before);
  });

  it("works by keyboard: article list, next article, shortcut sheet", async () => {
    await page.goto(serve.url);
    await page.getByRole("option").first().waitFor();
    await page.keyboard.press("Control+p");
    await page.keyboard.type("Garanten");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toBe("Garantien ohne Garanten");
    await page.keyboard.press("Alt+ArrowDown");
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toBe("Kiew will Garantien schwarz auf weiß");
    await page.keyboard.press("Shift+?");
    await expect
      .poll(() => page.getByRole("dialog", { name: "Keyboard shortcuts" }).isVisible())
      .toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").isVisible()).toBe(false);
    await page.keyboard.press("Control+e");
    await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("Shift+ArrowRight");
    expect((await page.evaluate(() => window.getSelection()?.toString()))?.length).toBe(2);
  });

  it("reaches the list, the pane tabs and every annotation by keyboard alone", async () => {
    await openKiew();
    await page.getByRole("option", { name: /Kiew will Garantien/ }).focus();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toBe("Garantien ohne Garanten");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toBe("Kiew will Garantien schwarz auf weiß");
    // Tab order: list → article text → pane tabs → coder → annotation rows (one stop).
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      names.push(await focused());
    }
    expect(names.some((n) => n.startsWith("Annotations"))).toBe(true);
    await page.getByRole("tab", { name: /Annotations/ }).focus();
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => page.getByRole("tab", { name: "Codes" }).getAttribute("aria-selected"))
      .toBe("true");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => page.getByRole("tab", { name: "Codebook" }).getAttribute("aria-selected"))
      .toBe("true");
    expect(await page.getByRole("tabpanel").textContent()).toContain("Codebook version 1");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
    const firstRow = page.locator(".annotation-row").first();
    await firstRow.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toContain("Steve Witkoff");
    expect(await page.locator('.annotation-row[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.evaluate(() => window.getSelection()?.toString()))
      .toBe("Steve Witkoff");
  });

  it("opens each article at its top", async () => {
    await openKiew();
    await page.locator(".reader").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByRole("option", { name: /Garantien ohne Garanten/ }).click();
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toBe("Garantien ohne Garanten");
    await expect.poll(() => page.locator(".reader").evaluate((el) => el.scrollTop)).toBe(0);
  });

  it("searches all texts, accent- and case-blind, and opens an article at the hit", async () => {
    await page.goto(serve.url);
    await page.getByRole("option").first().waitFor();
    await page.keyboard.press("Control+Shift+F");
    await page.keyboard.type("umjerow");
    await page.keyboard.press("Enter");
    const results = page.getByRole("navigation", { name: "Search results" });
    await expect
      .poll(() => results.getByRole("status").textContent())
      .toMatch(/“umjerow” in \d+ articles?/);
    const hit = results.locator(".search-hit").first();
    expect(await hit.locator("mark").textContent()).toBe("Umjerow");
    await hit.click();
    await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe("Umjerow");
    await page.getByRole("button", { name: "Back to articles" }).click();
    expect(await page.getByRole("option").count()).toBe(7);
  });

  it("still shows the project after a reload", async () => {
    await openKiew();
    await page.reload();
    await expect
      .poll(() => page.locator(".project-header h1").textContent())
      .toBe("Ukraine-Verhandlungen Dezember 2025");
  });

  it("keeps working when one annotation file is broken, and says which", async () => {
    const bob = path.join(project, "coding", KIEW, "bob.json");
    const original = await readFile(bob, "utf8");
    await writeFile(bob, `<<<<<<< HEAD\n${original}=======\n{}\n>>>>>>> theirs\n`);
    try {
      await openKiew();
      await expect
        .poll(() => page.locator(".problems").textContent())
        .toContain(`coding/${KIEW}/bob.json`);
      expect(await page.locator(".problems").textContent()).toContain("conflict markers");
      expect(await page.locator('[data-label="PER"]').count()).toBeGreaterThan(0);
    } finally {
      await writeFile(bob, original);
    }
  });

  it("lists unreadable files with what is wrong, and opens everything else", async () => {
    const codebook = path.join(project, "codebook.json");
    const original = await readFile(codebook, "utf8");
    await writeFile(codebook, original.slice(0, 200));
    try {
      await page.goto(serve.url);
      await page.getByRole("button", { name: "1 unreadable file" }).click();
      const dialog = page.getByRole("dialog", { name: "Files that could not be read" });
      await expect.poll(() => dialog.textContent()).toContain("codebook.json");
      expect(await dialog.textContent()).toMatch(/line \d+, column \d+: invalid JSON.*truncated/);
      await page.keyboard.press("Escape");
      expect(await page.getByRole("option").count()).toBe(7);
    } finally {
      await writeFile(codebook, original);
    }
  });

  it("refuses to work without the token", async () => {
    await page.goto(`${serve.origin}/`);
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/token/);
    expect(await page.getByLabel("Project folder (absolute path)").count()).toBe(0);
    const status = await page.evaluate(
      async () =>
        (
          await fetch("/api/getProject", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: "{}",
          })
        ).status,
    );
    expect(status).toBe(401);
  });

  it("ran without console errors or CSP violations", () => {
    expect(consoleErrors.filter((e) => !e.includes("401"))).toEqual([]);
  });
});

describe("the start screen", () => {
  it("opens a project by path when tagwerk serve was started without one", async () => {
    const bare = await startServe();
    const p = await browser.newPage();
    try {
      await p.goto(bare.url);
      const bar = await p.locator(".status-bar").boundingBox();
      const viewport = p.viewportSize();
      expect(bar && viewport && Math.round(bar.y + bar.height)).toBe(viewport?.height);
      await p.getByLabel("Project folder (absolute path)").fill(project);
      await p.keyboard.press("Enter");
      await expect.poll(() => p.getByRole("option").count()).toBe(7);
      await p.reload();
      await expect
        .poll(() => p.locator(".project-header h1").textContent())
        .toBe("Ukraine-Verhandlungen Dezember 2025");
    } finally {
      await p.close();
      await bare.stop();
    }
  });

  it("creates a new project in an empty folder and opens it", async () => {
    const bare = await startServe();
    const p = await browser.newPage();
    const folder = path.join(
      await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-new-")),
      "neues-projekt",
    );
    try {
      await p.goto(bare.url);
      await p.getByLabel("Project folder (absolute path)").fill(folder);
      await p.getByRole("button", { name: "Create new project here" }).click();
      await expect.poll(() => p.locator(".project-header h1").textContent()).toBe("neues-projekt");
      expect(await p.locator(".reader__empty").textContent()).toContain("no articles yet");
      expect((await readdir(folder)).sort()).toEqual([
        "articles",
        "codebook.json",
        "coding",
        "entities.json",
        "tagwerk.json",
      ]);
    } finally {
      await p.close();
      await bare.stop();
    }
  });

  it("explains a folder that is not a project", async () => {
    const bare = await startServe();
    const p = await browser.newPage();
    try {
      await p.goto(bare.url);
      await p.getByLabel("Project folder (absolute path)").fill(os.tmpdir());
      await p.keyboard.press("Enter");
      await expect
        .poll(() => p.getByRole("alert").textContent())
        .toContain("is not a Tagwerk project");
    } finally {
      await p.close();
      await bare.stop();
    }
  });
});

describe("importing articles in the browser", () => {
  it("imports picked text files, reports what was skipped, and opens the new article", async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-import-")), "project");
    await cp(path.join(REPO, "annotations"), dir, { recursive: true });
    const server = await startServe(dir);
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await p.goto(server.url);
      await p.getByRole("option").first().waitFor();
      const text =
        " date 2026-01-07\nWitkoff reist nach Kiew\n🇺🇦 Der Sondergesandte Steve Witkoff wird am Mittwoch in Kiew erwartet, sagte ein Sprecher.";
      await p.getByTestId("import-input").setInputFiles([
        { name: "witkoff.txt", mimeType: "text/plain", buffer: Buffer.from(text) },
        { name: "bild.txt", mimeType: "text/plain", buffer: Buffer.from([0x89, 0x50, 0x00, 0x01]) },
      ]);
      const dialog = p.getByRole("dialog", { name: "Import" });
      await expect.poll(() => dialog.textContent()).toContain("1 imported · 1 skipped");
      expect(await dialog.textContent()).toContain("bild.txt: looks like a binary file");
      await p.keyboard.press("Escape");
      await expect
        .poll(() => p.locator(".reader__title").textContent())
        .toBe("Witkoff reist nach Kiew");
      expect(await p.getByRole("option").count()).toBe(8);
      const files = await readdir(path.join(dir, "articles"));
      expect(files.filter((f) => f.startsWith("2026-01-07-witkoff-reist-nach-kiew-"))).toHaveLength(
        2,
      );
    } finally {
      await p.close();
      await server.stop();
    }
  });
});

describe("cleaning up scraped text", () => {
  it("previews the proposals, removes the ticked ones, and keeps annotations as orphans for review", async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-clean-")), "project");
    await cp(path.join(REPO, "annotations"), dir, { recursive: true });
    const server = await startServe(dir, [], "alice");
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await p.goto(server.url);
      await p.getByRole("option", { name: /Kiew will Garantien/ }).click();
      await p.getByRole("button", { name: "Clean up scraped text…" }).click();
      const dialog = p.getByRole("dialog", { name: "Clean up scraped text" });
      await expect.poll(() => dialog.locator(".cleanup-list li").count()).toBe(8);
      // The byline starts unticked: coders may want to code authors.
      expect(await dialog.getByRole("checkbox").nth(4).isChecked()).toBe(false);
      await dialog.getByRole("button", { name: /Remove 7 selected/ }).click();
      await expect
        .poll(() => p.locator(".status-bar__message").textContent())
        .toMatch(/Removed 7 blocks; \d annotation\(s\) wait for review/);
      const text = await p.locator(".tw-article-text").textContent();
      expect(text).not.toContain("Kommentare (3)");
      expect(text).toContain("Von Lena Hartwig");
      await expect
        .poll(() =>
          p.getByRole("region", { name: "Annotations that wait for review" }).textContent(),
        )
        .toContain("the quoted text was changed or deleted");
      const alice = JSON.parse(
        await readFile(path.join(dir, "coding", KIEW, "alice.json"), "utf8"),
      ) as {
        annotations: unknown[];
        orphans: { reason: string }[];
      };
      expect(alice.orphans.length).toBeGreaterThan(0);
      expect(alice.annotations.length + alice.orphans.length).toBe(25);
      // Every annotation still on the page sits on its quote.
      for (const a of alice.annotations as { id: string; quote: string }[]) {
        expect(
          (await p.locator(`[data-annotation="${a.id}"]`).allTextContents()).join(""),
          a.id,
        ).toBe(a.quote);
      }
    } finally {
      await p.close();
      await server.stop();
    }
  });
});
