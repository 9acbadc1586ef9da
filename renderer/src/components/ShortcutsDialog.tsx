/** The keyboard shortcut sheet (`?` or F1). */
import { useEffect, useRef } from "react";

/** Shortcuts that work today, grouped as the sheet shows them. */
export const SHORTCUTS: [string, [string, string][]][] = [
  [
    "Articles",
    [
      ["Alt+↓ / Alt+↑", "Next / previous article"],
      ["Ctrl+P", "Filter articles"],
      ["Ctrl+I", "Import plain-text articles"],
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
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
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
      <form method="dialog">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
