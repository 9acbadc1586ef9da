/**
 * The repair view for an annotation file that arrived broken (git conflict
 * markers from a merge without Tagwerk's driver, truncated or hand-broken
 * JSON): what each side still holds, every annotation id the sides disagree on
 * with a choice, and Save — the broken file is kept beside the repaired one.
 */
import { useEffect, useState } from "react";
import type { ArticleView, WorkbenchApi } from "../../../shared/api";
import type { StoredAnnotation } from "../../../shared/project-files";
import type { Recovery } from "../../../shared/recovery";
import { Modal } from "./Modal";

interface Props {
  api: WorkbenchApi;
  articleId: string;
  /** The coder whose file is broken; `null` closes the dialog. */
  coder: string | null;
  onClose(): void;
  onRepaired(article: ArticleView): void;
}

function describe(a: StoredAnnotation): string {
  return `${a.label} “${a.quote}” ${a.start}–${a.end}${a.value ? ` · ${a.value}` : ""}${a.polarity ? ` · ${a.polarity}` : ""}`;
}

/** Modal repair of one coder's broken annotation file. */
export function RepairDialog({ api, articleId, coder, onClose, onRepaired }: Props) {
  const [recovery, setRecovery] = useState<Recovery | null>(null);
  const [picks, setPicks] = useState<Record<string, number | "drop">>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setRecovery(null);
    setError(null);
    if (!coder) return;
    void api.getRecovery({ articleId, coder }).then((result) => {
      if (result.ok) {
        setRecovery(result.value);
        setPicks(Object.fromEntries(result.value.choices.map((c) => [c.id, 0])));
      } else setError(result.error.message);
    });
  }, [api, articleId, coder]);

  return (
    <Modal
      open={coder !== null}
      title={`Repair ${coder ?? ""}'s annotations`}
      className="repair-dialog"
      onClose={onClose}
    >
      {error && (
        <p className="warn" role="alert">
          {error}
        </p>
      )}
      {recovery && (
        <>
          <p>{recovery.message.charAt(0).toUpperCase() + recovery.message.slice(1)}</p>
          <ul className="repair-sides">
            {recovery.sides.map((side) => (
              <li key={side.name}>
                <b>{side.name}</b>: {side.annotations.length} annotation
                {side.annotations.length === 1 ? "" : "s"}
                {side.problem && <span className="muted"> ({side.problem})</span>}
              </li>
            ))}
          </ul>
          <p className="muted">
            The repaired file keeps {recovery.merged.annotations.length} annotation
            {recovery.merged.annotations.length === 1 ? "" : "s"} from all sides
            {recovery.choices.length > 0
              ? `; ${recovery.choices.length} differ between the sides — choose:`
              : "."}
          </p>
          {recovery.choices.length > 0 && (
            <ul className="repair-choices">
              {recovery.choices.map((choice) => (
                <li key={choice.id}>
                  <fieldset>
                    <legend>
                      <code>{choice.id}</code>
                    </legend>
                    {choice.options.map((option, i) => (
                      <label key={JSON.stringify(option)}>
                        <input
                          type="radio"
                          name={`repair-${choice.id}`}
                          checked={picks[choice.id] === i}
                          onChange={() => setPicks((p) => ({ ...p, [choice.id]: i }))}
                        />
                        {choice.from?.[i] ?? `option ${i + 1}`}: {describe(option)}
                      </label>
                    ))}
                    <label>
                      <input
                        type="radio"
                        name={`repair-${choice.id}`}
                        checked={picks[choice.id] === "drop"}
                        onChange={() => setPicks((p) => ({ ...p, [choice.id]: "drop" }))}
                      />
                      Drop it
                    </label>
                  </fieldset>
                </li>
              ))}
            </ul>
          )}
          <div className="curation__actions">
            <button
              type="button"
              className="primary"
              onClick={async () => {
                if (!coder) return;
                const result = await api.applyRecovery({ articleId, coder, picks });
                if (result.ok) onRepaired(result.value);
                else setError(result.error.message);
              }}
            >
              Save repaired file
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
