/**
 * Files of the project that could not be read, each with its path and what is
 * wrong (line and column, or the field). Everything else keeps working; this is
 * where a coder finds out what to repair.
 */
import type { FileProblem } from "../../../shared/api";
import { Modal } from "./Modal";

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
  return (
    <Modal open={open} title="Files that could not be read" onClose={onClose}>
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
    </Modal>
  );
}
