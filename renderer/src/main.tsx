/** Renderer entry: picks the transport and mounts the app. */
import "prosemirror-view/style/prosemirror.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { createApiClient } from "./api-client";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={createApiClient()} />
    </StrictMode>,
  );
}
