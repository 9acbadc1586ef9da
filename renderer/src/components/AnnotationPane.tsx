/**
 * The annotation pane beside the article: the chosen coder's annotations
 * grouped by label (click or Enter jumps to one), the codebook with its
 * guideline text and hotkeys, and the article's metadata and file problems.
 */
import { Suspense, useMemo, useState } from "react";
import type { ArticleView, CoderAnnotations } from "../../../shared/api";
import type { Mention } from "../../../shared/mentions";
import type { Codebook, RegistryEntity, StoredAnnotation } from "../../../shared/project-files";
import { formatDate } from "../format-date";
import { CodebookEditor } from "../lazy-views";
import { AnnotationEditor } from "./AnnotationEditor";
import { AnnotationList } from "./AnnotationList";
import { DocumentCodes } from "./DocumentCodes";
import { EntityRegistry } from "./EntityRegistry";

type Tab = "annotations" | "codes" | "entities" | "codebook" | "article";

interface Props {
  article: ArticleView | null;
  codebook: Codebook | null;
  /** Every coder's layer of the article (the current coder's kept live while they code). */
  layers: CoderAnnotations[];
  /** The layer shown. */
  coder: string | null;
  /** Who is coding on this machine; only their layer can be edited. */
  me: string | null;
  activeId: string | null;
  onChooseCoder(coder: string): void;
  onReveal(annotation: StoredAnnotation): void;
  onUpdate(id: string, attributes: Partial<StoredAnnotation>): void;
  onRelabel(id: string, label: string): void;
  onDelete(id: string): void;
  onSetCode(variable: string, value: string | number | string[] | null): void;
  onTagMentions(source: StoredAnnotation, mentions: Mention[]): void;
  onRegister(source: StoredAnnotation): void;
  entities: RegistryEntity[];
  /** Saves a registry entity; resolves with a problem to show, or null when saved. */
  onSaveEntity(entity: RegistryEntity): Promise<string | null>;
  /** Saves an edited codebook; resolves with a problem to show, or null when saved. */
  onSaveCodebook(codebook: Codebook, relabel: Record<string, string>): Promise<string | null>;
}

function CodebookPanel({ codebook }: { codebook: Codebook | null }) {
  if (!codebook)
    return <p className="pane-empty">This project's codebook could not be read (see problems).</p>;
  return (
    <div className="codebook">
      <p className="muted">Codebook version {codebook.version}</p>
      <ul className="codebook-labels">
        {codebook.labels.map((label) => (
          <li key={label.id} className="codebook-label">
            <div className="codebook-label__head">
              <span className="swatch" data-label={label.id} aria-hidden="true" />
              <b>{label.name}</b>
              <span className="label-id">{label.id}</span>
              <span className="kind">{label.kind}</span>
              {label.hotkey && <kbd title="Hotkey">{label.hotkey}</kbd>}
            </div>
            {label.description && <p>{label.description}</p>}
            {label.examples.length > 0 && (
              <p className="examples">
                e.g.{" "}
                {label.examples.map((e, i) => (
                  <span key={e}>
                    {i > 0 && ", "}
                    <q>{e}</q>
                  </span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ul>
      {codebook.stanceTargets.length > 0 && (
        <>
          <h3>Stance targets</h3>
          <ul className="plain">
            {codebook.stanceTargets.map((t) => (
              <li key={t.id}>
                <b>{t.name}</b>
                {t.description && <p>{t.description}</p>}
              </li>
            ))}
          </ul>
          <p className="muted">Scale: {codebook.stanceScale.map((s) => s.name).join(" / ")}</p>
        </>
      )}
      {codebook.documentVariables.length > 0 && (
        <>
          <h3>Document variables</h3>
          <ul className="plain">
            {codebook.documentVariables.map((v) => (
              <li key={v.id}>
                <b>{v.name}</b> <span className="kind">{v.type}</span>
                {v.options.length > 0 && <p className="muted">{v.options.join(" · ")}</p>}
                {v.description && <p>{v.description}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ArticleInfo({ article }: { article: ArticleView }) {
  const { meta } = article;
  return (
    <div className="article-info">
      <dl>
        <dt>Source</dt>
        <dd>{meta.source || "—"}</dd>
        <dt>Published</dt>
        <dd>{formatDate(meta.date)}</dd>
        <dt>Language</dt>
        <dd>{meta.language}</dd>
        <dt>Address</dt>
        <dd>
          {meta.url ? (
            <a href={meta.url} target="_blank" rel="noreferrer noopener">
              {meta.url}
            </a>
          ) : (
            "—"
          )}
        </dd>
        <dt>Imported</dt>
        <dd>{new Date(meta.importedAt).toLocaleString()}</dd>
        <dt>Article id</dt>
        <dd>
          <code>{meta.id}</code>
        </dd>
        <dt>Text hash</dt>
        <dd>
          <code title={meta.textHash}>{meta.textHash.slice(0, 19)}…</code>{" "}
          {article.textMatchesHash ? (
            <span className="ok">matches</span>
          ) : (
            <span className="warn">text changed since import</span>
          )}
        </dd>
      </dl>
    </div>
  );
}

/** Right-hand pane with tabs for annotations, codebook and article metadata. */
export function AnnotationPane({
  article,
  codebook,
  layers,
  coder,
  me,
  activeId,
  onChooseCoder,
  onReveal,
  onUpdate,
  onRelabel,
  onDelete,
  onSetCode,
  onTagMentions,
  onRegister,
  entities,
  onSaveCodebook,
  onSaveEntity,
}: Props) {
  const [tab, setTab] = useState<Tab>("annotations");
  const [editingCodebook, setEditingCodebook] = useState(false);
  const layer = layers.find((c) => c.coder === coder);
  const editable = coder !== null && coder === me;
  const active = layer?.annotations.find((a) => a.id === activeId);
  const holders = useMemo(
    () => (layer?.annotations ?? []).filter((a) => a.kind === "entity"),
    [layer],
  );
  const mine = layers.find((c) => c.coder === me);
  const tabs: [Tab, string][] = [
    ["annotations", "Annotations"],
    ["codes", "Codes"],
    ["entities", "Entities"],
    ["codebook", "Codebook"],
    ["article", "Article"],
  ];
  return (
    <aside className="pane" aria-label="Annotation pane">
      <div
        className="pane__tabs"
        role="tablist"
        aria-label="Pane sections"
        tabIndex={-1}
        onKeyDown={(event) => {
          const index = tabs.findIndex(([id]) => id === tab);
          const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
          if (step === 0) return;
          event.preventDefault();
          const next = tabs[(index + step + tabs.length) % tabs.length];
          if (!next) return;
          setTab(next[0]);
          document.getElementById(`tab-${next[0]}`)?.focus();
        }}
      >
        {tabs.map(([id, name]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={tab === id ? `panel-${id}` : undefined}
            tabIndex={tab === id ? 0 : -1}
            className={tab === id ? "is-active" : ""}
            onClick={() => setTab(id)}
          >
            {name}
            {id === "annotations" && layer ? (
              <span className="count">{layer.annotations.length}</span>
            ) : null}
          </button>
        ))}
      </div>
      <div
        className="pane__body"
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
      >
        {article && article.problems.length > 0 && (
          <ul className="problems" aria-label="Files that could not be read">
            {article.problems.map((p) => (
              <li key={p.file}>{p.message}</li>
            ))}
          </ul>
        )}
        {tab === "annotations" &&
          (article ? (
            <>
              {layers.length > 0 && (
                <fieldset className="coder-switch">
                  <legend>Coder</legend>
                  {layers.map((c) => (
                    <label key={c.coder} className={c.coder === coder ? "is-active" : ""}>
                      <input
                        type="radio"
                        name="coder"
                        value={c.coder}
                        checked={c.coder === coder}
                        onChange={() => onChooseCoder(c.coder)}
                      />
                      {c.coder}
                      {c.coder === me ? " (you)" : ""}{" "}
                      <span className="count">{c.annotations.length}</span>
                    </label>
                  ))}
                </fieldset>
              )}
              {!editable && layer && me && (
                <p className="muted read-only-note">
                  You are looking at {layer.coder}'s annotations (read-only). Choose your own layer
                  to code.
                </p>
              )}
              {active && codebook && (
                <AnnotationEditor
                  annotation={active}
                  codebook={codebook}
                  text={article.text}
                  entities={entities}
                  layerAnnotations={layer?.annotations ?? []}
                  onTagMentions={(mentions) => onTagMentions(active, mentions)}
                  onRegister={() => onRegister(active)}
                  holders={holders.filter((h) => h.id !== active.id)}
                  editable={editable}
                  onUpdate={(attributes) => onUpdate(active.id, attributes)}
                  onRelabel={(label) => onRelabel(active.id, label)}
                  onDelete={() => onDelete(active.id)}
                />
              )}
              <AnnotationList layer={layer} codebook={codebook} onReveal={onReveal} />
            </>
          ) : (
            <p className="pane-empty">Open an article to see its annotations.</p>
          ))}
        {tab === "codes" &&
          (article && codebook && me ? (
            <DocumentCodes
              codebook={codebook}
              codes={mine?.codes ?? {}}
              editable
              onChange={onSetCode}
            />
          ) : (
            <p className="pane-empty">
              Open an article (and say who is coding) to set its document codes.
            </p>
          ))}
        {tab === "entities" && (
          <EntityRegistry
            entities={entities}
            annotations={layer?.annotations ?? []}
            onSave={onSaveEntity}
          />
        )}
        {tab === "codebook" &&
          (editingCodebook && codebook ? (
            <Suspense fallback={null}>
              <CodebookEditor
                codebook={codebook}
                onCancel={() => setEditingCodebook(false)}
                onSave={async (next, relabel) => {
                  const problem = await onSaveCodebook(next, relabel);
                  if (problem === null) setEditingCodebook(false);
                  return problem;
                }}
              />
            </Suspense>
          ) : (
            <>
              {codebook && (
                <button type="button" className="ghost" onClick={() => setEditingCodebook(true)}>
                  Edit codebook…
                </button>
              )}
              <CodebookPanel codebook={codebook} />
            </>
          ))}
        {tab === "article" &&
          (article ? (
            <ArticleInfo article={article} />
          ) : (
            <p className="pane-empty">No article is open.</p>
          ))}
      </div>
    </aside>
  );
}
