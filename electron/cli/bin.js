#!/usr/bin/env node
// The `tagwerk` command: runs the bundled CLI that `npm run build` writes to out/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../../out/main/cli.js", import.meta.url);
if (!existsSync(cli)) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  console.error(`tagwerk: the app is not built yet; run \`npm run build\` in ${root}`);
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
