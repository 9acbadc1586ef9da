/**
 * What the benchmark records and the browser-side measuring every tool shares:
 * statistics, the frame after a change, script time from the DevTools
 * protocol, DOM size and JS heap. Tagwerk, the static-HTML floor and the peers
 * are all measured through these functions, so their numbers compare.
 */
import type { CDPSession, Page } from "playwright-core";

/** A timing taken several times (milliseconds): the median and every value. */
export interface Sample {
  median: number;
  values: number[];
}

/** Percentiles of many timings (milliseconds). */
export interface Percentiles {
  p50: number;
  p95: number;
  n: number;
}

/** One interaction (M2–M4): script time it caused and time until the next frame was painted. */
export interface Interaction {
  script: Percentiles;
  frame: Percentiles;
}

/** The tools measured in the browser. */
export type BrowserTool = "tagwerk" | "floor" | "text-annotator" | "label-studio";

/** Everything measured for one tool on one single-article workload (W1–W4). */
export interface BrowserMeasurement {
  tool: BrowserTool;
  workload: string;
  /** M1: navigation start → every highlight in the first viewport painted. */
  m1?: Sample;
  /** M1b: navigation start → first viewport of article text painted. */
  m1b?: Sample;
  /** Navigation start → every highlight of the whole document in the DOM and painted. */
  m1Full?: Sample;
  /** M2: add, relabel and delete one annotation at random spots. */
  m2?: { add: Interaction; relabel?: Interaction; delete: Interaction };
  /** M3: caret move (arrow key) in the text. */
  m3?: Interaction;
  /** M4: jump to an annotation (from the list) and repaint. */
  m4?: Interaction;
  /** M5: elements in the document and JS heap after garbage collection. */
  m5?: { domElements: number; heapMb: number };
  /** The tool did not finish within the time limit; what it was doing. */
  timeout?: { afterMs: number; phase: string };
  /** The tool failed (message), recorded instead of numbers. */
  error?: string;
  /** Why a metric is missing for this tool (e.g. no relabel in its API). */
  notes?: string[];
}

/** Median of numbers (the mean of the middle two for even counts). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** A sample from values. */
export function sample(values: number[]): Sample {
  return { median: round(median(values)), values: values.map(round) };
}

/** p50 and p95 of values. */
export function percentiles(values: number[]): Percentiles {
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    n: values.length,
  };
}

/** Rounds to 0.1 (milliseconds are not more precise than that in a browser). */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Installed in every benchmark page before its scripts run: `__benchFrame()`
 * resolves with `performance.now()` after the next frame has been painted
 * (a task posted from requestAnimationFrame runs after that frame's paint),
 * and `__benchNextKey()` resolves with the time from the next keydown (seen
 * first, in the capture phase) to the frame painted after it.
 */
export const PAGE_HELPERS = `
window.__benchFrame = () => new Promise((resolve) => {
  requestAnimationFrame(() => {
    // A user-blocking task posted from requestAnimationFrame runs right after
    // that frame, ahead of tasks the page queued earlier (which a plain
    // MessageChannel task would wait behind and count).
    if (globalThis.scheduler && scheduler.postTask) {
      scheduler.postTask(() => resolve(performance.now()), { priority: "user-blocking" });
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  });
});
window.__benchNextKey = () => new Promise((resolve) => {
  window.addEventListener("keydown", () => {
    const t0 = performance.now();
    window.__benchFrame().then((t1) => resolve(t1 - t0));
  }, { capture: true, once: true });
});
window.__benchNextClick = () => new Promise((resolve) => {
  window.addEventListener("click", () => {
    const t0 = performance.now();
    window.__benchFrame().then((t1) => resolve(t1 - t0));
  }, { capture: true, once: true });
});
`;

/** A DevTools session on the page with the Performance domain on (for script time). */
export async function devtools(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page);
  await session.send("Performance.enable", { timeDomain: "threadTicks" });
  return session;
}

/** Main-thread script time so far (ms), from Chromium's own accounting. */
export async function scriptTime(session: CDPSession): Promise<number> {
  const { metrics } = await session.send("Performance.getMetrics");
  return (metrics.find((m) => m.name === "ScriptDuration")?.value ?? 0) * 1000;
}

/**
 * Times one interaction: `act` performs it (a key press, a click); `armed`
 * is the page promise (e.g. `__benchNextKey()`) that resolves with the time
 * to the next frame. Script time is Chromium's ScriptDuration over the
 * interaction until that frame.
 */
export async function timeInteraction(
  page: Page,
  session: CDPSession,
  arm: string,
  act: () => Promise<void>,
): Promise<{ script: number; frame: number }> {
  // `void`: evaluate would otherwise wait for the armed promise, i.e. for the action itself.
  await page.evaluate(`void (window.__benchPending = ${arm})`);
  const before = await scriptTime(session);
  await act();
  const frame = (await page.evaluate("window.__benchPending")) as number;
  const after = await scriptTime(session);
  return { script: after - before, frame };
}

/** M5: elements in the document, and the JS heap in MB after a full garbage collection. */
export async function domAndHeap(
  page: Page,
  session: CDPSession,
): Promise<{ domElements: number; heapMb: number }> {
  await session.send("HeapProfiler.collectGarbage");
  const { usedSize } = (await session.send("Runtime.getHeapUsage")) as { usedSize: number };
  const domElements = (await page.evaluate("document.getElementsByTagName('*').length")) as number;
  return { domElements, heapMb: round(usedSize / 1e6) };
}

/** The window size every tool is measured in (the same for Tagwerk, the floor and the peers). */
export const VIEWPORT = { width: 1280, height: 800 };
