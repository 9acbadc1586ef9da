/** Article-level variables from the codebook (single / multi choice, text, number) for the current coder. */
import type { Codebook, DocumentVariable } from "../../../shared/project-files";

type CodeValue = string | number | string[];

interface Props {
  codebook: Codebook;
  codes: Record<string, CodeValue>;
  editable: boolean;
  onChange(variable: string, value: CodeValue | null): void;
}

function VariableInput({
  variable: v,
  value,
  editable,
  onChange,
}: {
  variable: DocumentVariable;
  value: CodeValue | undefined;
  editable: boolean;
  onChange(value: CodeValue | null): void;
}) {
  const id = `code-${v.id}`;
  if (v.type === "single") {
    return (
      <select
        id={id}
        value={typeof value === "string" ? value : ""}
        disabled={!editable}
        onChange={(e) => onChange(e.target.value || null)}
      >
        <option value="">— not coded —</option>
        {v.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  if (v.type === "multi") {
    const chosen = new Set(Array.isArray(value) ? value : []);
    return (
      <fieldset className="multi" aria-labelledby={`${id}-label`}>
        {v.options.map((o) => (
          <label key={o}>
            <input
              type="checkbox"
              checked={chosen.has(o)}
              disabled={!editable}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(o);
                else next.delete(o);
                onChange(next.size === 0 ? null : v.options.filter((x) => next.has(x)));
              }}
            />
            {o}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <input
      id={id}
      type={v.type === "number" ? "number" : "text"}
      defaultValue={value === undefined ? "" : String(value)}
      disabled={!editable}
      onBlur={(e) => {
        const raw = e.target.value.trim();
        if (raw === "") onChange(null);
        else onChange(v.type === "number" ? Number(raw) : raw);
      }}
    />
  );
}

/** The document-codes form. */
export function DocumentCodes({ codebook, codes, editable, onChange }: Props) {
  if (codebook.documentVariables.length === 0)
    return <p className="pane-empty">The codebook has no document variables.</p>;
  return (
    <div className="document-codes">
      {codebook.documentVariables.map((v) => (
        <div key={v.id} className="field">
          <label id={`code-${v.id}-label`} htmlFor={`code-${v.id}`}>
            {v.name}
          </label>
          <VariableInput
            variable={v}
            value={codes[v.id]}
            editable={editable}
            onChange={(value) => onChange(v.id, value)}
          />
          {v.description && <p className="muted">{v.description}</p>}
        </div>
      ))}
    </div>
  );
}
