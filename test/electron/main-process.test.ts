/**
 * The built Electron main process (out/main/main.js), started under plain Node
 * with a recording stand-in for the `electron` module: no Electron binary can
 * run here, so this is how the wiring is checked — secure window, IPC handler
 * table with sender checks, CSP, navigation rules, menu, recent projects.
 */
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { apiMethods, channelFor } from "../../shared/api";
import { ensureBuilt } from "../support/built-app";
import { type FakeBrowserWindow, recorded } from "../support/fake-electron";
import { REPO } from "../support/serve-process";

vi.mock("electron", () => import("../support/fake-electron"));

const indexHtml = path.join(REPO, "out", "renderer", "index.html");
const trusted = { senderFrame: { url: `file://${indexHtml}`, parent: null } };
let window: FakeBrowserWindow;

beforeAll(async () => {
  ensureBuilt();
  recorded.userData = await mkdtemp(path.join(os.tmpdir(), "tagwerk-userdata-"));
  process.argv.push("--project", path.join(REPO, "annotations"));
  await import(/* @vite-ignore */ path.join(REPO, "out", "main", "main.js"));
  await vi.waitFor(() => expect(recorded.windows.length).toBe(1));
  window = recorded.windows[0] as FakeBrowserWindow;
}, 120_000);

describe("the Electron main process", () => {
  it("opens one sandboxed, context-isolated window with the built preload and renderer", () => {
    expect(recorded.sandboxEnabled).toBe(true);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(prefs.preload).toBe(path.join(REPO, "out", "preload", "preload.cjs"));
    expect(existsSync(prefs.preload as string)).toBe(true);
    expect(window.loaded).toBe(indexHtml);
    expect(existsSync(indexHtml)).toBe(true);
  });

  it("registers one IPC handler per API method, and nothing else", () => {
    expect([...recorded.ipc.keys()].sort()).toEqual(apiMethods.map((m) => channelFor(m)).sort());
  });

  it("answers the app's own page with the project given by --project", async () => {
    const handler = recorded.ipc.get(channelFor("getProject"));
    const result = (await handler?.(trusted, undefined)) as {
      ok: boolean;
      value: { name: string };
    };
    expect(result.ok).toBe(true);
    expect(result.value.name).toBe("Ukraine-Verhandlungen Dezember 2025");
  });

  it("validates arguments and refuses other frames", async () => {
    const getArticle = recorded.ipc.get(channelFor("getArticle"));
    const bad = (await getArticle?.(trusted, { articleId: "../../etc/passwd" })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    const iframe = { senderFrame: { url: `file://${indexHtml}`, parent: {} } };
    expect(() => getArticle?.(iframe, { articleId: "x" })).toThrow(/untrusted frame/);
    const web = { senderFrame: { url: "https://evil.example/", parent: null } };
    expect(() => getArticle?.(web, { articleId: "x" })).toThrow(/untrusted frame/);
  });

  it("denies navigation and new windows, and sends only http(s) links to the system browser", () => {
    let prevented = false;
    window.webContents.emit(
      "will-navigate",
      { preventDefault: () => (prevented = true) },
      "https://evil.example/",
    );
    expect(prevented).toBe(true);
    const open = window.webContents.windowOpenHandler;
    expect(open?.({ url: "https://example.org/artikel" })).toEqual({ action: "deny" });
    expect(open?.({ url: "file:///etc/passwd" })).toEqual({ action: "deny" });
    expect(open?.({ url: "javascript:alert(1)" })).toEqual({ action: "deny" });
    expect(recorded.externalLinks).toEqual(["https://example.org/artikel"]);
  });

  it("adds the CSP header and refuses every permission request", () => {
    let headers: Record<string, string[]> = {};
    recorded.headersHook?.({ responseHeaders: {} }, (r) => {
      headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders;
    });
    expect(headers["Content-Security-Policy"]?.[0]).toContain("script-src 'self'");
    let granted = true;
    recorded.permissionHandler?.({}, "media", (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it("has a File / Edit / View / Help menu listing the recent project", () => {
    const labels = (recorded.menuTemplate as { label?: string }[]).map((m) =>
      m.label?.replace("&", ""),
    );
    expect(labels).toEqual(expect.arrayContaining(["File", "Edit", "View", "Help"]));
    const file = (
      recorded.menuTemplate as {
        label?: string;
        submenu?: { label?: string; submenu?: { label?: string }[] }[];
      }[]
    )[labels.indexOf("File")];
    const recent = file?.submenu?.find((i) => i.label?.includes("Recent"));
    expect(recent?.submenu?.[0]?.label).toContain("Ukraine-Verhandlungen Dezember 2025");
  });
});
