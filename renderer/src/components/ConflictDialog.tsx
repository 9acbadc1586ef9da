/**
 * Decisions on merge conflicts the merge driver recorded: in an article's
 * annotation files, or in the codebook and the entity registry. For each, what
 * the base had, ours and theirs, and Keep ours / Take theirs.
 */
import type { MergeConflict, StoredAnnotation } from "../../../shared/project-files";
import { Modal } from "./Modal";

/** The conflicts of one file, and how to decide one. */
export interface ConflictGroup {
  id: string;
  title: string;
  conflicts: MergeConflict[];
  decide(conflict: MergeConflict, choice: "ours" | "theirs"): Promise<void>;
}

interface Props {
  open: boolean;
  groups: ConflictGroup[];
  onClose(): void;
}

/** The fields in which the versions of a record differ (all of them when one side is missing). */
function differing(conflict: MergeConflict): string[] {
  const sides = [conflict.base, conflict.ours, conflict.theirs].filter(
    (side): side is Record<string, unknown> =>
      typeof side === "object" && side !== null && !Array.isArray(side),
  );
  const keys = new Set(sides.flatMap((side) => Object.keys(side)));
  return [...keys].filter(
    (key) => new Set(sides.map((side) => JSON.stringify(side[key]))).size > 1,
  );
}

function describe(kind: MergeConflict["kind"], side: unknown, fields: string[]): string {
  if (side === null || side === undefined)
    return kind === "code" || kind === "status" ? "(not set)" : "(deleted)";
  if (kind === "annotation") {
    const a = side as StoredAnnotation;
    const extra = [a.value, a.polarity, a.target, a.note].filter(Boolean).join(" · ");
    return `${a.label} “${a.quote}” ${a.start}–${a.end}${extra ? ` · ${extra}` : ""}`;
  }
  if (typeof side === "object" && !Array.isArray(side)) {
    const record = side as Record<string, unknown>;
    const shown = fields.length > 0 ? fields : ["name"];
    return shown
      .map((key) => {
        const value = record[key];
        const text = Array.isArray(value)
          ? value.join(", ")
          : value === undefined
            ? "–"
            : String(value);
        return key === "name"
          ? text
          : `${key}: ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
      })
      .join(" · ");
  }
  return Array.isArray(side) ? side.join(", ") : String(side);
}

/** Modal listing every conflict of the given files with Keep ours / Take theirs. */
export function ConflictDialog({ open, groups, onClose }: Props) {
  const open_ = groups.filter((g) => g.conflicts.length > 0);
  return (
    <Modal open={open} title="Merge conflicts" className="conflict-dialog" onClose={onClose}>
      {open_.length === 0 ? (
        <p>All conflicts are decided.</p>
      ) : (
        open_.map((group) => (
          <section key={group.id} aria-label={`Conflicts in ${group.title}`}>
            <h3>{group.title}</h3>
            <ul className="conflict-list">
              {group.conflicts.map((conflict) => (
                <li key={`${conflict.kind}:${conflict.key}`}>
                  <p className="muted">
                    Both sides changed {conflict.kind} <code>{conflict.key}</code>; before:{" "}
                    {describe(conflict.kind, conflict.base, differing(conflict))}
                  </p>
                  <div className="conflict-sides">
                    <div>
                      <span className="curation__who">Ours (this clone)</span>
                      {describe(conflict.kind, conflict.ours, differing(conflict))}
                    </div>
                    <div>
                      <span className="curation__who">Theirs (pulled)</span>
                      {describe(conflict.kind, conflict.theirs, differing(conflict))}
                    </div>
                  </div>
                  <div className="curation__actions">
                    <button type="button" onClick={() => void group.decide(conflict, "ours")}>
                      Keep ours
                    </button>
                    <button type="button" onClick={() => void group.decide(conflict, "theirs")}>
                      Take theirs
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </Modal>
  );
}
