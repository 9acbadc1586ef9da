/**
 * Results of a search across all article texts, shown in place of the article
 * list: each hit with its context; click or Enter opens the article at the hit.
 */
import type { SearchResults as Results, SearchHit } from "../../../shared/api";

interface Props {
  results: Results;
  onOpenHit(hit: SearchHit): void;
  onClose(): void;
}

/** Left-hand panel listing search hits. */
export function SearchResults({ results, onOpenHit, onClose }: Props) {
  return (
    <nav className="article-list search-results" aria-label="Search results">
      <div className="article-list__head">
        <div className="article-list__title">
          <h2>
            Search <span className="count">{results.totalHits}</span>
          </h2>
          <button type="button" className="ghost" onClick={onClose}>
            Back to articles
          </button>
        </div>
        <p className="muted search-results__summary" role="status">
          {results.totalHits === 0
            ? `No article contains “${results.query}”.`
            : `“${results.query}” in ${results.articlesWithHits} article${results.articlesWithHits === 1 ? "" : "s"}${
                results.truncated ? `; the first ${results.hits.length} hits are shown` : ""
              }.`}
        </p>
      </div>
      <ul className="search-results__items">
        {results.hits.map((hit, index) => {
          const newArticle = index === 0 || results.hits[index - 1]?.articleId !== hit.articleId;
          return (
            <li key={`${hit.articleId}:${hit.start}`}>
              {newArticle && (
                <h3 className="search-results__article">{hit.title || hit.articleId}</h3>
              )}
              <button type="button" className="search-hit" onClick={() => onOpenHit(hit)}>
                <span className="muted">{hit.before}</span>
                <mark>{hit.match}</mark>
                <span className="muted">{hit.after}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
