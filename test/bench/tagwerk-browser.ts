/**
 * M1–M5 for Tagwerk itself: the built renderer behind the real `tagwerk serve`
 * in Chromium, a fresh browser context (cold page) per run, on a throwaway
 * copy of the workload project (M2 edits reach the disk like a coder's).
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { seededRandom } from "../../shared/dataset/splits";
import { type ServeProcess, startServe } from "../support/serve-process";
import {
  type BrowserMeasurement,
  devtools,
  domAndHeap,
  type Interaction,
  PAGE_HELPERS,
  percentiles,
  sample,
  timeInteraction,
  VIEWPORT,
} from "./measure";

/**
 * Watches the page from its first script on. The article text may arrive in
 * parts (a long article is shown from its first paragraphs, the rest appended
 * while `.tw-article-text` carries `aria-busy="true"`), so:
 * - M1b is the frame after article text first appears;
 * - M1 is the frame after annotation marks are in the text and the text fills
 *   the first viewport (its bottom is below the window's) or is complete, so
 *   every highlight of the first viewport is in the DOM when that frame paints;
 * - m1Full is the frame after the text is complete (marks present, no
 *   `aria-busy`); the harness then checks that every annotation of the layer is
 *   in the DOM (see `measureTagwerk`).
 */
const OPEN_WATCH = `
(() => {
  let textSeen = false;
  let firstSeen = false;
  const observer = new MutationObserver(() => {
    const host = document.querySelector(".tw-article-text");
    if (!host) return;
    if (!textSeen && host.textContent.length > 0) {
      textSeen = true;
      window.__benchFrame().then((t) => { window.__benchM1b = t; });
    }
    if (!host.querySelector(".tw-ann")) return;
    const complete = host.getAttribute("aria-busy") !== "true";
    if (!firstSeen && (complete || host.getBoundingClientRect().bottom >= window.innerHeight)) {
      firstSeen = true;
      window.__benchFrame().then((t) => { window.__benchM1 = t; });
    }
    if (complete) {
      window.__benchFrame().then((t) => { window.__benchM1Full = t; });
      observer.disconnect();
    }
  });
  observer.observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-busy"],
  });
})();
`;

/** How hard to measure. */
export interface TagwerkOptions {
  runs: number;
  /** Random spots for M2–M4. */
  spots: number;
  timeoutMs: number;
}

/** Opens the article in a fresh context and waits for M1; returns the page. */
async function openArticle(
  browser: Browser,
  serve: ServeProcess,
  articleId: string,
  timeoutMs: number,
): Promise<{
  page: Page;
  m1: number;
  m1b: number;
  m1Full: number;
  close: () => Promise<void>;
}> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS + OPEN_WATCH);
  await page.goto(`${serve.url}#article=${encodeURIComponent(articleId)}`);
  // A function, not a string: the app's CSP forbids eval, which string predicates need.
  await page.waitForFunction(
    () => {
      const w = window as unknown as {
        __benchM1?: number;
        __benchM1b?: number;
        __benchM1Full?: number;
      };
      return (
        w.__benchM1 !== undefined && w.__benchM1b !== undefined && w.__benchM1Full !== undefined
      );
    },
    null,
    {
      timeout: timeoutMs,
      polling: 50,
    },
  );
  const { m1, m1b, m1Full } = (await page.evaluate(
    "({ m1: window.__benchM1, m1b: window.__benchM1b, m1Full: window.__benchM1Full })",
  )) as {
    m1: number;
    m1b: number;
    m1Full: number;
  };
  return { page, m1, m1b, m1Full, close: () => context.close() };
}

/** Measures Tagwerk on one article of a workload project. */
export async function measureTagwerk(
  browser: Browser,
  workload: string,
  project: string,
  articleId: string,
  options: TagwerkOptions,
): Promise<BrowserMeasurement> {
  const copy = await mkdtemp(path.join(os.tmpdir(), `tagwerk-bench-${workload}-`));
  await cp(project, copy, { recursive: true });
  const serve = await startServe(copy, [], "alice");
  const result: BrowserMeasurement = { tool: "tagwerk", workload, notes: [] };
  try {
    const m1: number[] = [];
    const m1b: number[] = [];
    const m1Full: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const opened = await openArticle(browser, serve, articleId, options.timeoutMs);
      m1.push(opened.m1);
      m1b.push(opened.m1b);
      m1Full.push(opened.m1Full);
      if (run < options.runs - 1) {
        await opened.close();
        continue;
      }
      result.m1 = sample(m1);
      result.m1b = sample(m1b);
      result.m1Full = sample(m1Full);
      // m1Full must mean every highlight: every annotation of the layer is in the DOM.
      const expected = await annotationCount(copy, articleId, "alice");
      const shown = (await opened.page.evaluate(
        `new Set([...document.querySelectorAll(".tw-article-text [data-annotation]")].map((e) => e.getAttribute("data-annotation"))).size`,
      )) as number;
      if (shown !== expected)
        result.notes?.push(`m1Full: ${shown} of ${expected} annotations were in the DOM`);
      const session = await devtools(opened.page);
      result.m5 = await domAndHeap(opened.page, session);
      const interactions = await measureInteractions(opened.page, options.spots);
      Object.assign(result, interactions);
      await opened.close();
    }
  } catch (error) {
    const message = (error as Error).message;
    if (/Timeout/i.test(message)) result.timeout = { afterMs: options.timeoutMs, phase: "open" };
    else result.error = message.split("\n")[0];
  } finally {
    await serve.stop();
    await rm(copy, { recursive: true, force: true });
  }
  return result;
}

/** Annotations in a coder's file of an article of the project at `root`. */
async function annotationCount(root: string, articleId: string, coder: string): Promise<number> {
  const file = path.join(root, "coding", articleId, `${coder}.json`);
  const data = JSON.parse(await readFile(file, "utf8")) as { annotations: unknown[] };
  return data.annotations.length;
}

/** M2–M4 on an opened article, at seeded random spots. */
async function measureInteractions(
  page: Page,
  spots: number,
): Promise<Pick<BrowserMeasurement, "m2" | "m3" | "m4">> {
  const session = await devtools(page);
  const random = seededRandom(42);
  const add: { script: number; frame: number }[] = [];
  const relabel: { script: number; frame: number }[] = [];
  const remove: { script: number; frame: number }[] = [];
  const caret: { script: number; frame: number }[] = [];
  const jump: { script: number; frame: number }[] = [];
  for (let spot = 0; spot < spots; spot++) {
    // Add: select a word at a random place in the text and press the PER hotkey.
    await page.evaluate(`(${selectRandomWord.toString()})(${random()})`);
    add.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("p"),
      ),
    );
    // Relabel: the annotation just added is active; press the ORG hotkey.
    relabel.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("o"),
      ),
    );
    // Delete it again (Delete removes the active annotation).
    remove.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("Delete"),
      ),
    );
    // M3: move the caret one character.
    caret.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("ArrowRight"),
      ),
    );
  }
  // M4: jump from the annotation list to a random annotation. The list renders only the rows
  // near its visible part, so scroll it to a random place and click a row in view there.
  for (let spot = 0; spot < spots; spot++) {
    const fraction = random();
    const index = (await page.evaluate(
      `(${pickVisibleRow.toString()})(${fraction}, ${random()})`,
    )) as number | null;
    if (index === null) continue;
    const row = page.locator(".annotation-row").nth(index);
    await row.scrollIntoViewIfNeeded();
    jump.push(await timeInteraction(page, session, "window.__benchNextClick()", () => row.click()));
  }
  const interaction = (values: { script: number; frame: number }[]): Interaction => ({
    script: percentiles(values.map((v) => v.script)),
    frame: percentiles(values.map((v) => v.frame)),
  });
  return {
    m2: { add: interaction(add), relabel: interaction(relabel), delete: interaction(remove) },
    m3: interaction(caret),
    m4: jump.length > 0 ? interaction(jump) : undefined,
  };
}

/** In the page: selects a whole word near `fraction` of the article text (outside marks). */
function selectRandomWord(fraction: number): void {
  const host = document.querySelector(".tw-article-text") as HTMLElement;
  const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (!text.parentElement?.closest(".tw-ann") && /\p{L}{4,}/u.test(text.data)) nodes.push(text);
  }
  const node = nodes[Math.floor(fraction * nodes.length)] as Text;
  const match = /\p{L}{4,}/u.exec(node.data) as RegExpExecArray;
  node.parentElement?.scrollIntoView({ block: "center" });
  const selection = window.getSelection() as Selection;
  selection.setBaseAndExtent(node, match.index, node, match.index + match[0].length);
}

/**
 * In the page: scrolls the annotation pane to `fraction` of its height, waits
 * for the list to render there, and returns the index (among `.annotation-row`
 * elements) of a row in view, chosen by `choice`; null when there is none.
 */
async function pickVisibleRow(fraction: number, choice: number): Promise<number | null> {
  const body = document.querySelector(".pane__body") as HTMLElement | null;
  if (!body) return null;
  body.scrollTop = fraction * (body.scrollHeight - body.clientHeight);
  // The virtual list renders the rows for the new place after its scroll event; let it settle.
  const frame = (window as unknown as { __benchFrame(): Promise<number> }).__benchFrame;
  await frame();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await frame();
  const view = body.getBoundingClientRect();
  const rows = [...document.querySelectorAll(".annotation-row")];
  const visible = rows
    .map((row, index) => ({ rect: row.getBoundingClientRect(), index }))
    .filter(({ rect }) => rect.top >= view.top && rect.bottom <= view.bottom)
    .map(({ index }) => index);
  return visible.length > 0 ? (visible[Math.floor(choice * visible.length)] as number) : null;
}
