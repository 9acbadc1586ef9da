/**
 * `tagwerk agreement`: the agreement report on the command line, as a table,
 * JSON (every coefficient with its interval and counts) or CSV.
 */
import { parseArgs } from "node:util";
import { agreementReport } from "../../shared/agreement/report";
import type { AgreementReport, Estimate } from "../../shared/agreement/report-types";
import { LossReport } from "../../shared/dataset/loss-report";
import { readDataset } from "../dataset/read-dataset";
import { readProjectHead } from "../project/project-folder";
import { list, UsageError } from "./dataset-commands";

/** Help text of `tagwerk agreement`. */
export const AGREEMENT_USAGE = `  tagwerk agreement PROJECT [--coders A,B] [--labels L1,L2] [--json | --csv]
                   [--seed N] [--bootstrap N]
      Inter-coder agreement on the articles at least two coders coded: spans
      (Krippendorff's unitized alpha per label, F1 exact and overlap, alpha on
      matched labels), stance polarity (ordinal alpha) and target, document codes
      (percent, Cohen's and Fleiss' kappa, alpha), per coder pair and article,
      with seeded bootstrap 95% intervals (--bootstrap 0 turns them off).`;

function number(value: number | null): string {
  return value === null ? "–" : value.toFixed(3);
}

/** `0.812 [0.744, 0.861]`, or `–` when undefined. */
export function formatEstimate(e: Estimate | null): string {
  if (!e || e.value === null) return "–";
  return e.low === null || e.high === null
    ? number(e.value)
    : `${number(e.value)} [${number(e.low)}, ${number(e.high)}]`;
}

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The report as the plain-text tables the CLI prints. */
export function formatAgreement(report: AgreementReport): string {
  const out: string[] = [];
  out.push(
    `Agreement of ${report.coders.join(", ")} on ${report.articles} double-coded article(s); 95% bootstrap intervals over articles (${report.bootstrap} resamples, seed ${report.seed}).`,
    "",
    table([
      ["spans", "value [95% CI]"],
      ["F1 exact", formatEstimate(report.spans.f1Exact)],
      ["F1 overlap", formatEstimate(report.spans.f1Overlap)],
      ["alpha (labels of aligned spans)", formatEstimate(report.spans.labelAlpha)],
      ["percent agreement (aligned spans)", formatEstimate(report.spans.percent)],
      ["stance polarity alpha (ordinal)", formatEstimate(report.stance.polarity)],
      ["stance target alpha (nominal)", formatEstimate(report.stance.target)],
    ]),
    "",
    table([
      ["label", "spans", "alpha_U", "F1 exact", "F1 overlap"],
      ...report.perLabel.map((l) => [
        l.label,
        String(l.spans),
        formatEstimate(l.alphaU),
        formatEstimate(l.f1Exact),
        formatEstimate(l.f1Overlap),
      ]),
    ]),
  );
  if (report.codes.length > 0)
    out.push(
      "",
      table([
        ["document code", "units", "percent", "Cohen's kappa", "Fleiss' kappa", "alpha"],
        ...report.codes.map((c) => [
          c.variable,
          String(c.units),
          formatEstimate(c.percent),
          formatEstimate(c.cohen),
          formatEstimate(c.fleiss),
          `${formatEstimate(c.alpha)} (${c.level})`,
        ]),
      ]),
    );
  if (report.pairs.length > 0)
    out.push(
      "",
      table([
        ["coders", "articles", "F1 exact", "F1 overlap", "kappa (labels)"],
        ...report.pairs.map((p) => [
          `${p.a} × ${p.b}`,
          String(p.articles),
          formatEstimate(p.f1Exact),
          formatEstimate(p.f1Overlap),
          formatEstimate(p.labelKappa),
        ]),
      ]),
    );
  return `${out.join("\n")}\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The report as one CSV table: section, name, coefficient, value, low, high, n. */
export function agreementCsv(report: AgreementReport): string {
  const rows: string[][] = [["section", "name", "coefficient", "value", "low", "high", "n"]];
  const add = (
    section: string,
    name: string,
    coefficient: string,
    e: Estimate | null,
    n: number,
  ) => {
    if (!e) return;
    rows.push([
      section,
      name,
      coefficient,
      String(e.value ?? ""),
      String(e.low ?? ""),
      String(e.high ?? ""),
      String(n),
    ]);
  };
  add("spans", "all", "f1_exact", report.spans.f1Exact, report.articles);
  add("spans", "all", "f1_overlap", report.spans.f1Overlap, report.articles);
  add("spans", "all", "alpha_labels", report.spans.labelAlpha, report.articles);
  add("spans", "all", "percent_labels", report.spans.percent, report.articles);
  add("stance", "polarity", "alpha_ordinal", report.stance.polarity, report.stance.units);
  add("stance", "target", "alpha_nominal", report.stance.target, report.stance.units);
  for (const l of report.perLabel) {
    add("label", l.label, "alpha_u", l.alphaU, l.spans);
    add("label", l.label, "f1_exact", l.f1Exact, l.spans);
    add("label", l.label, "f1_overlap", l.f1Overlap, l.spans);
  }
  for (const c of report.codes) {
    add("code", c.variable, "percent", c.percent, c.units);
    add("code", c.variable, "cohen_kappa", c.cohen, c.units);
    add("code", c.variable, "fleiss_kappa", c.fleiss, c.units);
    add("code", c.variable, `alpha_${c.level}`, c.alpha, c.units);
  }
  for (const p of report.pairs) {
    add("pair", `${p.a}|${p.b}`, "f1_exact", p.f1Exact, p.articles);
    add("pair", `${p.a}|${p.b}`, "f1_overlap", p.f1Overlap, p.articles);
    add("pair", `${p.a}|${p.b}`, "kappa_labels", p.labelKappa, p.articles);
  }
  for (const a of report.perArticle)
    rows.push([
      "article",
      a.id,
      "f1_exact",
      String(a.f1Exact ?? ""),
      "",
      "",
      String(a.disagreements),
    ]);
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** `tagwerk agreement`. */
export async function agreementCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      coders: { type: "string" },
      labels: { type: "string" },
      json: { type: "boolean" },
      csv: { type: "boolean" },
      seed: { type: "string" },
      bootstrap: { type: "string" },
    },
    allowPositionals: true,
  });
  const [project] = positionals;
  if (project === undefined || positionals.length > 1)
    throw new UsageError("agreement takes one project folder: tagwerk agreement PROJECT");
  if (values.json && values.csv) throw new UsageError("--json and --csv exclude each other");
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  const bootstrap = values.bootstrap === undefined ? 1000 : Number(values.bootstrap);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
  if (!Number.isInteger(bootstrap) || bootstrap < 0)
    throw new UsageError(`--bootstrap must be 0 or more, not "${values.bootstrap}"`);
  const coders = list(values.coders);
  if (coders && coders.length < 2) throw new UsageError("--coders needs at least two coders");
  const labels = list(values.labels);
  // Only the folder's checks (a folder, a project): readDataset reads the articles.
  const root = (await readProjectHead(project)).root;
  const losses = new LossReport("agreement");
  const dataset = await readDataset(root, {}, losses);
  for (const item of losses.toData().items)
    for (const example of item.examples) console.error(`tagwerk: warning: ${example}`);
  const known = new Set(dataset.documents.map((d) => d.annotator));
  for (const coder of coders ?? [])
    if (!known.has(coder))
      throw new UsageError(`coder "${coder}" has no annotations in this project`);
  for (const label of labels ?? [])
    if (!dataset.codebook.labels.some((l) => l.id === label))
      throw new UsageError(`label "${label}" is not in the codebook`);
  const report = agreementReport(dataset.documents, dataset.codebook, {
    ...(coders ? { coders } : {}),
    ...(labels ? { labels } : {}),
    seed,
    bootstrap,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (values.csv) process.stdout.write(agreementCsv(report));
  else process.stdout.write(formatAgreement(report));
  if (report.articles === 0)
    console.error("tagwerk: no article was coded by two of these coders yet");
  return 0;
}
