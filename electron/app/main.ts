/**
 * The Electron main process: one window, the native menu, and the handler
 * table behind IPC. Everything it does beyond wiring lives in plain modules
 * (electron/api, electron/project, electron/settings) that the CLI shares.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Menu,
  nativeTheme,
  screen,
  session,
  shell,
} from "electron";
import packageJson from "../../package.json";
import { apiMethods, channelFor, EVENT_CHANNEL, type WorkbenchEvent } from "../../shared/api";
import { CONTENT_SECURITY_POLICY } from "../../shared/csp";
import { IMPORTABLE_EXTENSIONS } from "../../shared/import-formats";
import { callApi, createWorkbenchHandlers } from "../api/workbench-handlers";
import { type AppSettings, openAppSettings } from "../settings/app-settings";
import { createMenuTemplate } from "./menu";
import {
  isExternalWebLink,
  isTrustedSender,
  type RendererLocation,
  secureWebPreferences,
} from "./security";
import { fitWindowState, MIN_WINDOW } from "./window-state";

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const renderer: RendererLocation = devServerUrl
  ? { kind: "dev-server", url: devServerUrl }
  : { kind: "file", path: path.join(here, "..", "renderer", "index.html") };
const DOCUMENTATION_URL = "https://github.com/tagwerk/tagwerk#readme";

let mainWindow: BrowserWindow | null = null;
/** The last window-state write; quitting waits for it so the size survives. */
let pendingStateSave: Promise<void> = Promise.resolve();

function send(event: WorkbenchEvent): void {
  mainWindow?.webContents.send(EVENT_CHANNEL, event);
}

function projectArgument(argv: string[]): string | undefined {
  const index = argv.indexOf("--project");
  return index >= 0 ? argv[index + 1] : undefined;
}

async function chooseFolder(
  title = "Open Tagwerk Project",
  buttonLabel = "Open Project",
): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title,
    buttonLabel,
    properties: ["openDirectory", "createDirectory"],
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function chooseFiles(): Promise<string[] | null> {
  const options: Electron.OpenDialogOptions = {
    title: "Import Articles",
    buttonLabel: "Import",
    properties: ["openFile", "multiSelections"],
    filters: [
      { name: "Articles and corpora", extensions: IMPORTABLE_EXTENSIONS.map((e) => e.slice(1)) },
      { name: "All files", extensions: ["*"] },
    ],
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : result.filePaths;
}

function installMenu(
  settings: AppSettings,
  handlers: ReturnType<typeof createWorkbenchHandlers>,
): void {
  const openAndAnnounce = async (
    result: Promise<Awaited<ReturnType<typeof handlers.openProject>>>,
  ) => {
    const opened = await result;
    if (opened.ok) send({ type: "project-opened", project: opened.value });
    else if (opened.error.code !== "cancelled")
      dialog.showErrorBox("Cannot open project", opened.error.message);
  };
  const template = createMenuTemplate(
    {
      openProject: () => void openAndAnnounce(handlers.chooseProject()),
      newProject: () =>
        void chooseFolder("New Tagwerk Project", "Create Project").then((folder) => {
          if (folder) void openAndAnnounce(handlers.createProject({ path: folder }));
        }),
      openRecent: (folder) => void openAndAnnounce(handlers.openProject({ path: folder })),
      importArticles: () =>
        void handlers.chooseAndImportArticles().then((result) => {
          if (result.ok) send({ type: "articles-imported", result: result.value });
          else if (result.error.code !== "cancelled")
            dialog.showErrorBox("Cannot import", result.error.message);
        }),
      sendCommand: (command) => send({ type: "menu", command }),
      openDocumentation: () => void shell.openExternal(DOCUMENTATION_URL),
    },
    settings.recentProjects(),
    process.platform,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        "Content-Security-Policy": [CONTENT_SECURITY_POLICY],
      },
    });
  });
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-navigate", (event) => event.preventDefault());
    contents.on("will-redirect", (event) => event.preventDefault());
    contents.on("will-attach-webview", (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebLink(url)) void shell.openExternal(url);
      return { action: "deny" };
    });
  });
}

function createWindow(settings: AppSettings): BrowserWindow {
  const state = fitWindowState(
    settings.windowState(),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: "Tagwerk",
    backgroundColor: nativeTheme.shouldUseDarkColors ? "#1b1c1f" : "#fbfbfa",
    webPreferences: secureWebPreferences(path.join(here, "..", "preload", "preload.cjs")),
  });
  if (state.maximized) window.maximize();
  window.once("ready-to-show", () => window.show());

  let saveTimer: NodeJS.Timeout | undefined;
  const saveState = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (window.isDestroyed()) return;
      const bounds = window.getNormalBounds();
      pendingStateSave = settings.saveWindowState({ ...bounds, maximized: window.isMaximized() });
    }, 400);
  };
  window.on("resize", saveState);
  window.on("move", saveState);
  window.on("close", () => {
    clearTimeout(saveTimer);
    const bounds = window.getNormalBounds();
    pendingStateSave = settings.saveWindowState({ ...bounds, maximized: window.isMaximized() });
  });

  if (renderer.kind === "dev-server") void window.loadURL(renderer.url);
  else void window.loadFile(renderer.path);
  return window;
}

async function start(): Promise<void> {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const settings = await openAppSettings(app.getPath("userData"));
  const handlers = createWorkbenchHandlers({
    mode: "desktop",
    version: packageJson.version,
    settings,
    chooseFolder: () => chooseFolder(),
    chooseFiles,
    openFolder: async (folder) => {
      const problem = await shell.openPath(folder);
      if (problem) throw new Error(problem);
    },
    onProjectOpened: () => installMenu(settings, handlers),
  });

  for (const method of apiMethods) {
    ipcMain.handle(channelFor(method), (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, renderer)) {
        throw new Error(`Refused ${method} from an untrusted frame`);
      }
      return callApi(handlers, method, input);
    });
  }

  hardenSessions();
  installMenu(settings, handlers);

  const requested = projectArgument(process.argv) ?? settings.recentProjects()[0]?.path;
  if (requested) {
    const opened = await handlers.openProject({ path: path.resolve(requested) });
    if (!opened.ok) console.error(`Tagwerk: ${opened.error.message}`);
  }
  if (settings.warning) console.error(`Tagwerk: ${settings.warning}`);

  mainWindow = createWindow(settings);
  app.on("second-instance", () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(settings);
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") void pendingStateSave.finally(() => app.quit());
  });
}

void start();
