/**
 * The explicit cleanup step for scraped text: every proposed removal is shown
 * with its reason and its text; the coder ticks what goes. Nothing is removed
 * without this dialog (or `tagwerk clean --apply`), and annotations inside
 * removed lines become orphans for review, never silently lost.
 */
import { useEffect, useState } from "react";
import type { CleanupProposal } from "../../../shared/scrape-cleanup";
import { Modal } from "./Modal";

interface Props {
  proposals: CleanupProposal[] | null;
  onApply(accepted: CleanupProposal[]): void;
  onClose(): void;
}

const KIND_NAMES: Record<CleanupProposal["kind"], string> = {
  "metadata-line": "metadata line",
  breadcrumb: "navigation",
  caption: "caption",
  byline: "byline",
  "share-buttons": "buttons",
  donation: "donation prompt",
  newsletter: "newsletter",
  "related-links": "related links",
  comments: "reader comments",
  "repeated-title": "repeated title",
  timestamp: "timestamp",
  advertisement: "advertisement",
};

/** Modal listing cleanup proposals with a checkbox each; bylines start unticked. */
export function CleanupDialog({ proposals, onApply, onClose }: Props) {
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  useEffect(() => {
    setChosen(new Set((proposals ?? []).flatMap((p, i) => (p.kind === "byline" ? [] : [i]))));
  }, [proposals]);
  const list = proposals ?? [];
  return (
    <Modal
      open={proposals !== null}
      title="Clean up scraped text"
      className="cleanup"
      onClose={onClose}
    >
      {list.length === 0 ? (
        <p className="muted">Tagwerk found nothing to clean up in this article.</p>
      ) : (
        <>
          <p className="muted">
            Ticked lines are removed from the article text. Annotations in them become orphans you
            can review; all others move with the text.
          </p>
          <ul className="cleanup-list">
            {list.map((p, i) => (
              <li key={`${p.start}-${p.end}`}>
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(i)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(i);
                      else next.delete(i);
                      setChosen(next);
                    }}
                  />
                  <span className="cleanup-kind">{KIND_NAMES[p.kind]}</span>
                  <span className="cleanup-reason">{p.reason}</span>
                </label>
                <pre className="cleanup-text">
                  {p.text.length > 400 ? `${p.text.slice(0, 400)}…` : p.text}
                </pre>
              </li>
            ))}
          </ul>
          <div className="cleanup-actions">
            <button
              type="button"
              className="primary"
              disabled={chosen.size === 0}
              onClick={() => onApply(list.filter((_, i) => chosen.has(i)))}
            >
              Remove {chosen.size} selected
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
