/**
 * Files of the project that could not be read, each with its path and what is
 * wrong (line and column, or the field). Everything else keeps working; this is
 * where a coder finds out what to repair.
 */
import { useEffect, useRef } from "react";
import type { FileProblem } from "../../../shared/api";

/** Modal list of unreadable files. */
export function ProblemsDialog({
  problems,
  open,
  onClose,
}: {
  problems: FileProblem[];
  open: boolean;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="report" aria-labelledby="problems-title" onClose={onClose}>
      <h2 id="problems-title">Files that could not be read</h2>
      <p className="muted">
        Tagwerk left these files untouched and opened everything else. Repair them in an editor (or
        with git) and reopen the project.
      </p>
      <ul className="problem-list">
        {problems.map((p) => (
          <li key={`${p.file}:${p.message}`}>
            <code>{p.file}</code>
            <span>
              {p.message.startsWith(`${p.file}: `) ? p.message.slice(p.file.length + 2) : p.message}
            </span>
          </li>
        ))}
      </ul>
      <form method="dialog">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
