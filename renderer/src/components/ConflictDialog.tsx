/**
 * Decisions on merge conflicts the merge driver recorded in an article's
 * annotation files: for each, what the base had, ours and theirs, and a choice.
 */
import type { ArticleView, WorkbenchApi } from "../../../shared/api";
import type { MergeConflict, StoredAnnotation } from "../../../shared/project-files";
import { Modal } from "./Modal";

interface Props {
  api: WorkbenchApi;
  article: ArticleView | null;
  open: boolean;
  onClose(): void;
  onChanged(article: ArticleView): void;
  onError(message: string): void;
}

function describe(kind: MergeConflict["kind"], side: unknown): string {
  if (side === null || side === undefined) return kind === "annotation" ? "(deleted)" : "(not set)";
  if (kind === "annotation") {
    const a = side as StoredAnnotation;
    const extra = [a.value, a.polarity, a.target, a.note].filter(Boolean).join(" · ");
    return `${a.label} “${a.quote}” ${a.start}–${a.end}${extra ? ` · ${extra}` : ""}`;
  }
  return Array.isArray(side) ? side.join(", ") : String(side);
}

/** Modal listing every conflict of the article's annotation files with Keep ours / Take theirs. */
export function ConflictDialog({ api, article, open, onClose, onChanged, onError }: Props) {
  const layers = (article?.coders ?? []).filter((c) => (c.conflicts ?? []).length > 0);
  const decide = async (coder: string, conflict: MergeConflict, choice: "ours" | "theirs") => {
    if (!article) return;
    const result = await api.resolveConflict({
      articleId: article.meta.id,
      coder,
      kind: conflict.kind,
      key: conflict.key,
      choice,
    });
    if (result.ok) onChanged(result.value);
    else onError(result.error.message);
  };
  return (
    <Modal open={open} title="Merge conflicts" className="conflict-dialog" onClose={onClose}>
      {layers.length === 0 ? (
        <p>All conflicts of this article are decided.</p>
      ) : (
        layers.map((layer) => (
          <section key={layer.coder} aria-label={`Conflicts in ${layer.coder}'s annotations`}>
            <h3>{layer.coder}'s annotations</h3>
            <ul className="conflict-list">
              {(layer.conflicts ?? []).map((conflict) => (
                <li key={`${conflict.kind}:${conflict.key}`}>
                  <p className="muted">
                    Both sides changed {conflict.kind} <code>{conflict.key}</code>; before:{" "}
                    {describe(conflict.kind, conflict.base)}
                  </p>
                  <div className="conflict-sides">
                    <div>
                      <span className="curation__who">Ours (this clone)</span>
                      {describe(conflict.kind, conflict.ours)}
                    </div>
                    <div>
                      <span className="curation__who">Theirs (pulled)</span>
                      {describe(conflict.kind, conflict.theirs)}
                    </div>
                  </div>
                  <div className="curation__actions">
                    <button
                      type="button"
                      onClick={() => void decide(layer.coder, conflict, "ours")}
                    >
                      Keep ours
                    </button>
                    <button
                      type="button"
                      onClick={() => void decide(layer.coder, conflict, "theirs")}
                    >
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
