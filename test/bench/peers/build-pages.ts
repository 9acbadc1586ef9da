/**
 * Builds the peer pages once into `.cache/bench/peers/` (esbuild bundles of
 * `pages/*.ts` plus one HTML file per tool) and skips the work when the
 * sources, the peers' versions and esbuild are unchanged.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, version as esbuildVersion } from "esbuild";

/** The repository root. */
const REPO = path.resolve(import.meta.dirname, "..", "..", "..");

/** Where the built pages go (inside the git-ignored `.cache/`). */
export const PEER_BUILD_DIR = path.join(REPO, ".cache", "bench", "peers");

/** Label Studio 1.4.0's UMD build (main.js, main.css), served as is. */
export const LABEL_STUDIO_STATIC = path.join(
  REPO,
  "node_modules",
  "@heartexlabs",
  "label-studio",
  "build",
  "static",
);

/** The peer tools that have a page. */
export type PeerTool = "floor" | "text-annotator" | "label-studio";

/** Every peer tool, in the order they are measured. */
export const PEER_TOOLS: PeerTool[] = ["floor", "text-annotator", "label-studio"];

const PAGES_DIR = path.join(import.meta.dirname, "pages");

/** The same reading layout for every page (Label Studio brings its own around the text). */
const BASE_CSS =
  "html,body{margin:0}body{font:16px/1.5 'DejaVu Sans',sans-serif;color:#222}" +
  "#doc{max-width:46em;margin:0 auto;padding:1em 1.5em}#doc p{margin:0 0 .8em}";

function page(tool: PeerTool, head: string, scripts: string[]): string {
  return [
    "<!doctype html>",
    '<html lang="de"><head><meta charset="utf-8">',
    `<title>${tool} (Tagwerk benchmark)</title>`,
    `<style>${BASE_CSS}</style>`,
    head,
    '</head><body><main id="doc"></main>',
    ...scripts.map((src) => `<script src="${src}"></script>`),
    "</body></html>",
  ].join("\n");
}

const HTML: Record<PeerTool, string> = {
  floor: page("floor", "", ["/assets/floor.js"]),
  "text-annotator": page(
    "text-annotator",
    '<link rel="stylesheet" href="/assets/text-annotator.css">',
    ["/assets/text-annotator.js"],
  ),
  "label-studio": page("label-studio", '<link rel="stylesheet" href="/ls/css/main.css">', [
    "/ls/js/main.js",
    "/assets/label-studio.js",
  ]),
};

async function packageVersion(name: string): Promise<string> {
  const file = path.join(REPO, "node_modules", name, "package.json");
  return (JSON.parse(await readFile(file, "utf8")) as { version: string }).version;
}

/** A hash of everything the build depends on. */
async function stamp(): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`esbuild ${esbuildVersion}\n`);
  for (const name of ["@recogito/text-annotator", "@annotorious/core", "@heartexlabs/label-studio"])
    hash.update(`${name} ${await packageVersion(name)}\n`);
  for (const file of (await readdir(PAGES_DIR)).sort()) {
    hash.update(`${file}\n`);
    hash.update(await readFile(path.join(PAGES_DIR, file)));
  }
  hash.update(JSON.stringify(HTML));
  return hash.digest("hex");
}

/**
 * Bundles the page scripts with esbuild and writes the HTML pages into
 * {@link PEER_BUILD_DIR}; returns that folder. Cheap (hashing a few files)
 * when the previous build is still current.
 */
export async function buildPeerPages(): Promise<string> {
  const marker = path.join(PEER_BUILD_DIR, ".stamp");
  const current = await stamp();
  if (existsSync(marker) && (await readFile(marker, "utf8")) === current) return PEER_BUILD_DIR;
  await mkdir(PEER_BUILD_DIR, { recursive: true });
  await build({
    entryPoints: PEER_TOOLS.map((tool) => path.join(PAGES_DIR, `${tool}.ts`)),
    outdir: PEER_BUILD_DIR,
    bundle: true,
    format: "iife",
    target: "chrome120",
    minify: true,
    sourcemap: true,
    legalComments: "none",
    logLevel: "error",
    absWorkingDir: REPO,
  });
  for (const tool of PEER_TOOLS)
    await writeFile(path.join(PEER_BUILD_DIR, `${tool}.html`), HTML[tool]);
  await writeFile(marker, current);
  return PEER_BUILD_DIR;
}
