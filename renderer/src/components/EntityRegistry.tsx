/**
 * The project's entity registry: canonical entities with their other
 * spellings (Selenskyj / Zelensky …) and an optional external id such as a
 * Wikidata QID. Linked mentions in the open article are counted.
 */
import { useState } from "react";
import type { RegistryEntity, StoredAnnotation } from "../../../shared/project-files";

interface Props {
  entities: RegistryEntity[];
  annotations: StoredAnnotation[];
  onSave(entity: RegistryEntity): Promise<string | null>;
}

function EntityForm({
  entity,
  onSave,
}: {
  entity: RegistryEntity;
  onSave(entity: RegistryEntity): Promise<string | null>;
}) {
  const [draft, setDraft] = useState(entity);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="entity-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(draft).then(setProblem);
      }}
    >
      <label>
        Name
        <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </label>
      <label>
        Other spellings (comma-separated)
        <input
          value={draft.aliases.join(", ")}
          onChange={(e) =>
            setDraft({
              ...draft,
              aliases: e.target.value
                .split(",")
                .map((a) => a.trim())
                .filter(Boolean),
            })
          }
        />
      </label>
      <label>
        External id (e.g. Wikidata QID)
        <input
          value={draft.externalId ?? ""}
          placeholder="Q3874799"
          onChange={(e) => {
            const { externalId: _old, ...rest } = draft;
            setDraft(e.target.value.trim() ? { ...rest, externalId: e.target.value.trim() } : rest);
          }}
        />
      </label>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary">
        Save entity
      </button>
    </form>
  );
}

/** List and editor of registry entities. */
export function EntityRegistry({ entities, annotations, onSave }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const shown = entities.filter(
    (e) =>
      !needle ||
      [e.name, ...e.aliases, e.externalId ?? ""].join(" ").toLowerCase().includes(needle),
  );
  if (entities.length === 0) {
    return (
      <p className="pane-empty">
        The registry is empty. Select an entity annotation and choose “New entity” to add one.
      </p>
    );
  }
  return (
    <div className="entity-registry">
      <input
        type="search"
        className="entity-search"
        aria-label="Find an entity"
        placeholder="Find an entity…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul>
        {shown.map((e) => {
          const linked = annotations.filter((a) => a.entity === e.id).length;
          return (
            <li key={e.id}>
              <button
                type="button"
                className="entity-row"
                aria-expanded={open === e.id}
                onClick={() => setOpen(open === e.id ? null : e.id)}
              >
                <b>{e.name}</b> {e.label && <span className="label-id">{e.label}</span>}
                {e.externalId && <span className="attr">{e.externalId}</span>}
                <span className="count" title="Linked mentions in this article">
                  {linked}
                </span>
                {e.aliases.length > 0 && (
                  <span className="muted entity-aliases">{e.aliases.join(" · ")}</span>
                )}
              </button>
              {open === e.id && <EntityForm entity={e} onSave={onSave} />}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
