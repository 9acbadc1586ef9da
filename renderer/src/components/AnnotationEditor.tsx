/**
 * The active annotation's card in the pane: its label (relabel), and by kind
 * the date value, stance target / polarity / holder, plus a note; delete.
 * Every change is saved at once; relabel and delete go through the editor so
 * that undo covers them.
 */
import { useEffect, useState } from "react";
import type { Codebook, StoredAnnotation } from "../../../shared/project-files";

interface Props {
  annotation: StoredAnnotation;
  codebook: Codebook;
  /** Entity annotations of the same layer, as possible stance holders. */
  holders: StoredAnnotation[];
  editable: boolean;
  onUpdate(attributes: Partial<StoredAnnotation>): void;
  onRelabel(label: string): void;
  onDelete(): void;
}

/** Editing card for one annotation. */
export function AnnotationEditor({
  annotation: a,
  codebook,
  holders,
  editable,
  onUpdate,
  onRelabel,
  onDelete,
}: Props) {
  const [note, setNote] = useState(a.note ?? "");
  const [value, setValue] = useState(a.value ?? "");
  useEffect(() => {
    setNote(a.note ?? "");
    setValue(a.value ?? "");
  }, [a.note, a.value]);
  const sameKind = codebook.labels.filter((l) => l.kind === a.kind);
  const valid = value === "" || /^\d{4}(-\d{2}(-\d{2})?)?(\/\d{4}(-\d{2}(-\d{2})?)?)?$/.test(value);
  return (
    <section className="annotation-editor" aria-label="Selected annotation" data-label={a.label}>
      <p className="annotation-editor__quote">“{a.quote}”</p>
      <div className="field">
        <label htmlFor="ae-label">Label</label>
        <select
          id="ae-label"
          value={a.label}
          disabled={!editable}
          onChange={(e) => onRelabel(e.target.value)}
        >
          {sameKind.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.id}){l.hotkey ? ` — ${l.hotkey}` : ""}
            </option>
          ))}
        </select>
      </div>
      {a.kind === "date" && (
        <div className="field">
          <label htmlFor="ae-value">Date value (ISO)</label>
          <input
            id="ae-value"
            value={value}
            placeholder="2025-12-17, 2026-01 or 2026-01-03/2026-01-06"
            disabled={!editable}
            aria-invalid={!valid}
            onChange={(e) => setValue(e.target.value)}
            onBlur={() => valid && value !== (a.value ?? "") && onUpdate({ value })}
            onKeyDown={(e) => {
              if (e.key === "Enter" && valid) onUpdate({ value });
            }}
          />
          {!valid && (
            <span className="warn">Use ISO: YYYY-MM-DD, YYYY-MM, YYYY, or a range a/b.</span>
          )}
        </div>
      )}
      {a.kind === "stance" && (
        <>
          <div className="field">
            <label htmlFor="ae-target">Target</label>
            <select
              id="ae-target"
              value={a.target ?? ""}
              disabled={!editable}
              onChange={(e) => onUpdate({ target: e.target.value })}
            >
              <option value="">— choose —</option>
              {codebook.stanceTargets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field polarity">
            <legend className="field__label">Polarity</legend>
            {codebook.stanceScale.map((p) => (
              <button
                key={p.id}
                type="button"
                aria-pressed={a.polarity === p.id}
                className={a.polarity === p.id ? "is-active" : ""}
                disabled={!editable}
                onClick={() => onUpdate({ polarity: a.polarity === p.id ? "" : p.id })}
              >
                {p.name}
              </button>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="ae-holder">Holder</label>
            <select
              id="ae-holder"
              value={a.holder ?? ""}
              disabled={!editable}
              onChange={(e) => onUpdate({ holder: e.target.value })}
            >
              <option value="">— nobody chosen —</option>
              {holders.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.quote} ({h.label}, {h.start})
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor="ae-note">Note</label>
        <textarea
          id="ae-note"
          rows={2}
          value={note}
          disabled={!editable}
          onChange={(e) => setNote(e.target.value)}
          onBlur={() => note !== (a.note ?? "") && onUpdate({ note })}
        />
      </div>
      {editable && (
        <button type="button" className="ghost warn" onClick={onDelete}>
          Delete annotation (Del)
        </button>
      )}
    </section>
  );
}
