/**
 * The agreement dashboard: the numbers a methods section needs for the chosen
 * coders (span F1, unitized α per label, κ/α on matched labels and document
 * codes, each with its bootstrap interval), charts per label and per article,
 * the double-coding sample with each coder's progress, and a way into
 * adjudication: clicking an article opens the coders' spans side by side.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { AgreementReport, Estimate } from "../../../shared/agreement/report-types";
import type { ProjectOverview, WorkbenchApi } from "../../../shared/api";
import { GOLD_CODER } from "../../../shared/project-files";
import { CurationView } from "./CurationView";

interface Props {
  api: WorkbenchApi;
  project: ProjectOverview;
  onClose(): void;
  onProject(project: ProjectOverview): void;
}

function fmt(value: number | null): string {
  return value === null ? "–" : value.toFixed(3);
}

/** An estimate as text with its interval. */
export function EstimateText({ estimate }: { estimate: Estimate | null }) {
  if (!estimate || estimate.value === null) return <span className="muted">–</span>;
  return (
    <span className="estimate">
      <b>{fmt(estimate.value)}</b>
      {estimate.low !== null && estimate.high !== null && (
        <span className="muted">
          {" "}
          [{fmt(estimate.low)}, {fmt(estimate.high)}]
        </span>
      )}
    </span>
  );
}

function errorOf(e: Estimate): [number, number] | undefined {
  if (e.value === null || e.low === null || e.high === null) return undefined;
  return [Math.max(0, e.value - e.low), Math.max(0, e.high - e.value)];
}

function DoubleCoding({ api, project, onProject }: Pick<Props, "api" | "project" | "onProject">) {
  const sample = project.doubleCoding;
  const [percent, setPercent] = useState(String(sample?.percent ?? 20));
  const [seed, setSeed] = useState(String(sample?.seed ?? 1));
  const [error, setError] = useState<string | null>(null);
  const coders = [...new Set(project.articles.flatMap((a) => a.coders.map((c) => c.coder)))]
    .filter((c) => c !== GOLD_CODER)
    .sort();
  const sampled = project.articles.filter((a) => sample?.articles.includes(a.id));
  const done = (coder: string) =>
    sampled.filter((a) => a.coders.some((c) => c.coder === coder && c.status === "done")).length;
  const allDone = sampled.filter((a) =>
    coders.every((coder) => a.coders.some((c) => c.coder === coder && c.status === "done")),
  ).length;
  return (
    <section className="agreement__panel" aria-label="Double coding">
      <h3>Double coding</h3>
      <form
        className="double-coding__form"
        onSubmit={async (e) => {
          e.preventDefault();
          const result = await api.setDoubleCoding({
            percent: Number(percent),
            seed: Number(seed),
          });
          if (result.ok) {
            setError(null);
            onProject(result.value);
          } else setError(result.error.message);
        }}
      >
        <label>
          Sample
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            aria-label="Sample percent"
          />
          %
        </label>
        <label>
          Seed
          <input
            type="number"
            step={1}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            aria-label="Sample seed"
          />
        </label>
        <button type="submit">{sample ? "Draw again" : "Draw sample"}</button>
        {error && <span className="warn">{error}</span>}
      </form>
      {sample ? (
        <>
          <p className="muted">
            {sample.articles.length} article{sample.articles.length === 1 ? "" : "s"} (
            {sample.percent} %, seed {sample.seed}) for every coder; {allDone} done by all.
          </p>
          <details className="double-coding__articles">
            <summary>Progress per article</summary>
            <table className="agreement__table">
              <thead>
                <tr>
                  <th scope="col">Article</th>
                  {coders.map((coder) => (
                    <th key={coder} scope="col">
                      {coder}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sampled.map((article) => (
                  <tr key={article.id}>
                    <th scope="row">{article.title}</th>
                    {coders.map((coder) => {
                      const status =
                        article.coders.find((c) => c.coder === coder)?.status ?? "not-started";
                      return <td key={coder}>{status.replace("-", " ")}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <ul className="double-coding__coders">
            {coders.map((coder) => (
              <li key={coder}>
                <span>{coder}</span>
                <progress
                  value={done(coder)}
                  max={Math.max(1, sampled.length)}
                  aria-label={`${coder}'s progress`}
                />
                <span className="muted">
                  {done(coder)} / {sampled.length}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">
          No sample yet: draw one so that every coder codes the same articles.
        </p>
      )}
    </section>
  );
}

/** The dashboard, or the curation view of one article when one is open. */
export function AgreementView({ api, project, onClose, onProject }: Props) {
  const allCoders = useMemo(
    () =>
      [...new Set(project.articles.flatMap((a) => a.coders.map((c) => c.coder)))]
        .filter((c) => c !== GOLD_CODER)
        .sort(),
    [project],
  );
  const [coders, setCoders] = useState<string[]>(allCoders);
  const [report, setReport] = useState<AgreementReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [curating, setCurating] = useState<{ articleId: string; coders: string[] } | null>(null);

  const load = useCallback(async () => {
    if (coders.length < 2) {
      setReport(null);
      setError("Choose at least two coders.");
      return;
    }
    setLoading(true);
    const result = await api.getAgreement({ coders });
    setLoading(false);
    if (result.ok) {
      setReport(result.value);
      setError(null);
    } else setError(result.error.message);
  }, [api, coders]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !curating && !(event.target as HTMLElement).closest("dialog"))
        onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose, curating]);

  if (curating) {
    return (
      <CurationView
        api={api}
        project={project}
        articleId={curating.articleId}
        coders={curating.coders}
        onBack={() => {
          setCurating(null);
          void load();
        }}
        onProject={onProject}
      />
    );
  }

  const labelData = (report?.perLabel ?? []).map((l) => ({
    label: l.label,
    α_U: l.alphaU.value,
    "α_U error": errorOf(l.alphaU),
    "F1 exact": l.f1Exact.value,
    "F1 exact error": errorOf(l.f1Exact),
    "F1 overlap": l.f1Overlap.value,
    "F1 overlap error": errorOf(l.f1Overlap),
  }));
  const worst = [...(report?.perArticle ?? [])]
    .sort((a, b) => b.disagreements - a.disagreements)
    .slice(0, 15);

  return (
    <section className="agreement" aria-label="Agreement">
      <header className="agreement__head">
        <h2>Agreement</h2>
        <fieldset className="agreement__coders">
          <legend>Coders</legend>
          {allCoders.map((coder) => (
            <label key={coder}>
              <input
                type="checkbox"
                checked={coders.includes(coder)}
                onChange={(e) =>
                  setCoders((current) =>
                    e.target.checked
                      ? [...current, coder].sort()
                      : current.filter((c) => c !== coder),
                  )
                }
              />
              {coder}
            </label>
          ))}
        </fieldset>
        {loading && (
          <span className="muted" role="status">
            Computing…
          </span>
        )}
        <button
          type="button"
          className="ghost"
          onClick={onClose}
          title="Back to the articles (Esc)"
        >
          Back to articles
        </button>
      </header>
      {error && (
        <p className="warn" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div className="agreement__body">
          <p className="muted">
            {report.articles} article{report.articles === 1 ? "" : "s"} coded by at least two of{" "}
            {report.coders.join(", ")}. Intervals: 95 % bootstrap over articles ({report.bootstrap}{" "}
            resamples, seed {report.seed}). Definitions in docs/agreement.md.
          </p>
          <dl className="agreement__cards">
            <div>
              <dt>Span F1, exact</dt>
              <dd data-testid="f1-exact">
                <EstimateText estimate={report.spans.f1Exact} />
              </dd>
            </div>
            <div>
              <dt>Span F1, overlap</dt>
              <dd>
                <EstimateText estimate={report.spans.f1Overlap} />
              </dd>
            </div>
            <div>
              <dt>α on span labels</dt>
              <dd>
                <EstimateText estimate={report.spans.labelAlpha} />
              </dd>
            </div>
            <div>
              <dt>Stance polarity α (ordinal)</dt>
              <dd>
                <EstimateText estimate={report.stance.polarity} />
              </dd>
            </div>
          </dl>
          <DoubleCoding api={api} project={project} onProject={onProject} />
          <section className="agreement__panel" aria-label="Per label">
            <h3>Per label</h3>
            <div
              className="agreement__chart"
              role="img"
              aria-label="Bar chart of α_U and F1 per label"
            >
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={labelData} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" />
                  <YAxis domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} />
                  <Tooltip
                    formatter={(value) =>
                      typeof value === "number" ? value.toFixed(3) : String(value)
                    }
                  />
                  <Legend />
                  <Bar dataKey="α_U" fill="#2f5fd0" isAnimationActive={false}>
                    <ErrorBar dataKey="α_U error" width={4} stroke="#1d1e20" />
                  </Bar>
                  <Bar dataKey="F1 exact" fill="#17734c" isAnimationActive={false}>
                    <ErrorBar dataKey="F1 exact error" width={4} stroke="#1d1e20" />
                  </Bar>
                  <Bar dataKey="F1 overlap" fill="#a4480b" isAnimationActive={false}>
                    <ErrorBar dataKey="F1 overlap error" width={4} stroke="#1d1e20" />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <table className="agreement__table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Spans</th>
                  <th scope="col">α_U</th>
                  <th scope="col">F1 exact</th>
                  <th scope="col">F1 overlap</th>
                </tr>
              </thead>
              <tbody>
                {report.perLabel.map((l) => (
                  <tr key={l.label}>
                    <th scope="row">
                      {l.name} <span className="muted">({l.label})</span>
                    </th>
                    <td>{l.spans}</td>
                    <td>
                      <EstimateText estimate={l.alphaU} />
                    </td>
                    <td>
                      <EstimateText estimate={l.f1Exact} />
                    </td>
                    <td>
                      <EstimateText estimate={l.f1Overlap} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {report.codes.length > 0 && (
            <section className="agreement__panel" aria-label="Document codes">
              <h3>Document codes</h3>
              <table className="agreement__table">
                <thead>
                  <tr>
                    <th scope="col">Variable</th>
                    <th scope="col">Articles</th>
                    <th scope="col">Agreement</th>
                    <th scope="col">Cohen's κ</th>
                    <th scope="col">Fleiss' κ</th>
                    <th scope="col">α</th>
                  </tr>
                </thead>
                <tbody>
                  {report.codes.map((c) => (
                    <tr key={c.variable}>
                      <th scope="row">{c.name}</th>
                      <td>{c.units}</td>
                      <td>
                        <EstimateText estimate={c.percent} />
                      </td>
                      <td>
                        <EstimateText estimate={c.cohen} />
                      </td>
                      <td>
                        <EstimateText estimate={c.fleiss} />
                      </td>
                      <td>
                        <EstimateText estimate={c.alpha} /> <span className="muted">{c.level}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {report.pairs.length > 1 && (
            <section className="agreement__panel" aria-label="Coder pairs">
              <h3>Coder pairs</h3>
              <table className="agreement__table">
                <thead>
                  <tr>
                    <th scope="col">Coders</th>
                    <th scope="col">Articles</th>
                    <th scope="col">F1 exact</th>
                    <th scope="col">F1 overlap</th>
                    <th scope="col">κ on labels</th>
                  </tr>
                </thead>
                <tbody>
                  {report.pairs.map((p) => (
                    <tr key={`${p.a}|${p.b}`}>
                      <th scope="row">
                        {p.a} × {p.b}
                      </th>
                      <td>{p.articles}</td>
                      <td>
                        <EstimateText estimate={p.f1Exact} />
                      </td>
                      <td>
                        <EstimateText estimate={p.f1Overlap} />
                      </td>
                      <td>
                        <EstimateText estimate={p.labelKappa} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section className="agreement__panel" aria-label="Per article">
            <h3>Per article: disagreements to adjudicate</h3>
            {worst.length > 1 && (
              <div
                className="agreement__chart"
                role="img"
                aria-label="Bar chart of disagreements per article"
              >
                <ResponsiveContainer width="100%" height={Math.max(120, worst.length * 26)}>
                  <BarChart
                    data={worst.map((a) => ({
                      title: a.title.slice(0, 40),
                      disagreements: a.disagreements,
                    }))}
                    layout="vertical"
                    margin={{ left: 16, right: 16 }}
                  >
                    <XAxis type="number" allowDecimals={false} />
                    <YAxis type="category" dataKey="title" width={260} />
                    <Tooltip />
                    <Bar dataKey="disagreements" fill="#a4480b" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            )}
            <table className="agreement__table">
              <thead>
                <tr>
                  <th scope="col">Article</th>
                  <th scope="col">Coders</th>
                  <th scope="col">F1 exact</th>
                  <th scope="col">F1 overlap</th>
                  <th scope="col">Disagreements</th>
                  <th scope="col">
                    <span className="sr-only">Adjudicate</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...report.perArticle]
                  .sort((a, b) => b.disagreements - a.disagreements)
                  .map((a) => (
                    <tr key={a.id}>
                      <th scope="row">{a.title}</th>
                      <td>{a.coders.join(", ")}</td>
                      <td>{fmt(a.f1Exact)}</td>
                      <td>{fmt(a.f1Overlap)}</td>
                      <td>{a.disagreements}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() =>
                            setCurating({ articleId: a.id, coders: a.coders.slice(0, 2) })
                          }
                        >
                          Adjudicate
                        </button>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </section>
  );
}
