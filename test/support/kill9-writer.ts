/**
 * Child process for the crash test: adds annotations to one coder's file as
 * fast as it can (single edits and concurrent bursts) and prints `ack N` for
 * each edit once `updateCoding` has resolved, i.e. once Tagwerk would tell the
 * user it is saved. The parent kills it with SIGKILL at a random moment.
 * Usage: node --import tsx test/support/kill9-writer.ts PROJECT ARTICLE CODER RUN
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ProjectStore } from "../../electron/project/project-store";
import { anchorContext } from "../../shared/anchoring";

const [project = "", article = "", coder = "", run = "0"] = process.argv.slice(2);
const store = await ProjectStore.open(project);
const text = await readFile(path.join(project, "articles", `${article}.txt`), "utf8");
const chars = [...text];
let n = 0;

function edit(): Promise<void> {
  const id = ++n;
  const start = (id * 37) % Math.max(1, chars.length - 20);
  const end = start + 1 + (id % 15);
  return store
    .updateCoding(article, coder, (file) => {
      file.status = "in-progress";
      file.annotations.push({
        id: `${coder}-r${run}k${id}`,
        kind: "entity",
        label: "PER",
        start,
        end,
        ...anchorContext(text, start, end),
      });
    })
    .then(() => {
      process.stdout.write(`ack ${id}\n`);
    });
}

for (;;) {
  if (n % 5 === 0) await Promise.all([edit(), edit(), edit(), edit()]);
  else await edit();
}
