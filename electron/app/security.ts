/**
 * The desktop window's security rules as plain functions, so that they can be
 * tested under Node without an Electron binary.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The `webPreferences` every Tagwerk window uses, written out explicitly. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Where the renderer is loaded from: the dev server in development, else the built file. */
export type RendererLocation = { kind: "dev-server"; url: string } | { kind: "file"; path: string };

/**
 * True when an IPC message comes from the app's own page: the main frame (not
 * a sub-frame) showing our `index.html` or the dev server's origin.
 */
export function isTrustedSender(
  frame: { url: string; parent: unknown } | null | undefined,
  renderer: RendererLocation,
): boolean {
  if (!frame || frame.parent) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (renderer.kind === "dev-server") return url.origin === new URL(renderer.url).origin;
  if (url.protocol !== "file:" || url.host !== "") return false;
  try {
    return path.resolve(fileURLToPath(url)) === path.resolve(renderer.path);
  } catch {
    return false;
  }
}

/** True for the only links Tagwerk hands to the system browser: http and https. */
export function isExternalWebLink(link: string): boolean {
  try {
    const { protocol } = new URL(link);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
