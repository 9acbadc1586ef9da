/**
 * The active annotation's card in the pane: its label (relabel), and by kind
 * the date value, stance target / polarity / holder, plus a note; delete.
 * Every change is saved at once; relabel and delete go through the editor so
 * that undo covers them.
 */
import { useEffect, useState } from "react";
import { findMentions, type Mention, mentionContext } from "../../../shared/mentions";
import type { Codebook, RegistryEntity, StoredAnnotation } from "../../../shared/project-files";

interface Props {
  annotation: StoredAnnotation;
  codebook: Codebook;
  /** The article text, for finding other mentions. */
  text: string;
  /** The project's entity registry. */
  entities: RegistryEntity[];
  /** Annotations of this layer (other mentions already tagged are skipped). */
  layerAnnotations: StoredAnnotation[];
  /** Tags the chosen mentions like this annotation (same label and registry link). */
  onTagMentions(mentions: Mention[]): void;
  /** Adds this mention to the registry as a new entity and links it. */
  onRegister(): void;
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
  text,
  entities,
  layerAnnotations,
  onTagMentions,
  onRegister,
  holders,
  editable,
  onUpdate,
  onRelabel,
  onDelete,
}: Props) {
  const [mentions, setMentions] = useState<Mention[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new annotation closes the preview of the last one
  useEffect(() => setMentions(null), [a.id]);
  const linked = entities.find((e) => e.id === a.entity);
  const findOthers = () => {
    const names = [a.quote, ...(linked ? [linked.name, ...linked.aliases] : [])];
    const taken = layerAnnotations.filter((x) => x.label === a.label);
    const found = findMentions(text, names, taken);
    setMentions(found);
    setChosen(new Set(found.map((_, i) => i)));
  };
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
      {a.kind === "entity" && (
        <div className="field">
          <label htmlFor="ae-entity">Registry entity</label>
          <div className="row">
            <select
              id="ae-entity"
              value={a.entity ?? ""}
              disabled={!editable}
              onChange={(e) => onUpdate({ entity: e.target.value })}
            >
              <option value="">— not linked —</option>
              {entities
                .filter((e) => !e.label || e.label === a.label)
                .map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name}
                    {e.externalId ? ` (${e.externalId})` : ""}
                  </option>
                ))}
            </select>
            {editable && !a.entity && (
              <button type="button" className="ghost" onClick={onRegister}>
                New entity
              </button>
            )}
          </div>
          {linked && linked.aliases.length > 0 && (
            <span className="muted">Also: {linked.aliases.join(", ")}</span>
          )}
          {editable && (
            <button type="button" className="ghost" onClick={findOthers}>
              Tag other mentions…
            </button>
          )}
          {mentions && (
            <section className="mentions" aria-label="Other mentions">
              {mentions.length === 0 ? (
                <p className="muted">
                  No other untagged mention of {linked ? "this entity's names" : `“${a.quote}”`}.
                </p>
              ) : (
                <>
                  <ul>
                    {mentions.map((m, i) => (
                      <li key={`${m.start}`}>
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
                          <span>{mentionContext(text, m)}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                  <button
                    type="button"
                    className="primary"
                    disabled={chosen.size === 0}
                    onClick={() => {
                      onTagMentions(mentions.filter((_, i) => chosen.has(i)));
                      setMentions(null);
                    }}
                  >
                    Tag {chosen.size} as {a.label}
                  </button>
                </>
              )}
            </section>
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
