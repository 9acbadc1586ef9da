/**
 * The export dialog: format, scope (every coder, one coder, the gold layer;
 * all articles, the open one, or those marked done), train/validation/test
 * splits, the format's options and the folder. While it runs a progress bar
 * moves; afterwards it shows the loss report (what the format could not hold)
 * and opens the folder.
 */
import { useEffect, useId, useRef, useState } from "react";
import type {
  AppMode,
  DatasetExportInput,
  ProjectOverview,
  WorkbenchApi,
} from "../../../shared/api";
import {
  type ExportFormatId,
  exportFormatIds,
  formatInfo,
} from "../../../shared/dataset/format-list";
import type { DatasetExportSummary } from "../../../shared/dataset/summaries";
import type { LabelKind } from "../../../shared/project-files";
import { Modal } from "./Modal";

interface Props {
  api: WorkbenchApi;
  open: boolean;
  project: ProjectOverview;
  mode: AppMode;
  articleId: string | null;
  onClose(): void;
}

type Who = "all" | "coder" | "gold";
type Which = "all" | "open" | "done";

function defaultFolder(project: ProjectOverview, format: ExportFormatId): string {
  const parent = project.path.replace(/[\\/][^\\/]*$/, "");
  const name = project.path.slice(parent.length + 1) || "project";
  const separator = project.path.includes("\\") ? "\\" : "/";
  return `${parent}${separator}${name}-export${separator}${format}`;
}

/** Modal export dialog with progress and the loss report. */
export function ExportDialog({ api, open, project, mode, articleId, onClose }: Props) {
  const ids = useId();
  const coders = [...new Set(project.articles.flatMap((a) => a.coders.map((c) => c.coder)))]
    .filter((c) => c !== "gold")
    .sort();
  const hasGold = project.articles.some((a) => a.coders.some((c) => c.coder === "gold"));
  const variables = project.codebook?.documentVariables ?? [];
  const [format, setFormat] = useState<ExportFormatId>("jsonl");
  const [who, setWho] = useState<Who>("all");
  const [coder, setCoder] = useState(coders[0] ?? "");
  const [which, setWhich] = useState<Which>("all");
  const [split, setSplit] = useState(false);
  const [ratios, setRatios] = useState("80/10/10");
  const [seed, setSeed] = useState("1");
  const [stratify, setStratify] = useState("");
  const [scheme, setScheme] = useState<"iob1" | "iob2" | "bioes">("iob2");
  const [kinds, setKinds] = useState<LabelKind[]>(["entity", "date"]);
  const [excel, setExcel] = useState(false);
  const [folder, setFolder] = useState(defaultFolder(project, "jsonl"));
  const [folderEdited, setFolderEdited] = useState(false);
  const [running, setRunning] = useState<{ done: number; total: number; phase: string } | null>(
    null,
  );
  const [summary, setSummary] = useState<DatasetExportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!folderEdited) setFolder(defaultFolder(project, format));
  }, [project, format, folderEdited]);
  useEffect(() => {
    if (open) {
      setSummary(null);
      setError(null);
    }
  }, [open]);

  const uses = formatInfo[format].uses;

  async function run() {
    setError(null);
    setSummary(null);
    const [train = 0, validation = 0, test = 0] = ratios.split("/").map(Number);
    const input: DatasetExportInput = {
      format,
      out: folder,
      scope: {
        ...(who === "coder" ? { annotator: coder } : who === "gold" ? { annotator: "gold" } : {}),
        ...(which === "open" && articleId ? { articles: [articleId] } : {}),
        ...(which === "done" ? { doneOnly: true } : {}),
      },
      ...(split
        ? {
            split: {
              ratios: [train, validation, test],
              seed: Number(seed),
              ...(stratify ? { stratifyBy: stratify } : {}),
            },
          }
        : {}),
      ...(uses.scheme ? { scheme } : {}),
      ...(uses.tagKinds ? { tagKinds: kinds } : {}),
      ...(uses.excelBom ? { excelBom: excel } : {}),
    };
    setRunning({ done: 0, total: 1, phase: "reading" });
    const poll = window.setInterval(async () => {
      const progress = await api.getExportProgress();
      if (progress.ok && progress.value) setRunning(progress.value);
    }, 150);
    const result = await api.exportDataset(input);
    window.clearInterval(poll);
    setRunning(null);
    if (result.ok) setSummary(result.value);
    else setError(result.error.message);
  }

  async function chooseFolder() {
    const result = await api.chooseExportFolder();
    if (result.ok && result.value) {
      setFolder(result.value);
      setFolderEdited(true);
    }
  }

  const toggleKind = (kind: LabelKind, on: boolean) =>
    setKinds((current) =>
      on ? [...new Set([...current, kind])] : current.filter((k) => k !== kind),
    );

  return (
    <Modal open={open} title="Export dataset" className="export-dialog" onClose={onClose}>
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormatId)}>
            {exportFormatIds.map((id) => (
              <option key={id} value={id}>
                {formatInfo[id].name}
              </option>
            ))}
          </select>
          <small className="muted">{formatInfo[format].description}</small>
        </label>

        <fieldset>
          <legend>Whose annotations</legend>
          <label>
            <input
              type="radio"
              name={`${ids}-who`}
              checked={who === "all"}
              onChange={() => setWho("all")}
            />
            Every coder (one document per coder)
          </label>
          <label>
            <input
              type="radio"
              name={`${ids}-who`}
              checked={who === "coder"}
              disabled={coders.length === 0}
              onChange={() => setWho("coder")}
            />
            One coder
            <select
              aria-label="Coder"
              value={coder}
              disabled={who !== "coder"}
              onChange={(e) => setCoder(e.target.value)}
            >
              {coders.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="radio"
              name={`${ids}-who`}
              checked={who === "gold"}
              disabled={!hasGold}
              onChange={() => setWho("gold")}
            />
            Gold layer{hasGold ? "" : " (none yet)"}
          </label>
        </fieldset>

        <fieldset>
          <legend>Which articles</legend>
          <label>
            <input
              type="radio"
              name={`${ids}-which`}
              checked={which === "all"}
              onChange={() => setWhich("all")}
            />
            All {project.articles.length}
          </label>
          <label>
            <input
              type="radio"
              name={`${ids}-which`}
              checked={which === "open"}
              disabled={!articleId}
              onChange={() => setWhich("open")}
            />
            The open article
          </label>
          <label>
            <input
              type="radio"
              name={`${ids}-which`}
              checked={which === "done"}
              onChange={() => setWhich("done")}
            />
            Only those marked done
          </label>
        </fieldset>

        <fieldset>
          <legend>
            <label>
              <input type="checkbox" checked={split} onChange={(e) => setSplit(e.target.checked)} />
              Split into train / validation / test
            </label>
          </legend>
          {split && (
            <div className="export-split">
              <label className="field">
                <span>Percentages</span>
                <input
                  value={ratios}
                  onChange={(e) => setRatios(e.target.value)}
                  pattern="\d+(\.\d+)?/\d+(\.\d+)?(/\d+(\.\d+)?)?"
                  required
                />
              </label>
              <label className="field">
                <span>Seed</span>
                <input
                  type="number"
                  step={1}
                  value={seed}
                  onChange={(e) => setSeed(e.target.value)}
                  required
                />
              </label>
              <label className="field">
                <span>Stratify by</span>
                <select value={stratify} onChange={(e) => setStratify(e.target.value)}>
                  <option value="">(nothing)</option>
                  {variables.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
        </fieldset>

        {(uses.scheme || uses.tagKinds || uses.excelBom) && (
          <fieldset>
            <legend>Options</legend>
            {uses.scheme && (
              <label className="field">
                <span>Tagging scheme</span>
                <select value={scheme} onChange={(e) => setScheme(e.target.value as typeof scheme)}>
                  <option value="iob2">IOB2 (B- starts every span)</option>
                  <option value="iob1">IOB1 (CoNLL-2003 original)</option>
                  <option value="bioes">BIOES</option>
                </select>
              </label>
            )}
            {uses.tagKinds && (
              <fieldset className="export-kinds">
                <legend>Span kinds as token tags</legend>
                {(["entity", "date", "stance"] as const).map((kind) => (
                  <label key={kind}>
                    <input
                      type="checkbox"
                      checked={kinds.includes(kind)}
                      onChange={(e) => toggleKind(kind, e.target.checked)}
                    />
                    {kind} spans as tags
                  </label>
                ))}
              </fieldset>
            )}
            {uses.excelBom && (
              <label>
                <input
                  type="checkbox"
                  checked={excel}
                  onChange={(e) => setExcel(e.target.checked)}
                />
                For Excel (UTF-8 with byte-order mark)
              </label>
            )}
          </fieldset>
        )}

        <label className="field">
          <span>Folder</span>
          <span className="export-folder">
            <input
              value={folder}
              onChange={(e) => {
                setFolder(e.target.value);
                setFolderEdited(true);
              }}
              required
              spellCheck={false}
            />
            {mode === "desktop" && (
              <button type="button" onClick={() => void chooseFolder()}>
                Choose…
              </button>
            )}
          </span>
        </label>

        <div className="export-actions">
          <button
            type="submit"
            className="primary"
            disabled={running !== null || (uses.tagKinds === true && kinds.length === 0)}
          >
            Export
          </button>
          {running && (
            <span className="export-progress" role="status" aria-live="polite">
              {running.phase === "reading" ? "Reading articles" : "Writing files"} {running.done} of{" "}
              {running.total}
              <progress
                value={running.done}
                max={Math.max(1, running.total)}
                aria-label="Export progress"
              />
            </span>
          )}
        </div>
      </form>

      {error && (
        <p className="export-error" role="alert">
          {error}
        </p>
      )}
      {summary && <ExportResult api={api} summary={summary} />}
    </Modal>
  );
}

function ExportResult({ api, summary }: { api: WorkbenchApi; summary: DatasetExportSummary }) {
  const [opened, setOpened] = useState<string | null>(null);
  const { report } = summary;
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    // Braces matter: Chromium's scrollIntoView may return a promise, which React would call as a cleanup.
    section.current?.scrollIntoView({ block: "nearest" });
  }, []);
  return (
    <section ref={section} className="export-result" aria-label="Export result" tabIndex={-1}>
      <h3>
        Exported {report.documents} document{report.documents === 1 ? "" : "s"} with {report.spans}{" "}
        span
        {report.spans === 1 ? "" : "s"} as {report.format}
      </h3>
      <p className="muted">
        {summary.files.length} files, {(summary.bytes / 1e6).toFixed(2)} MB in {summary.out}
        {summary.parts.length > 1
          ? ` (${summary.parts.map((p) => `${p.name} ${p.documents}`).join(", ")})`
          : ""}
      </p>
      {report.items.length === 0 ? (
        <p className="export-lossless">
          Nothing was lost: this format holds every span, attribute and code.
        </p>
      ) : (
        <>
          <h4>Not carried by this format</h4>
          <ul className="loss-list">
            {report.items.map((item) => (
              <li key={item.code}>
                <b>{item.count}</b> {item.description}
                {item.examples.length > 0 && (
                  <ul>
                    {item.examples.map((example) => (
                      <li key={example} className="muted">
                        {example}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <button
        type="button"
        onClick={async () => {
          const result = await api.openExportFolder({ path: summary.out });
          setOpened(result.ok ? "Opened in your file manager." : result.error.message);
        }}
      >
        Open folder
      </button>
      {opened && <span className="muted"> {opened}</span>}
    </section>
  );
}
