/**
 * A recording stand-in for the `electron` module, so that the built main
 * process (out/main/main.js) can be started under plain Node where no Electron
 * binary exists. It records what main.js asks of Electron — windows, IPC
 * handlers, menus, session hooks — for the test to inspect and drive.
 */
import { EventEmitter } from "node:events";

type Handler = (event: unknown, input: unknown) => unknown;

/** Everything main.js did through the fake. */
export const recorded = {
  sandboxEnabled: false,
  windows: [] as FakeBrowserWindow[],
  ipc: new Map<string, Handler>(),
  menuTemplate: [] as unknown[],
  headersHook: null as
    | null
    | ((details: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void),
  permissionHandler: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  externalLinks: [] as string[],
  userData: "",
};

class FakeWebContents extends EventEmitter {
  sent: [string, unknown][] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

/** A window that remembers its options and what it loaded. */
export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows() {
    return recorded.windows;
  }
  webContents = new FakeWebContents();
  loaded: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    app.emit("web-contents-created", {}, this.webContents);
  }
  loadFile(file: string) {
    this.loaded = file;
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  maximize() {}
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 1200, height: 800 };
  }
}

class FakeApp extends EventEmitter {
  enableSandbox() {
    recorded.sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath(name: string) {
    if (name !== "userData") throw new Error(`unexpected getPath(${name})`);
    return recorded.userData;
  }
  quit() {}
}

/** The fake `app`. */
export const app = new FakeApp();
/** The fake `BrowserWindow`. */
export const BrowserWindow = FakeBrowserWindow;
/** The fake `ipcMain`. */
export const ipcMain = {
  handle(channel: string, handler: Handler) {
    if (recorded.ipc.has(channel)) throw new Error(`second handler for ${channel}`);
    recorded.ipc.set(channel, handler);
  },
};
/** The fake `Menu`. */
export const Menu = {
  buildFromTemplate: (template: unknown[]) => template,
  setApplicationMenu(template: unknown[]) {
    recorded.menuTemplate = template;
  },
};
/** The fake `dialog`: always cancelled. */
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: () => undefined,
};
/** The fake `nativeTheme`. */
export const nativeTheme = { shouldUseDarkColors: false };
/** The fake `screen`: one 1920×1080 display. */
export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};
/** The fake `session`. */
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: typeof recorded.permissionHandler) {
      recorded.permissionHandler = handler;
    },
    webRequest: {
      onHeadersReceived(hook: typeof recorded.headersHook) {
        recorded.headersHook = hook;
      },
    },
  },
};
/** The fake `shell`: records external links instead of opening them. */
export const shell = {
  openExternal: async (url: string) => {
    recorded.externalLinks.push(url);
  },
};
