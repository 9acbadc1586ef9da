import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import type { Plugin } from "vite";
import { CONTENT_SECURITY_POLICY_META } from "./shared/csp";

const root = dirname(fileURLToPath(import.meta.url));

/** Writes the one Content-Security-Policy (shared/csp.ts) into index.html as its first <meta>. */
function contentSecurityPolicy(): Plugin {
  return {
    name: "tagwerk-csp",
    transformIndexHtml: () => [
      {
        tag: "meta",
        attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY_META },
        injectTo: "head-prepend",
      },
    ],
  };
}

// main: the Electron main process and the plain-Node CLI (`tagwerk`), ESM.
// preload: CommonJS, because sandboxed preloads cannot be ES modules; everything bundled.
// renderer: the React app, minified; also what `tagwerk serve` hands to a browser.
export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(root, "electron/app/main.ts"),
          cli: resolve(root, "electron/cli/tagwerk.ts"),
          // The dataset export's worker threads (electron/dataset/worker-script.ts finds it).
          "export-worker": resolve(root, "electron/dataset/export-worker.ts"),
        },
        output: { format: "es", entryFileNames: "[name].js" },
      },
    },
  },
  preload: {
    build: {
      outDir: "out/preload",
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(root, "electron/app/preload.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(root, "renderer"),
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: resolve(root, "out/renderer"),
      minify: true,
      rollupOptions: { input: resolve(root, "renderer/index.html") },
    },
  },
});
