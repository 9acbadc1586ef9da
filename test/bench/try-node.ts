/**
 * Prints the Node-side metrics (M6, M7, M9, M10) as JSON for the given
 * workloads: `npx tsx test/bench/try-node.ts W5 W6 [--quick] [--only M7,M9]`.
 * M6 runs on W5 only (it edits one W5 article in a copy of the project).
 */
import { parseArgs } from "node:util";
import { measureAgreement, measureOpen, measureSearch, measureStore } from "./node-metrics";
import { type WORKLOADS, workloadProject } from "./workloads";

const { values, positionals } = parseArgs({
  options: {
    quick: { type: "boolean" },
    only: { type: "string" },
    runs: { type: "string" },
  },
  allowPositionals: true,
});
const quick = values.quick ?? false;
const only = new Set((values.only ?? "M6,M7,M9,M10").split(","));
const runs = values.runs === undefined ? undefined : Number(values.runs);
const names = (positionals.length > 0 ? positionals : ["W5", "W6"]) as (keyof typeof WORKLOADS)[];
const results: unknown[] = [];
/** Keeps a result and shows it at once on stderr (whole runs take minutes). */
const keep = (result: unknown) => {
  results.push(result);
  console.error(JSON.stringify(result));
};
for (const name of names) {
  const project = await workloadProject(name, quick);
  if (only.has("M6") && name === "W5")
    keep(await measureStore(project, { edits: quick ? 12 : 50 }));
  if (only.has("M7")) keep(await measureOpen(project, { runs: runs ?? (quick ? 1 : 5) }));
  if (only.has("M9"))
    keep(
      await measureAgreement(project, {
        runs: runs ?? (quick ? 1 : 3),
        bootstrap: quick ? 100 : 1000,
      }),
    );
  if (only.has("M10")) keep(await measureSearch(project, { repeats: quick ? 1 : 5 }));
}
console.log(JSON.stringify(results, null, 2));
