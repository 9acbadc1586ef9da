/** Mounts the workbench into the page (loaded by the entry after the first requests are sent). */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { WorkbenchBridge } from "../../shared/api";
import { App } from "./App";
import type { Opening } from "./opening";

/** Renders the app into `root`, starting from the requests already sent. */
export function mountApp(root: HTMLElement, api: WorkbenchBridge, opening: Opening): void {
  createRoot(root).render(
    <StrictMode>
      <App api={api} opening={opening} />
    </StrictMode>,
  );
}
