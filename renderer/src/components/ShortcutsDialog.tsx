/** The keyboard shortcut sheet (`?` or F1). */
import { Modal } from "./Modal";

/** Shortcuts that work today, grouped as the sheet shows them. */
export const SHORTCUTS: [string, [string, string][]][] = [
  [
    "Articles",
    [
      ["Alt+↓ / Alt+↑", "Next / previous article"],
      ["Ctrl+P", "Filter articles"],
      ["Ctrl+I", "Import articles or annotations (brat, Label Studio, doccano, CoNLL, .qdpx)"],
      ["Ctrl+Shift+E", "Export a labelled dataset"],
      ["Ctrl+Shift+G", "Agreement dashboard and adjudication"],
      ["Ctrl+Shift+F", "Search all article texts"],
      ["Ctrl+Enter", "Mark the article done, open the next"],
      ["↑ ↓ Home End, Enter", "Move in the article list, open"],
    ],
  ],
  [
    "Reading",
    [
      ["Ctrl+E", "Focus the article text"],
      ["Arrows, Shift+Arrows", "Move the caret, select text"],
      ["Ctrl+\\", "Show / hide the annotation pane"],
      ["← → on the pane tabs", "Annotations / Codes / Codebook / Article"],
      ["↑ ↓ Enter in the pane", "Move between annotations, jump to one"],
    ],
  ],
  [
    "Tagging",
    [
      ["Label hotkey", "Tag the selection (or relabel the selected annotation)"],
      ["Alt+→ / Alt+←", "Select the next / previous annotation"],
      ["Alt+Shift+→ / ←", "Grow / shrink the selected annotation's end by a word"],
      ["Alt+Shift+↑ / ↓", "Grow / shrink its start by a word"],
      ["Alt+W / Alt+S", "Select whole words / the sentence"],
      ["Delete", "Delete the selected annotation"],
      ["Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"],
      ["Esc", "Deselect the annotation"],
    ],
  ],
  [
    "Help",
    [
      ["? or F1", "This sheet"],
      ["Esc", "Close"],
    ],
  ],
];

/** A modal dialog listing the shortcuts, with the codebook's label hotkeys. */
export function ShortcutsDialog({
  open,
  onClose,
  labels = [],
}: {
  open: boolean;
  onClose(): void;
  labels?: { id: string; name: string; hotkey?: string | undefined }[];
}) {
  const hotkeys: [string, [string, string][]] = [
    "Label hotkeys",
    labels.filter((l) => l.hotkey).map((l) => [l.hotkey ?? "", `${l.name} (${l.id})`]),
  ];
  return (
    <Modal open={open} title="Keyboard shortcuts" className="shortcuts" onClose={onClose}>
      {[
        ...SHORTCUTS.slice(0, 3),
        ...(hotkeys[1].length > 0 ? [hotkeys] : []),
        ...SHORTCUTS.slice(3),
      ].map(([group, items]) => (
        <section key={group}>
          <h3>{group}</h3>
          <dl>
            {items.map(([keys, what]) => (
              <div key={keys} className="shortcut">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Modal>
  );
}
