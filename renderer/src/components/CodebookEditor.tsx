/**
 * Editing the codebook in the app: labels (name, colour, hotkey, guideline,
 * examples; renaming an id or merging a removed label into another carries
 * every coder's annotations along), stance targets and scale, document
 * variables. Saving makes the next codebook version.
 */
import { useState } from "react";
import type { Codebook, Label } from "../../../shared/project-files";

interface Props {
  codebook: Codebook;
  onSave(codebook: Codebook, relabel: Record<string, string>): Promise<string | null>;
  onCancel(): void;
}

type DraftLabel = Label & { originalId?: string; removed?: boolean; mergeInto?: string };

const list = (value: string) =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** The codebook form. */
export function CodebookEditor({ codebook, onSave, onCancel }: Props) {
  const [labels, setLabels] = useState<DraftLabel[]>(
    codebook.labels.map((l) => ({ ...l, originalId: l.id })),
  );
  const [targets, setTargets] = useState(codebook.stanceTargets);
  const [scale, setScale] = useState(codebook.stanceScale);
  const [variables, setVariables] = useState(codebook.documentVariables);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const setLabel = (index: number, change: Partial<DraftLabel>) =>
    setLabels(labels.map((l, i) => (i === index ? { ...l, ...change } : l)));

  const save = async () => {
    const relabel: Record<string, string> = {};
    for (const l of labels) {
      if (!l.originalId) continue;
      if (l.removed && l.mergeInto) relabel[l.originalId] = l.mergeInto;
      else if (!l.removed && l.id !== l.originalId) relabel[l.originalId] = l.id;
    }
    const next: Codebook = {
      ...codebook,
      labels: labels
        .filter((l) => !l.removed)
        .map(({ originalId: _o, removed: _r, mergeInto: _m, ...label }) => ({
          ...label,
          ...(label.hotkey ? { hotkey: label.hotkey } : {}),
        })),
      stanceTargets: targets,
      stanceScale: scale,
      documentVariables: variables,
    };
    setSaving(true);
    const problem = await onSave(next, relabel);
    setSaving(false);
    setError(problem);
  };

  return (
    <form
      className="codebook-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>Labels</h3>
      {labels.map((l, i) => (
        <fieldset
          key={l.originalId ?? `new-${i}`}
          className={`codebook-edit-label${l.removed ? " is-removed" : ""}`}
        >
          <legend>
            <span className="swatch" data-label={l.originalId ?? l.id} aria-hidden="true" />
            {l.name || "New label"} <span className="kind">{l.kind}</span>
          </legend>
          <div className="grid">
            <label>
              Id
              <input
                value={l.id}
                onChange={(e) => setLabel(i, { id: e.target.value.trim() })}
                disabled={l.removed}
              />
            </label>
            <label>
              Name
              <input
                value={l.name}
                onChange={(e) => setLabel(i, { name: e.target.value })}
                disabled={l.removed}
              />
            </label>
            <label>
              Colour
              <input
                type="color"
                value={l.color}
                onChange={(e) => setLabel(i, { color: e.target.value })}
                disabled={l.removed}
              />
            </label>
            <label>
              Hotkey
              <input
                value={l.hotkey ?? ""}
                maxLength={1}
                onChange={(e) => setLabel(i, { hotkey: e.target.value.toLowerCase() || undefined })}
                disabled={l.removed}
              />
            </label>
            {!l.originalId && (
              <label>
                Kind
                <select
                  value={l.kind}
                  onChange={(e) => setLabel(i, { kind: e.target.value as Label["kind"] })}
                >
                  <option value="entity">entity</option>
                  <option value="date">date</option>
                  <option value="stance">stance</option>
                </select>
              </label>
            )}
          </div>
          <label>
            Guideline
            <textarea
              rows={2}
              value={l.description}
              onChange={(e) => setLabel(i, { description: e.target.value })}
              disabled={l.removed}
            />
          </label>
          <label>
            Examples (comma-separated)
            <input
              value={l.examples.join(", ")}
              onChange={(e) => setLabel(i, { examples: list(e.target.value) })}
              disabled={l.removed}
            />
          </label>
          <div className="row">
            {l.removed ? (
              <>
                <label>
                  Merge its annotations into
                  <select
                    value={l.mergeInto ?? ""}
                    onChange={(e) => setLabel(i, { mergeInto: e.target.value || undefined })}
                  >
                    <option value="">— nothing (only if unused) —</option>
                    {labels
                      .filter((o) => !o.removed && o.kind === l.kind && o !== l)
                      .map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name} ({o.id})
                        </option>
                      ))}
                  </select>
                </label>
                <button
                  type="button"
                  className="ghost"
                  onClick={() => setLabel(i, { removed: false, mergeInto: undefined })}
                >
                  Keep
                </button>
              </>
            ) : (
              <button
                type="button"
                className="ghost warn"
                onClick={() => setLabel(i, { removed: true })}
              >
                Remove or merge…
              </button>
            )}
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        className="ghost"
        onClick={() =>
          setLabels([
            ...labels,
            {
              id: "NEW",
              kind: "entity",
              name: "",
              color: "#64748b",
              description: "",
              examples: [],
            },
          ])
        }
      >
        Add label
      </button>

      <h3>Stance targets</h3>
      {targets.map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended; their ids are what is being edited
        <div key={`t-${i}`} className="grid">
          <label>
            Id
            <input
              value={t.id}
              onChange={(e) =>
                setTargets(
                  targets.map((x, j) => (j === i ? { ...x, id: e.target.value.trim() } : x)),
                )
              }
            />
          </label>
          <label>
            Name
            <input
              value={t.name}
              onChange={(e) =>
                setTargets(targets.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
              }
            />
          </label>
        </div>
      ))}
      <button
        type="button"
        className="ghost"
        onClick={() => setTargets([...targets, { id: "target", name: "", description: "" }])}
      >
        Add stance target
      </button>

      <h3>Stance scale</h3>
      <label>
        Steps, in order (comma-separated)
        <input
          value={scale.map((p) => p.id).join(", ")}
          onChange={(e) =>
            setScale(
              list(e.target.value).map((id) => ({
                id,
                name: scale.find((p) => p.id === id)?.name ?? id,
              })),
            )
          }
        />
      </label>

      <h3>Document variables</h3>
      {variables.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended; their ids are what is being edited
        <div key={`v-${i}`} className="grid">
          <label>
            Name
            <input
              value={v.name}
              onChange={(e) =>
                setVariables(
                  variables.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                )
              }
            />
          </label>
          <label>
            Type
            <select
              value={v.type}
              onChange={(e) =>
                setVariables(
                  variables.map((x, j) =>
                    j === i ? { ...x, type: e.target.value as typeof v.type } : x,
                  ),
                )
              }
            >
              <option value="single">single choice</option>
              <option value="multi">multiple choice</option>
              <option value="text">text</option>
              <option value="number">number</option>
            </select>
          </label>
          <label>
            Options (comma-separated)
            <input
              value={v.options.join(", ")}
              onChange={(e) =>
                setVariables(
                  variables.map((x, j) => (j === i ? { ...x, options: list(e.target.value) } : x)),
                )
              }
            />
          </label>
        </div>
      ))}
      <button
        type="button"
        className="ghost"
        onClick={() =>
          setVariables([
            ...variables,
            {
              id: `variable-${variables.length + 1}`,
              name: "",
              type: "single",
              options: [],
              description: "",
            },
          ])
        }
      >
        Add document variable
      </button>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="codebook-editor__actions">
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving}>
          Save as version {codebook.version + 1}
        </button>
      </div>
    </form>
  );
}
