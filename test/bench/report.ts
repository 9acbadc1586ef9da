/**
 * The benchmark's results file and its markdown table: every metric per tool
 * and workload, Tagwerk's ratio to the static-HTML floor and each peer's ratio
 * to Tagwerk, the Node-side metrics, and each PERFORMANCE.md target checked.
 */
import type { BrowserMeasurement, BrowserTool, Interaction, Sample } from "./measure";

/** Facts about the machine a run was made on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  chromium: string;
  commit: string;
  /** 1-minute load average when the run started (other work skews timings). */
  loadAtStart: number;
}

/** Facts about one generated workload. */
export interface WorkloadFacts {
  articles: number;
  /** Characters (code points) of one article. */
  chars: number;
  /** Spans in the measured article (W1–W4) or the whole project (W5, W6). */
  spans: number;
  coders: number;
  /** Share of spans that overlap or nest another span (W1–W4). */
  overlapping?: number;
}

/** Everything one `npm run bench` run produced. */
export interface BenchResults {
  startedAt: string;
  seconds: number;
  quick: boolean;
  machine: Machine;
  settings: { runs: number; spots: number; timeoutMs: Record<string, number> };
  workloads: Record<string, WorkloadFacts>;
  browser: BrowserMeasurement[];
  /** Node-side metrics M6–M10, per metric and workload, as their modules return them. */
  node: Record<string, Record<string, unknown>>;
  targets: TargetCheck[];
}

/** One PERFORMANCE.md target and whether this run met it. */
export interface TargetCheck {
  metric: string;
  workload: string;
  target: string;
  measured: string;
  /** null: could not be checked (the metric failed or is missing). */
  met: boolean | null;
}

const TOOLS: BrowserTool[] = ["tagwerk", "floor", "text-annotator", "label-studio"];
const PEERS: BrowserTool[] = ["text-annotator", "label-studio"];

/** The measurement of a tool on a workload, if it ran. */
export function find(
  results: Pick<BenchResults, "browser">,
  tool: BrowserTool,
  workload: string,
): BrowserMeasurement | undefined {
  return results.browser.find((m) => m.tool === tool && m.workload === workload);
}

/** A browser metric as one number (ms, or count/MB for M5), undefined when missing. */
type Pick1 = (m: BrowserMeasurement) => number | undefined;

const worst = (i: Interaction | undefined, key: "script" | "frame") => i?.[key].p95;
const worstEdit = (m: BrowserMeasurement, key: "script" | "frame") => {
  const values = [m.m2?.add, m.m2?.relabel, m.m2?.delete]
    .map((i) => worst(i, key))
    .filter((v): v is number => v !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
};
const med = (s: Sample | undefined) => s?.median;

/** The rows of the browser table: label, unit, how to read the value, lower is better. */
const BROWSER_ROWS: [string, string, Pick1][] = [
  ["M1 open → viewport highlights painted", "ms", (m) => med(m.m1)],
  ["M1b open → first viewport of text", "ms", (m) => med(m.m1b)],
  ["open → every highlight painted", "ms", (m) => med(m.m1Full)],
  ["M2 add, script p95", "ms", (m) => worst(m.m2?.add, "script")],
  ["M2 add, next frame p95", "ms", (m) => worst(m.m2?.add, "frame")],
  ["M2 relabel, script p95", "ms", (m) => worst(m.m2?.relabel, "script")],
  ["M2 relabel, next frame p95", "ms", (m) => worst(m.m2?.relabel, "frame")],
  ["M2 delete, script p95", "ms", (m) => worst(m.m2?.delete, "script")],
  ["M2 delete, next frame p95", "ms", (m) => worst(m.m2?.delete, "frame")],
  ["M3 caret move, script p95", "ms", (m) => worst(m.m3, "script")],
  ["M3 caret move, next frame p95", "ms", (m) => worst(m.m3, "frame")],
  ["M4 jump to annotation, next frame p95", "ms", (m) => worst(m.m4, "frame")],
  ["M5 DOM elements", "", (m) => m.m5?.domElements],
  ["M5 JS heap", "MB", (m) => m.m5?.heapMb],
];

/** Rows about opening, where a timed-out tool's time is a lower bound. */
const OPEN_ROWS = new Set(BROWSER_ROWS.slice(0, 3).map(([label]) => label));

function cell(m: BrowserMeasurement | undefined, pick: Pick1, unit: string, label: string): string {
  if (!m) return "—";
  if (m.timeout)
    return OPEN_ROWS.has(label)
      ? `timeout (> ${Math.round(m.timeout.afterMs / 1000)} s, ${m.timeout.phase})`
      : "n/a";
  if (m.error) return "error";
  const value = pick(m);
  if (value === undefined) return "n/a";
  return `${formatNumber(value)}${unit ? ` ${unit}` : ""}`;
}

function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(1);
}

/** `a / b` as "2.3×", or a lower bound when `a` timed out. */
function ratio(
  a: BrowserMeasurement | undefined,
  b: BrowserMeasurement | undefined,
  pick: Pick1,
  label: string,
): string {
  if (!a || !b || b.timeout || b.error) return "—";
  const bv = pick(b);
  if (bv === undefined || bv <= 0) return "—";
  if (a.timeout) return OPEN_ROWS.has(label) ? `> ${formatNumber(a.timeout.afterMs / bv)}×` : "—";
  const av = pick(a);
  if (a.error || av === undefined) return "—";
  return `${formatNumber(av / bv)}×`;
}

/** Checks the PERFORMANCE.md targets that this run can check. */
export function checkTargets(results: Omit<BenchResults, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const tw = (w: string) => find(results, "tagwerk", w);
  const m1 = (tool: BrowserTool, w: string) => med(find(results, tool, w)?.m1);
  const add = (
    metric: string,
    workload: string,
    target: string,
    measured: number | undefined,
    limit: number | undefined,
    unit = "ms",
  ) =>
    checks.push({
      metric,
      workload,
      target,
      measured:
        measured === undefined ? "missing" : `${formatNumber(measured)}${unit ? ` ${unit}` : ""}`,
      met: measured === undefined || limit === undefined ? null : measured <= limit,
    });
  const floorW1 = m1("floor", "W1");
  add(
    "M1 ≤ 2× floor",
    "W1",
    `≤ ${floorW1 ? formatNumber(2 * floorW1) : "?"} ms (floor ${floorW1 ? formatNumber(floorW1) : "?"} ms)`,
    m1("tagwerk", "W1"),
    floorW1 && 2 * floorW1,
  );
  const ta = find(results, "text-annotator", "W1");
  const ourW1 = m1("tagwerk", "W1");
  const taTime = ta?.timeout ? ta.timeout.afterMs : med(ta?.m1);
  checks.push({
    metric: "M1 ≥ 10× faster than text-annotator",
    workload: "W1",
    target: "≥ 10×",
    measured:
      ourW1 && taTime
        ? `${formatNumber(taTime / ourW1)}×${ta?.timeout ? " (text-annotator timed out)" : ""}`
        : "missing",
    met: ourW1 && taTime ? taTime / ourW1 >= 10 : null,
  });
  add("M1", "W3", "≤ 100 ms", m1("tagwerk", "W3"), 100);
  const w1 = ourW1;
  add(
    "M1 ≤ 3× W1",
    "W4",
    `≤ ${w1 ? formatNumber(3 * w1) : "?"} ms`,
    m1("tagwerk", "W4"),
    w1 && 3 * w1,
  );
  const w1m = tw("W1");
  add("M2 script p95 (add/relabel/delete)", "W1", "≤ 16 ms", w1m && worstEdit(w1m, "script"), 16);
  add(
    "M2 next frame p95 (add/relabel/delete)",
    "W1",
    "≤ 33 ms",
    w1m && worstEdit(w1m, "frame"),
    33,
  );
  add("M5 DOM elements", "W1", "≤ 30,000", w1m?.m5?.domElements, 30_000, "");
  add("M5 JS heap", "W1", "≤ 60 MB", w1m?.m5?.heapMb, 60, "MB");
  const node = results.node;
  /** A number inside a Node metric's result, by a dotted path (e.g. "openMs.median"). */
  const get = (metric: string, w: string, dotted: string) => {
    let value: unknown = node[metric]?.[w];
    for (const key of dotted.split("."))
      value = (value as Record<string, unknown> | undefined)?.[key];
    return typeof value === "number" ? value : undefined;
  };
  for (const w of Object.keys(node.M6 ?? {}))
    add("M6 edit → durable, p95", w, "≤ 20 ms", get("M6", w, "latency.p95"), 20);
  add("M7 cold open", "W5", "≤ 1 s", get("M7", "W5", "openMs.median"), 1000);
  add("M7 cold open", "W6", "≤ 2 s", get("M7", "W6", "openMs.median"), 2000);
  for (const w of ["W5", "W6"]) {
    const formats = node.M8?.[w];
    if (!Array.isArray(formats)) continue;
    for (const f of formats as { format: string; datasetMbPerSecond: number }[]) {
      const limit =
        f.format === "jsonl" ? 50 : ["conll", "spacy", "hf"].includes(f.format) ? 20 : undefined;
      if (limit === undefined) continue;
      checks.push({
        metric: `M8 export ${f.format}`,
        workload: w,
        target: `≥ ${limit} MB/s`,
        measured: `${formatNumber(f.datasetMbPerSecond)} MB/s`,
        met: f.datasetMbPerSecond >= limit,
      });
    }
  }
  add("M9 agreement, all coefficients", "W6", "≤ 5 s", get("M9", "W6", "totalMs.median"), 5000);
  return checks;
}

/** The markdown report of a run. */
export function markdown(results: BenchResults): string {
  const lines: string[] = [];
  const m = results.machine;
  lines.push(
    `# Tagwerk benchmark${results.quick ? " (quick: scaled-down workloads, not comparable)" : ""}`,
  );
  lines.push("");
  lines.push(
    `Run ${results.startedAt} · ${Math.round(results.seconds)} s · commit \`${m.commit}\``,
  );
  lines.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, Chromium ${m.chromium}, load ${m.loadAtStart.toFixed(2)} at start.`,
  );
  lines.push(
    `Settings: ${results.settings.runs} runs per open (median, fresh browser context each), ${results.settings.spots} random spots per interaction; time limits ${Object.entries(
      results.settings.timeoutMs,
    )
      .map(([k, v]) => `${k} ${v / 1000} s`)
      .join(", ")}.`,
  );
  lines.push("");
  lines.push("## Workloads");
  lines.push("");
  lines.push(
    "| workload | articles | chars per article | spans (generator's aim; see M6–M9 for counts) | coders | overlapping |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|");
  for (const [name, w] of Object.entries(results.workloads))
    lines.push(
      `| ${name} | ${w.articles} | ${w.chars.toLocaleString("en-US")} | ${w.spans.toLocaleString("en-US")} | ${w.coders} | ${w.overlapping === undefined ? "" : `${(w.overlapping * 100).toFixed(1)} %`} |`,
    );
  lines.push("");
  lines.push("## Targets");
  lines.push("");
  lines.push("| metric | workload | target | measured | met |");
  lines.push("|---|---|---|---|---|");
  for (const t of results.targets)
    lines.push(
      `| ${t.metric} | ${t.workload} | ${t.target} | ${t.measured} | ${t.met === null ? "?" : t.met ? "yes" : "**no**"} |`,
    );
  lines.push("");
  lines.push("## In the browser (M1–M5)");
  lines.push("");
  lines.push(
    "Ratios: *÷ floor* is Tagwerk's value divided by the static-HTML floor's (lower is better, 1× = as fast as plain HTML); *peer ÷ Tagwerk* is how many times the peer's value is Tagwerk's (higher = Tagwerk wins).",
  );
  const workloads = [...new Set(results.browser.map((b) => b.workload))].sort();
  for (const w of workloads) {
    lines.push("");
    lines.push(`### ${w}`);
    lines.push("");
    const present = TOOLS.filter((t) => find(results, t, w));
    const peers = PEERS.filter((t) => find(results, t, w));
    const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
    lines.push(
      row(["metric", ...present, "Tagwerk ÷ floor", ...peers.map((p) => `${p} ÷ Tagwerk`)]),
    );
    lines.push(`|---|${[...present, "floor", ...peers].map(() => "---:").join("|")}|`);
    const ours = find(results, "tagwerk", w);
    const floor = find(results, "floor", w);
    for (const [label, unit, pick] of BROWSER_ROWS) {
      const cells = present.map((t) => cell(find(results, t, w), pick, unit, label));
      if (cells.every((c) => c === "n/a" || c === "—")) continue;
      lines.push(
        row([
          label,
          ...cells,
          ratio(ours, floor, pick, label),
          ...peers.map((p) => ratio(find(results, p, w), ours, pick, label)),
        ]),
      );
    }
    const notes = results.browser.filter((b) => b.workload === w && (b.notes?.length || b.error));
    for (const b of notes) {
      for (const note of b.notes ?? [])
        lines.push(`- ${note.startsWith(`${b.tool}:`) ? note : `${b.tool}: ${note}`}`);
      if (b.error) lines.push(`- ${b.tool}: error — ${b.error}`);
    }
  }
  lines.push("");
  lines.push("## Node side (M6–M10)");
  for (const [metric, perWorkload] of Object.entries(results.node)) {
    lines.push("");
    lines.push(`### ${metric}`);
    lines.push("");
    for (const [w, value] of Object.entries(perWorkload))
      lines.push(...nodeLines(metric, w, value));
  }
  lines.push("");
  return lines.join("\n");
}

/** Node metric values as a table when they are a list of rows, else as a flat key list. */
function nodeLines(metric: string, workload: string, value: unknown): string[] {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === "object") {
    const keys = Object.keys(value[0] as object);
    return [
      `${metric} on ${workload}:`,
      "",
      `| ${keys.join(" | ")} |`,
      `|${keys.map(() => "---").join("|")}|`,
      ...value.map(
        (row) => `| ${keys.map((k) => show((row as Record<string, unknown>)[k])).join(" | ")} |`,
      ),
      "",
    ];
  }
  if (value && typeof value === "object")
    return [
      `- **${workload}**: ${Object.entries(value)
        .map(([k, v]) => `${k} ${show(v)}`)
        .join(", ")}`,
    ];
  return [`- **${workload}**: ${show(value)}`];
}

function show(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (v && typeof v === "object") return JSON.stringify(v);
  return String(v);
}
