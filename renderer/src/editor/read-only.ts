/**
 * Keeps the article text read-only while leaving a caret for keyboard
 * selection: transactions that change the document are dropped unless they
 * carry the `allowTextEdit` meta (reserved for the explicit "edit text" mode).
 */
import { Plugin, PluginKey, type Transaction } from "prosemirror-state";
import { AddMarkStep, RemoveMarkStep } from "prosemirror-transform";

const key = new PluginKey("tagwerk-read-only");

/** Meta flag that lets one transaction change the text. */
export const ALLOW_TEXT_EDIT = "tagwerk-allow-text-edit";

/** True when `tr` would change the article's text without permission (adding or removing marks is fine). */
export function isForbiddenEdit(tr: Transaction): boolean {
  if (!tr.docChanged || tr.getMeta(ALLOW_TEXT_EDIT) === true) return false;
  return !tr.steps.every((step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep);
}

/** The plugin: filters out text edits, and blocks drops and pastes at the DOM level. */
export function readOnlyPlugin(): Plugin {
  return new Plugin({
    key,
    filterTransaction: (tr) => !isForbiddenEdit(tr),
    props: {
      handleDrop: () => true,
      handlePaste: () => true,
      handleTextInput: () => true,
    },
  });
}
