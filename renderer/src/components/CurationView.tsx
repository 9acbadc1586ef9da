/**
 * Adjudication of one article: two coders' spans side by side in their
 * sentence, agreed spans already in the gold layer, and every disagreement
 * decided by keyboard — A takes coder A's span, B coder B's, E edits the label,
 * R rejects both, ↑/↓ move, Ctrl+Enter marks the gold layer done. Each decision
 * is saved to `coding/<article>/gold.json` at once.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  agreedChanges,
  type CurationItem,
  curationItems,
  isComplete,
  toGold,
} from "../../../shared/agreement/curation";
import type {
  ArticleView,
  CodingChanges,
  ProjectOverview,
  WorkbenchApi,
} from "../../../shared/api";
import { GOLD_CODER, type Label, type StoredAnnotation } from "../../../shared/project-files";
import { sliceCodePoints } from "../../../shared/text-blocks";

interface Props {
  api: WorkbenchApi;
  project: ProjectOverview;
  articleId: string;
  coders: string[];
  onBack(): void;
  onProject(project: ProjectOverview): void;
}

const KIND_TEXT: Record<CurationItem["kind"], string> = {
  same: "agreed",
  label: "different label",
  boundary: "different boundaries",
  "label-boundary": "different label and boundaries",
  "only-a": "only A",
  "only-b": "only B",
  code: "document code",
};

const DECISION_TEXT: Record<CurationItem["decision"], string> = {
  undecided: "not decided",
  a: "took A",
  b: "took B",
  edited: "edited",
  rejected: "rejected",
};

function Context({ text, a, b }: { text: string; a?: StoredAnnotation; b?: StoredAnnotation }) {
  const spans = [a, b].filter((s): s is StoredAnnotation => s !== undefined);
  if (spans.length === 0) return null;
  const from = Math.max(0, Math.min(...spans.map((s) => s.start)) - 60);
  const to = Math.max(...spans.map((s) => s.end)) + 60;
  // Cut points where a span starts or ends; each piece is marked by the sides it belongs to.
  const cuts = [...new Set([from, to, ...spans.flatMap((s) => [s.start, s.end])])]
    .filter((c) => c >= from && c <= to)
    .sort((x, y) => x - y);
  return (
    <p className="curation__context">
      {from > 0 && "…"}
      {cuts.slice(0, -1).map((start, i) => {
        const end = cuts[i + 1] as number;
        const inA = a !== undefined && a.start <= start && end <= a.end;
        const inB = b !== undefined && b.start <= start && end <= b.end;
        const piece = sliceCodePoints(text, start, end);
        if (!inA && !inB) return <span key={start}>{piece}</span>;
        return (
          <mark key={start} className={`curation__mark${inA ? " in-a" : ""}${inB ? " in-b" : ""}`}>
            {piece}
          </mark>
        );
      })}
      …
    </p>
  );
}

function Side({
  who,
  coder,
  span,
  code,
  labels,
}: {
  who: "A" | "B";
  coder: string;
  span?: StoredAnnotation;
  code?: unknown;
  labels: Label[];
}) {
  const label = span ? labels.find((l) => l.id === span.label) : undefined;
  return (
    <div className={`curation__side side-${who.toLowerCase()}`}>
      <span className="curation__who">
        {who} · {coder}
      </span>
      {span ? (
        <>
          <span
            className="label-chip"
            style={{ ["--label-color" as string]: label?.color ?? "#888" }}
          >
            {label?.name ?? span.label}
          </span>
          <q>{span.quote}</q>
          <span className="muted">
            {span.start}–{span.end}
            {span.value ? ` · ${span.value}` : ""}
            {span.polarity ? ` · ${span.polarity}` : ""}
            {span.target ? ` · ${span.target}` : ""}
          </span>
        </>
      ) : code !== undefined ? (
        <b>{Array.isArray(code) ? code.join(", ") : String(code)}</b>
      ) : (
        <span className="muted">nothing here</span>
      )}
    </div>
  );
}

/** The curation view of one article for two coders. */
export function CurationView({ api, project, articleId, coders, onBack, onProject }: Props) {
  const [article, setArticle] = useState<ArticleView | null>(null);
  const [pair, setPair] = useState<[string, string]>([coders[0] ?? "", coders[1] ?? ""]);
  const [index, setIndex] = useState(0);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const labels = project.codebook?.labels ?? [];
  const variables = (project.codebook?.documentVariables ?? []).map((v) => v.id);

  const reload = useCallback(async () => {
    const result = await api.getArticle({ articleId });
    if (result.ok) setArticle(result.value);
    else setError(result.error.message);
    return result.ok ? result.value : null;
  }, [api, articleId]);

  const items = useMemo(() => {
    if (!article) return [];
    const layer = (coder: string) => article.coders.find((c) => c.coder === coder);
    const a = layer(pair[0]);
    const b = layer(pair[1]);
    const gold = layer(GOLD_CODER);
    return curationItems(
      { annotations: a?.annotations ?? [], codes: a?.codes ?? {} },
      { annotations: b?.annotations ?? [], codes: b?.codes ?? {} },
      gold
        ? {
            annotations: gold.annotations,
            codes: gold.codes,
            ...(gold.rejected ? { rejected: gold.rejected } : {}),
          }
        : null,
      variables,
    );
  }, [article, pair, variables]);
  const open = items.filter((item) => item.kind !== "same");
  const agreed = items.length - open.length;
  const decided = open.filter((item) => item.decision !== "undecided").length;
  const goldLayer = article?.coders.find((c) => c.coder === GOLD_CODER);

  const save = useCallback(
    async (changes: Omit<CodingChanges, "articleId" | "layer">) => {
      const result = await api.saveCoding({ articleId, layer: "gold", ...changes });
      if (!result.ok) {
        setError(result.error.message);
        return false;
      }
      setError(null);
      await reload();
      return true;
    },
    [api, articleId, reload],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  // Agreed spans and codes go into the gold layer as soon as the article opens.
  useEffect(() => {
    const { upsert, codes } = agreedChanges(items);
    if (upsert.length > 0 || Object.keys(codes).length > 0) void save({ upsert, codes });
  }, [items, save]);

  const decide = async (item: CurationItem, choice: "a" | "b" | "reject" | Label) => {
    const remove = item.gold ? [item.gold.id] : [];
    if (item.kind === "code" && item.variable !== undefined) {
      if (choice === "reject") await save({ codes: { [item.variable]: null }, reject: [item.key] });
      else if (choice === "a" || choice === "b") {
        const value = choice === "a" ? item.codeA : item.codeB;
        await save({ codes: { [item.variable]: value ?? null }, unreject: [item.key] });
      }
      return;
    }
    if (choice === "reject") await save({ remove, reject: [item.key] });
    else if (choice === "a" && item.a)
      await save({ remove, upsert: [toGold(item.a)], unreject: [item.key] });
    else if (choice === "b" && item.b)
      await save({ remove, upsert: [toGold(item.b)], unreject: [item.key] });
    else if (typeof choice === "object") {
      const base = item.a ?? item.b;
      if (base) await save({ remove, upsert: [toGold(base, choice)], unreject: [item.key] });
    } else return;
    // On to the next open decision.
    const at = open.indexOf(item);
    const next = open.findIndex((other, i) => i > at && other.decision === "undecided");
    setIndex(next >= 0 ? next : at);
  };

  const current = open[index];
  const onKeyDown = (event: globalThis.KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target?.closest("input, select, textarea, dialog")) return;
    if (editing) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      void save({ status: "done" });
    } else if (key === "arrowdown" || key === "j") {
      event.preventDefault();
      setIndex((i) => Math.min(open.length - 1, i + 1));
    } else if (key === "arrowup" || key === "k") {
      event.preventDefault();
      setIndex((i) => Math.max(0, i - 1));
    } else if (!current || event.ctrlKey || event.metaKey || event.altKey) return;
    else if (key === "a") void decide(current, "a");
    else if (key === "b") void decide(current, "b");
    else if (key === "r") void decide(current, "reject");
    else if (key === "e" && current.kind !== "code") setEditing(true);
    else if (key === "escape") onBack();
    else return;
    event.preventDefault();
  };

  // The keys work wherever the focus is in the view, except in form fields.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent) => keyHandler.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const currentKey = current?.key;
  useEffect(() => {
    if (currentKey === undefined) return;
    list.current
      ?.querySelector<HTMLElement>(`[data-key="${CSS.escape(currentKey)}"]`)
      ?.scrollIntoView({ block: "nearest" });
  }, [currentKey]);

  const others = article?.coders.map((c) => c.coder).filter((c) => c !== GOLD_CODER) ?? [];
  return (
    <section className="curation" aria-label="Adjudication">
      <header className="curation__head">
        <button type="button" className="ghost" onClick={onBack}>
          ← Agreement
        </button>
        <h2>{article?.meta.title ?? articleId}</h2>
        <label>
          A
          <select
            aria-label="Coder A"
            value={pair[0]}
            onChange={(e) => setPair([e.target.value, pair[1]])}
          >
            {others.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          B
          <select
            aria-label="Coder B"
            value={pair[1]}
            onChange={(e) => setPair([pair[0], e.target.value])}
          >
            {others.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <span className="curation__progress" role="status">
          {agreed} agreed in gold · {decided} of {open.length} disagreements decided
          {goldLayer?.status === "done" ? " · gold done" : ""}
        </span>
        <button
          type="button"
          className="primary"
          disabled={!isComplete(items)}
          onClick={async () => {
            if (await save({ status: "done" })) {
              const project = await api.getProject();
              if (project.ok && project.value) onProject(project.value);
            }
          }}
          title="Ctrl+Enter"
        >
          Gold done
        </button>
      </header>
      <p className="muted curation__keys">
        <kbd>A</kbd> take A · <kbd>B</kbd> take B · <kbd>E</kbd> other label · <kbd>R</kbd> reject ·{" "}
        <kbd>↑</kbd>/<kbd>↓</kbd> move · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> gold done · <kbd>Esc</kbd>{" "}
        back
      </p>
      {error && (
        <p className="warn" role="alert">
          {error}
        </p>
      )}
      {article && open.length === 0 && (
        <p>The coders agree on everything in this article; it is all in the gold layer.</p>
      )}
      <ol ref={list} className="curation__list" aria-label="Disagreements">
        {open.map((item, i) => (
          <li
            key={item.key}
            aria-current={i === index ? "true" : undefined}
            data-key={item.key}
            className={`curation__item decision-${item.decision}`}
          >
            <div className="curation__meta">
              <span className="curation__kind">
                {item.kind === "code" ? `code: ${item.variable}` : KIND_TEXT[item.kind]}
              </span>
              <span className="curation__decision">{DECISION_TEXT[item.decision]}</span>
            </div>
            {article && item.kind !== "code" && (
              <Context
                text={article.text}
                {...(item.a ? { a: item.a } : {})}
                {...(item.b ? { b: item.b } : {})}
              />
            )}
            <div className="curation__sides">
              <Side
                who="A"
                coder={pair[0]}
                labels={labels}
                {...(item.a ? { span: item.a } : {})}
                code={item.codeA}
              />
              <Side
                who="B"
                coder={pair[1]}
                labels={labels}
                {...(item.b ? { span: item.b } : {})}
                code={item.codeB}
              />
            </div>
            {
              <div className="curation__actions">
                <button
                  type="button"
                  onClick={() => void decide(item, "a")}
                  disabled={!item.a && item.codeA === undefined}
                >
                  Take A
                </button>
                <button
                  type="button"
                  onClick={() => void decide(item, "b")}
                  disabled={!item.b && item.codeB === undefined}
                >
                  Take B
                </button>
                {item.kind !== "code" &&
                  (editing && i === index ? (
                    <select
                      // biome-ignore lint/a11y/noAutofocus: the label choice opens on E and takes the keys
                      autoFocus
                      aria-label="Label for the gold span"
                      defaultValue=""
                      onKeyDown={(e) => {
                        if (e.key === "Escape") {
                          e.stopPropagation();
                          setEditing(false);
                        }
                      }}
                      onChange={async (e) => {
                        const label = labels.find((l) => l.id === e.target.value);
                        setEditing(false);
                        if (label) await decide(item, label);
                      }}
                    >
                      <option value="" disabled>
                        Choose a label…
                      </option>
                      {labels.map((l) => (
                        <option key={l.id} value={l.id}>
                          {l.name} ({l.id})
                        </option>
                      ))}
                    </select>
                  ) : (
                    <button
                      type="button"
                      onClick={() => {
                        setIndex(i);
                        setEditing(true);
                      }}
                    >
                      Other label…
                    </button>
                  ))}
                <button type="button" onClick={() => void decide(item, "reject")}>
                  Reject
                </button>
              </div>
            }
          </li>
        ))}
      </ol>
    </section>
  );
}
