/**
 * The project's articles with their metadata and who has coded them. A
 * listbox: arrow keys move, Enter opens, typing in the filter narrows it.
 */
import { forwardRef, memo, useImperativeHandle, useMemo, useRef, useState } from "react";
import type { ArticleSummary } from "../../../shared/api";
import { formatDate } from "../format-date";

const STATUS_NAMES = {
  "not-started": "not started",
  "in-progress": "in progress",
  done: "done",
} as const;

/** Lets the app focus the filter (Ctrl+P). */
export interface ArticleListHandle {
  focusFilter(): void;
}

interface Props {
  articles: ArticleSummary[];
  selectedId: string | null;
  onOpen(articleId: string): void;
  onImport(): void;
  onDropFiles(files: File[]): void;
  /** Articles in the double-coding sample (every coder codes them). */
  doubleCoded?: readonly string[];
}

function matches(article: ArticleSummary, query: string): boolean {
  const haystack =
    `${article.title} ${article.source} ${article.date ?? ""} ${article.language}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Left sidebar: filterable list of articles (re-rendered only when its props change, not on every tag). */
export const ArticleList = memo(
  forwardRef<ArticleListHandle, Props>(function ArticleList(
    { articles, selectedId, onOpen, onImport, onDropFiles, doubleCoded },
    ref,
  ) {
    const [query, setQuery] = useState("");
    const [dropping, setDropping] = useState(false);
    const filter = useRef<HTMLInputElement>(null);
    const list = useRef<HTMLDivElement>(null);
    const visible = useMemo(() => articles.filter((a) => matches(a, query)), [articles, query]);
    // One tab stop in the list: the open article, or the first visible one when it is filtered out.
    const tabStop = visible.some((a) => a.id === selectedId)
      ? selectedId
      : (visible[0]?.id ?? null);

    useImperativeHandle(ref, () => ({
      focusFilter() {
        filter.current?.focus();
        filter.current?.select();
      },
    }));

    const focusItem = (index: number) => {
      const items = list.current?.querySelectorAll<HTMLDivElement>("[role=option]");
      items?.[Math.max(0, Math.min(index, items.length - 1))]?.focus();
    };

    const handleListKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
      const items = [...(list.current?.querySelectorAll<HTMLDivElement>("[role=option]") ?? [])];
      const current = items.indexOf(document.activeElement as HTMLDivElement);
      if (event.key === "ArrowDown") focusItem(current + 1);
      else if (event.key === "ArrowUp") focusItem(current - 1);
      else if (event.key === "Home") focusItem(0);
      else if (event.key === "End") focusItem(items.length - 1);
      else if (event.key === "Enter" || event.key === " ") {
        const id = items[current]?.dataset.articleId;
        if (id) onOpen(id);
      } else return;
      event.preventDefault();
    };

    return (
      <nav
        className={`article-list${dropping ? " is-dropping" : ""}`}
        aria-label="Articles"
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          setDropping(true);
        }}
        onDragLeave={() => setDropping(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDropping(false);
          onDropFiles([...e.dataTransfer.files]);
        }}
      >
        <div className="article-list__head">
          <div className="article-list__title">
            <h2>
              Articles <span className="count">{articles.length}</span>
            </h2>
            <button
              type="button"
              className="ghost"
              onClick={onImport}
              title="Import articles: txt, md, html, docx, pdf, csv, jsonl (Ctrl+I); or drop files here"
            >
              Import…
            </button>
          </div>
          <input
            ref={filter}
            type="search"
            className="article-list__filter"
            placeholder="Filter by title, source, date…"
            aria-label="Filter articles"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                focusItem(0);
              } else if (e.key === "Enter" && visible[0]) {
                onOpen(visible[0].id);
              }
            }}
          />
        </div>
        <div
          ref={list}
          className="article-list__items"
          role="listbox"
          aria-label="Articles"
          onKeyDown={handleListKey}
        >
          {visible.map((article) => {
            const selected = article.id === selectedId;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keys (arrows, Home, End, Enter) for all options
              <div
                key={article.id}
                role="option"
                aria-selected={selected}
                tabIndex={article.id === tabStop ? 0 : -1}
                data-article-id={article.id}
                className={`article-item${selected ? " is-selected" : ""}`}
                onClick={() => onOpen(article.id)}
              >
                <span className="article-item__title">{article.title || article.id}</span>
                <span className="article-item__meta">
                  <span>{article.source || "unknown source"}</span>
                  <span aria-hidden="true">·</span>
                  <time dateTime={article.date}>{formatDate(article.date)}</time>
                  <span className="lang-tag">{article.language}</span>
                  {doubleCoded?.includes(article.id) && (
                    <span
                      className="double-tag"
                      title="In the double-coding sample: every coder codes it"
                    >
                      2×
                    </span>
                  )}
                </span>
                <span className="article-item__coders">
                  {article.coders.length === 0 ? (
                    <span className="coder-chip is-empty">not coded</span>
                  ) : (
                    article.coders.map((c) => (
                      <span
                        key={c.coder}
                        className={`coder-chip status-${c.status}`}
                        title={`${c.coder}: ${c.annotations} annotations, ${STATUS_NAMES[c.status]}`}
                      >
                        {c.coder} <b>{c.annotations}</b>
                        {c.status === "done" && " ✓"}
                      </span>
                    ))
                  )}
                </span>
              </div>
            );
          })}
          {visible.length === 0 && (
            <p className="article-list__empty">No article matches “{query}”.</p>
          )}
        </div>
      </nav>
    );
  }),
);
