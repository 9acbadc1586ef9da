/** The keyboard shortcut sheet (`?` or F1). */
import { Modal } from "./Modal";

/** Shortcuts that work today, grouped as the sheet shows them. */
export const SHORTCUTS: [string, [string, string][]][] = [
  [
    "Articles",
    [
      ["Alt+↓ / Alt+↑", "Next / previous article"],
      ["Ctrl+P", "Filter articles"],
      ["Ctrl+I", "Import articles (txt, md, html, docx, pdf, csv, jsonl)"],
      ["↑ ↓ Home End, Enter", "Move in the article list, open"],
    ],
  ],
  [
    "Reading",
    [
      ["Ctrl+E", "Focus the article text"],
      ["Arrows, Shift+Arrows", "Move the caret, select text"],
      ["Ctrl+\\", "Show / hide the annotation pane"],
      ["← → on the pane tabs", "Annotations / Codebook / Article"],
      ["↑ ↓ Enter in the pane", "Move between annotations, jump to one"],
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

/** A modal dialog listing the shortcuts. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal open={open} title="Keyboard shortcuts" className="shortcuts" onClose={onClose}>
      {SHORTCUTS.map(([group, items]) => (
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
