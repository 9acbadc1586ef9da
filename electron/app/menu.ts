/**
 * The native menu (File / Edit / View / Help) as a template built from plain
 * actions, so the structure and accelerators are testable without Electron.
 */
import type { MenuItemConstructorOptions } from "electron";
import type { MenuCommand, RecentProject } from "../../shared/api";

/** What the menu's items do; the main process supplies these. */
export interface MenuActions {
  openProject(): void;
  newProject(): void;
  openRecent(path: string): void;
  importArticles(): void;
  sendCommand(command: MenuCommand): void;
  openDocumentation(): void;
}

/** Builds the application menu for `platform` with the current recent projects. */
export function createMenuTemplate(
  actions: MenuActions,
  recent: RecentProject[],
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  const isMac = platform === "darwin";
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: "No Recent Projects", enabled: false }]
      : recent.map((p) => ({
          label: `${p.name} — ${p.path}`,
          click: () => actions.openRecent(p.path),
        }));

  const template: MenuItemConstructorOptions[] = [
    {
      label: "&File",
      submenu: [
        {
          label: "&New Project…",
          accelerator: "CmdOrCtrl+Shift+N",
          click: () => actions.newProject(),
        },
        { label: "&Open Project…", accelerator: "CmdOrCtrl+O", click: () => actions.openProject() },
        { label: "Open &Recent", submenu: recentItems },
        { type: "separator" },
        {
          label: "&Import Articles…",
          accelerator: "CmdOrCtrl+I",
          click: () => actions.importArticles(),
        },
        {
          label: "&Export Dataset…",
          accelerator: "CmdOrCtrl+Shift+E",
          click: () => actions.sendCommand("export-dataset"),
        },
        { type: "separator" },
        {
          label: "&Find Article…",
          accelerator: "CmdOrCtrl+P",
          click: () => actions.sendCommand("find-article"),
        },
        { type: "separator" },
        isMac ? { role: "close" } : { role: "quit", accelerator: "CmdOrCtrl+Q" },
      ],
    },
    {
      label: "&Edit",
      submenu: [
        { role: "undo" },
        { role: "redo" },
        { type: "separator" },
        { role: "cut" },
        { role: "copy" },
        { role: "paste" },
        { role: "selectAll" },
      ],
    },
    {
      label: "&View",
      submenu: [
        {
          label: "&Next Article",
          accelerator: "Alt+Down",
          click: () => actions.sendCommand("next-article"),
        },
        {
          label: "&Previous Article",
          accelerator: "Alt+Up",
          click: () => actions.sendCommand("previous-article"),
        },
        {
          label: "Toggle Annotation &Pane",
          accelerator: "CmdOrCtrl+\\",
          click: () => actions.sendCommand("toggle-pane"),
        },
        {
          label: "&Agreement and Adjudication",
          accelerator: "CmdOrCtrl+Shift+G",
          click: () => actions.sendCommand("show-agreement"),
        },
        { type: "separator" },
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
        { role: "toggleDevTools" },
      ],
    },
    {
      label: "&Help",
      submenu: [
        {
          label: "&Keyboard Shortcuts",
          accelerator: "F1",
          click: () => actions.sendCommand("show-shortcuts"),
        },
        { label: "Tagwerk &Documentation", click: () => actions.openDocumentation() },
        { type: "separator" },
        { label: "&About Tagwerk", click: () => actions.sendCommand("show-about") },
      ],
    },
  ];
  if (isMac) template.unshift({ role: "appMenu" });
  return template;
}
