/**
 * Renderer entry: mounts the app. `./boot` is imported first, so the first
 * requests leave before the app's modules (React, ProseMirror, the workbench)
 * are evaluated; the whole bundle is downloaded before either runs, so the
 * back end's work on the requests does not hold up serving the bundle.
 */
import "prosemirror-view/style/prosemirror.css";
import "./styles.css";
import { api, opening } from "./boot";
import { mountApp } from "./mount-app";

const root = document.getElementById("root");
if (root) mountApp(root, api, opening);
