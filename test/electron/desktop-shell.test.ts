import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { MenuItemConstructorOptions } from "electron";
import { describe, expect, it } from "vitest";
import { createMenuTemplate, type MenuActions } from "../../electron/app/menu";
import {
  isExternalWebLink,
  isTrustedSender,
  type RendererLocation,
  secureWebPreferences,
} from "../../electron/app/security";
import { DEFAULT_WINDOW, fitWindowState, MIN_WINDOW } from "../../electron/app/window-state";
import type { MenuCommand, RecentProject } from "../../shared/api";
import { REPO } from "../support/temp-project";

describe("window security", () => {
  it("uses an isolated, sandboxed renderer without Node", () => {
    const prefs = secureWebPreferences("/app/out/preload/preload.cjs");
    expect(prefs).toMatchObject({
      preload: "/app/out/preload/preload.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  const indexHtml = path.resolve("/app/out/renderer/index.html");
  const built: RendererLocation = { kind: "file", path: indexHtml };
  const indexUrl = pathToFileURL(indexHtml).href;

  it("trusts IPC only from the main frame showing the app's own index.html", () => {
    expect(isTrustedSender({ url: indexUrl, parent: null }, built)).toBe(true);
    expect(isTrustedSender({ url: `${indexUrl}#/article/x`, parent: null }, built)).toBe(true);

    const refused: { url: string; parent: unknown }[] = [
      { url: indexUrl, parent: { url: indexUrl } },
      { url: pathToFileURL(path.resolve("/app/out/renderer/other.html")).href, parent: null },
      { url: pathToFileURL(path.resolve("/home/user/Downloads/index.html")).href, parent: null },
      { url: "http://127.0.0.1:7410/index.html", parent: null },
      { url: "https://evil.example/", parent: null },
      { url: "not a url", parent: null },
      { url: "", parent: null },
      { url: "about:blank", parent: null },
    ];
    for (const frame of refused) expect(isTrustedSender(frame, built), frame.url).toBe(false);
    expect(isTrustedSender(null, built)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
  });

  it("trusts only the dev server's own origin in development", () => {
    const dev: RendererLocation = { kind: "dev-server", url: "http://localhost:5173/" };
    expect(isTrustedSender({ url: "http://localhost:5173/", parent: null }, dev)).toBe(true);
    expect(isTrustedSender({ url: "http://localhost:5173/src/x", parent: null }, dev)).toBe(true);
    for (const url of [
      "http://localhost:5174/",
      "https://localhost:5173/",
      "http://evil.example/",
      indexUrl,
    ]) {
      expect(isTrustedSender({ url, parent: null }, dev), url).toBe(false);
    }
    expect(isTrustedSender({ url: "http://localhost:5173/", parent: {} }, dev)).toBe(false);
  });

  it("hands only http and https links to the system browser", () => {
    expect(isExternalWebLink("https://example.org/article")).toBe(true);
    expect(isExternalWebLink("http://example.org/")).toBe(true);
    for (const link of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "data:text/html,<script>x</script>",
      "mailto:a@example.org",
      "ms-settings:",
      "not a link",
      "",
    ]) {
      expect(isExternalWebLink(link), link).toBe(false);
    }
  });
});

describe("the native menu", () => {
  const recent: RecentProject[] = [
    { path: "/work/ukraine", name: "Ukraine", openedAt: "2026-01-02T10:00:00.000Z" },
    { path: "/work/gaza", name: "Gaza", openedAt: "2026-01-01T10:00:00.000Z" },
  ];

  function record() {
    const calls: string[] = [];
    const actions: MenuActions = {
      openProject: () => calls.push("openProject"),
      newProject: () => calls.push("newProject"),
      openRecent: (folder) => calls.push(`openRecent ${folder}`),
      importArticles: () => calls.push("importArticles"),
      sendCommand: (command: MenuCommand) => calls.push(`command ${command}`),
      openDocumentation: () => calls.push("openDocumentation"),
    };
    return { calls, actions };
  }

  const plain = (label: string | undefined) => (label ?? "").replaceAll("&", "");
  function submenu(template: MenuItemConstructorOptions[], label: string) {
    const menu = template.find((item) => plain(item.label) === label);
    expect(menu, label).toBeDefined();
    return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
  }
  function item(items: MenuItemConstructorOptions[], label: string) {
    const found = items.find((i) => plain(i.label) === label);
    expect(found, label).toBeDefined();
    return found ?? {};
  }
  const click = (i: MenuItemConstructorOptions) => (i.click as unknown as () => void)();

  it("has File, Edit, View and Help, with the app menu first on macOS only", () => {
    const { actions } = record();
    const linux = createMenuTemplate(actions, recent, "linux");
    expect(linux.map((m) => plain(m.label))).toEqual(["File", "Edit", "View", "Help"]);
    const mac = createMenuTemplate(actions, recent, "darwin");
    expect(mac[0]?.role).toBe("appMenu");
    expect(mac.slice(1).map((m) => plain(m.label))).toEqual(["File", "Edit", "View", "Help"]);
  });

  it("opens projects with Ctrl/Cmd+O and from the recent list, and imports articles", () => {
    const { calls, actions } = record();
    const file = submenu(createMenuTemplate(actions, recent, "linux"), "File");
    const open = item(file, "Open Project…");
    expect(open.accelerator).toBe("CmdOrCtrl+O");
    click(open);

    const recentItems = (item(file, "Open Recent").submenu ?? []) as MenuItemConstructorOptions[];
    expect(recentItems.map((i) => i.label)).toEqual([
      "Ukraine — /work/ukraine",
      "Gaza — /work/gaza",
    ]);
    for (const i of recentItems) click(i);
    const importItem = item(file, "Import Articles…");
    expect(importItem.accelerator).toBe("CmdOrCtrl+I");
    click(importItem);
    const create = item(file, "New Project…");
    expect(create.accelerator).toBe("CmdOrCtrl+Shift+N");
    click(create);
    expect(calls).toEqual([
      "openProject",
      "openRecent /work/ukraine",
      "openRecent /work/gaza",
      "importArticles",
      "newProject",
    ]);
  });

  it("shows a disabled placeholder when there are no recent projects", () => {
    const file = submenu(createMenuTemplate(record().actions, [], "linux"), "File");
    const recentItems = (item(file, "Open Recent").submenu ?? []) as MenuItemConstructorOptions[];
    expect(recentItems).toEqual([{ label: "No Recent Projects", enabled: false }]);
  });

  it("moves between articles with Alt+Down and Alt+Up and sends the commands", () => {
    const { calls, actions } = record();
    const view = submenu(createMenuTemplate(actions, recent, "linux"), "View");
    const next = item(view, "Next Article");
    const previous = item(view, "Previous Article");
    expect(next.accelerator).toBe("Alt+Down");
    expect(previous.accelerator).toBe("Alt+Up");
    click(next);
    click(previous);
    click(
      item(submenu(createMenuTemplate(actions, recent, "linux"), "Help"), "Keyboard Shortcuts"),
    );
    expect(calls).toEqual([
      "command next-article",
      "command previous-article",
      "command show-shortcuts",
    ]);
  });
});

describe("restoring the window", () => {
  const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
  const external = { x: 1920, y: 0, width: 2560, height: 1440 };

  it("opens a new machine's first window at the default size", () => {
    expect(fitWindowState(undefined, [laptop])).toEqual(DEFAULT_WINDOW);
  });

  it("keeps a saved window that is still on a screen", () => {
    const saved = { x: 2200, y: 100, width: 1400, height: 900, maximized: true };
    expect(fitWindowState(saved, [laptop, external])).toEqual(saved);
  });

  it("forgets the position of a window whose monitor is gone, but keeps its size", () => {
    const saved = { x: 2200, y: 100, width: 1400, height: 900, maximized: false };
    expect(fitWindowState(saved, [laptop])).toEqual({ width: 1400, height: 900, maximized: false });
    const barelyVisible = { x: 1880, y: 100, width: 1400, height: 900, maximized: false };
    expect(fitWindowState(barelyVisible, [laptop]).x).toBeUndefined();
  });

  it("never opens smaller than the layout needs", () => {
    const tiny = fitWindowState({ x: 10, y: 10, width: 300, height: 200, maximized: false }, [
      laptop,
    ]);
    expect(tiny.width).toBe(MIN_WINDOW.width);
    expect(tiny.height).toBe(MIN_WINDOW.height);
    expect(tiny.x).toBe(10);
  });
});

describe("main.ts keeps the security wiring", () => {
  it("uses the secure preferences, checks IPC senders and blocks navigation and new windows", async () => {
    const main = await readFile(path.join(REPO, "electron/app/main.ts"), "utf8");
    expect(main).toMatch(/new BrowserWindow\(\{[\s\S]*webPreferences:\s*secureWebPreferences\(/);
    expect(main).toMatch(/ipcMain\.handle\([\s\S]*?isTrustedSender\(event\.senderFrame/);
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]*?action:\s*"deny"/);
    expect(main).toMatch(/"will-navigate",\s*\(event\)\s*=>\s*event\.preventDefault\(\)/);
    expect(main).toMatch(/app\.enableSandbox\(\)/);
  });
});
