/**
 * The preload: exposes the typed API as `window.workbench`, one method per
 * message. `ipcRenderer` itself never reaches the page. Sandboxed preloads must
 * be CommonJS and may import only `electron`, so this file stays tiny.
 */
import { contextBridge, ipcRenderer } from "electron";
import {
  type ApiInput,
  type ApiMethod,
  channelFor,
  EVENT_CHANNEL,
  type WorkbenchBridge,
  type WorkbenchEvent,
} from "../../shared/api";

function invoke<M extends ApiMethod>(method: M, input?: ApiInput<M>) {
  return ipcRenderer.invoke(channelFor(method), input);
}

const workbench = {
  getAppInfo: () => invoke("getAppInfo"),
  getProject: () => invoke("getProject"),
  openProject: (input) => invoke("openProject", input),
  chooseProject: () => invoke("chooseProject"),
  listRecentProjects: () => invoke("listRecentProjects"),
  getArticle: (input) => invoke("getArticle", input),
  importArticles: (input) => invoke("importArticles", input),
  chooseAndImportArticles: () => invoke("chooseAndImportArticles"),
  searchArticles: (input) => invoke("searchArticles", input),
  createProject: (input) => invoke("createProject", input),
  previewCleanup: (input) => invoke("previewCleanup", input),
  applyCleanup: (input) => invoke("applyCleanup", input),
  setCoder: (input) => invoke("setCoder", input),
  saveCoding: (input) => invoke("saveCoding", input),
  saveEntity: (input) => invoke("saveEntity", input),
  saveCodebook: (input) => invoke("saveCodebook", input),
  exportDataset: (input) => invoke("exportDataset", input),
  getExportProgress: () => invoke("getExportProgress"),
  chooseExportFolder: () => invoke("chooseExportFolder"),
  openExportFolder: (input) => invoke("openExportFolder", input),
  importDataset: (input) => invoke("importDataset", input),
  setDoubleCoding: (input) => invoke("setDoubleCoding", input),
  getAgreement: (input) => invoke("getAgreement", input),
  gitStatus: () => invoke("gitStatus"),
  gitCommit: (input) => invoke("gitCommit", input),
  gitPull: () => invoke("gitPull"),
  gitPush: () => invoke("gitPush"),
  resolveConflict: (input) => invoke("resolveConflict", input),
  getRecovery: (input) => invoke("getRecovery", input),
  applyRecovery: (input) => invoke("applyRecovery", input),
  resolveProjectConflict: (input) => invoke("resolveProjectConflict", input),
  onEvent(listener) {
    const handle = (_event: Electron.IpcRendererEvent, payload: WorkbenchEvent) =>
      listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handle);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handle);
    };
  },
} satisfies WorkbenchBridge;

contextBridge.exposeInMainWorld("workbench", workbench);
