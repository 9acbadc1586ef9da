/**
 * The workbench shell: project header, article list, the article, the
 * annotation pane and the status bar. It talks to the back end only through
 * the `WorkbenchBridge` it is given, so tests can hand it any transport.
 */
import {
  Suspense,
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type {
  AnnotationInput,
  AppInfo,
  ArticleView,
  ImportResult,
  MenuCommand,
  ProjectOverview,
  RecentProject,
  SearchHit,
  SearchResults as SearchResultsData,
  WorkbenchBridge,
} from "../../shared/api";
import { describeDatasetImport } from "../../shared/dataset/summaries";
import { IMPORTABLE_EXTENSIONS } from "../../shared/import-formats";
import type { MergeConflict, StoredAnnotation } from "../../shared/project-files";
import type { CleanupProposal } from "../../shared/scrape-cleanup";
import { slugify } from "../../shared/text-article";
import { sliceCodePoints } from "../../shared/text-blocks";
import { AnnotationPane } from "./components/AnnotationPane";
import { ArticleList, type ArticleListHandle } from "./components/ArticleList";
import {
  ArticleReader,
  type ArticleReaderHandle,
  newAnnotationId,
} from "./components/ArticleReader";
import { CleanupDialog } from "./components/CleanupDialog";
import { CoderDialog } from "./components/CoderDialog";
import { ConflictDialog, type ConflictGroup } from "./components/ConflictDialog";
import { ImportReportDialog } from "./components/ImportReportDialog";
import { NeedsToken } from "./components/NeedsToken";
import { ProblemsDialog } from "./components/ProblemsDialog";
import { RepairDialog } from "./components/RepairDialog";
import { SearchResults } from "./components/SearchResults";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { StatusBar } from "./components/StatusBar";
import { WelcomeScreen } from "./components/WelcomeScreen";
import { datasetCandidates, readImportFiles } from "./files";
import { formatDate } from "./format-date";
import { applyLabelColors } from "./label-styles";
import {
  AgreementView,
  ExportDialog,
  GitDialog,
  loadDateSuggestion,
  MountWhen,
  preloadViews,
} from "./lazy-views";
import { articleFromAddress, type Opening, startOpening } from "./opening";
import { useCoding } from "./use-coding";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** The whole app; `opening` holds the first requests if the entry already sent them. */
export function App({ api, opening }: { api: WorkbenchBridge; opening?: Opening }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [project, setProject] = useState<ProjectOverview | null>(null);
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [unauthorized, setUnauthorized] = useState<string | null>(null);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [articleId, setArticleId] = useState<string | null>(null);
  const [article, setArticle] = useState<ArticleView | null>(null);
  const [coder, setCoder] = useState<string | null>(null);
  const [paneOpen, setPaneOpen] = useState(true);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [importReport, setImportReport] = useState<ImportResult["report"] | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  const [agreementOpen, setAgreementOpen] = useState(false);
  const [gitOpen, setGitOpen] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const [repairCoder, setRepairCoder] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [searchQuery, setSearchQuery] = useState("");
  const [searchResults, setSearchResults] = useState<SearchResultsData | null>(null);
  const [cleanup, setCleanup] = useState<CleanupProposal[] | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number; file: string } | null>(
    null,
  );
  const pendingReveal = useRef<{ articleId: string; start: number; end: number } | null>(null);
  const reader = useRef<ArticleReaderHandle>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  // Snapping selections to whole words is on unless the coder turned it off on this machine.
  const [snapWords, setSnapWords] = useState(
    () => window.localStorage.getItem("tagwerk-snap-words") !== "off",
  );
  useEffect(
    () => window.localStorage.setItem("tagwerk-snap-words", snapWords ? "on" : "off"),
    [snapWords],
  );
  const finishRef = useRef<() => Promise<void>>(async () => undefined);
  const meRef = useRef<string | null>(null);
  const list = useRef<ArticleListHandle>(null);

  const showProject = useCallback((next: ProjectOverview) => {
    setProject(next);
    setError(null);
    applyLabelColors(document, next.codebook?.labels ?? []);
    document.title = `${next.name} — Tagwerk`;
    setArticleId((current) => {
      const wanted = current ?? articleFromAddress(window.location.hash);
      return wanted && next.articles.some((a) => a.id === wanted)
        ? wanted
        : (next.articles[0]?.id ?? null);
    });
  }, []);

  // The open article is kept in the address (#article=…), so a reload comes back to it.
  useEffect(() => {
    if (!articleId) return;
    const url = new URL(window.location.href);
    url.hash = `article=${encodeURIComponent(articleId)}`;
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }, [articleId]);

  const showArticle = useCallback((next: ArticleView, me: string | null) => {
    setArticle(next);
    setMessage(null);
    setCoder((c) =>
      c && (c === me || next.coders.some((x) => x.coder === c))
        ? c
        : (me ?? next.coders[0]?.coder ?? null),
    );
  }, []);

  // The article shown together with the project (named in the address), not fetched again.
  const shownWithProject = useRef<string | null>(null);
  const firstRequests = useRef(opening);
  useEffect(() => {
    const requests = firstRequests.current ?? startOpening(api, window.location.hash);
    firstRequests.current = undefined;
    const addressed = articleFromAddress(window.location.hash);
    const early = addressed ? requests.takeArticle(addressed) : null;
    void (async () => {
      const [infoResult, projectResult, recentResult, articleResult] = await Promise.all([
        requests.info,
        requests.project,
        requests.recent,
        early,
      ]);
      if (infoResult.ok) setInfo(infoResult.value);
      else if (infoResult.error.code === "unauthorized") setUnauthorized(infoResult.error.message);
      else setError(infoResult.error.message);
      if (recentResult.ok) setRecent(recentResult.value);
      if (projectResult.ok && projectResult.value) {
        showProject(projectResult.value);
        // One render (and one paint) for the workbench and its article, not the frame first.
        const ready = articleResult?.ok ? articleResult.value : null;
        if (ready && projectResult.value.articles.some((a) => a.id === ready.meta.id)) {
          shownWithProject.current = ready.meta.id;
          showArticle(ready, infoResult.ok ? infoResult.value.coder : null);
        }
      } else if (!projectResult.ok) setError(projectResult.error.message);
      setLoaded(true);
    })();
  }, [api, showProject, showArticle]);

  useEffect(() => {
    if (!articleId) {
      setArticle(null);
      return;
    }
    if (shownWithProject.current === articleId) {
      shownWithProject.current = null;
      return;
    }
    let current = true;
    const request = opening?.takeArticle(articleId) ?? api.getArticle({ articleId });
    void request.then((result) => {
      if (!current) return;
      if (result.ok) showArticle(result.value, meRef.current);
      else {
        setArticle(null);
        setMessage(result.error.message);
      }
    });
    return () => {
      current = false;
    };
  }, [api, articleId, opening, showArticle]);

  const openPath = useCallback(
    async (path: string) => {
      const result = await api.openProject({ path });
      if (result.ok) showProject(result.value);
      else setError(result.error.message);
    },
    [api, showProject],
  );

  const createAt = useCallback(
    async (path: string) => {
      const result = await api.createProject({ path });
      if (result.ok) showProject(result.value);
      else setError(result.error.message);
    },
    [api, showProject],
  );

  // Rebuilds the reader from disk (after a pull or a decided conflict changed the files).
  const reloadArticle = useCallback(async () => {
    const project = await api.getProject();
    if (project.ok && project.value) showProject(project.value);
    const id = articleId;
    setArticle(null);
    if (id) {
      const fresh = await api.getArticle({ articleId: id });
      if (fresh.ok) setArticle(fresh.value);
    }
  }, [api, articleId, showProject]);

  // Merge conflicts waiting for a decision: in the open article's files, the codebook and the registry.
  const conflictGroups: ConflictGroup[] = [
    ...(article?.coders ?? [])
      .filter((c) => (c.conflicts ?? []).length > 0)
      .map((layer) => ({
        id: `coding:${layer.coder}`,
        title: `${layer.coder}'s annotations`,
        conflicts: layer.conflicts ?? [],
        decide: async (conflict: MergeConflict, choice: "ours" | "theirs") => {
          if (!article) return;
          const result = await api.resolveConflict({
            articleId: article.meta.id,
            coder: layer.coder,
            kind: conflict.kind,
            key: conflict.key,
            choice,
          });
          if (result.ok) await reloadArticle();
          else setMessage(result.error.message);
        },
      })),
    ...(
      [
        ["codebook.json", "The codebook", project?.codebook?.conflicts ?? []],
        ["entities.json", "The entity registry", project?.registryConflicts ?? []],
      ] as const
    )
      .filter(([, , conflicts]) => conflicts.length > 0)
      .map(([file, title, conflicts]) => ({
        id: file,
        title,
        conflicts: [...conflicts],
        decide: async (conflict: MergeConflict, choice: "ours" | "theirs") => {
          const result = await api.resolveProjectConflict({
            file,
            kind: conflict.kind,
            key: conflict.key,
            choice,
          });
          if (result.ok) showProject(result.value);
          else setMessage(result.error.message);
        },
      })),
  ];
  const projectConflicts =
    (project?.codebook?.conflicts?.length ?? 0) + (project?.registryConflicts?.length ?? 0);

  const choose = useCallback(async () => {
    const result = await api.chooseProject();
    if (result.ok) showProject(result.value);
    else if (result.error.code !== "cancelled") setError(result.error.message);
  }, [api, showProject]);

  const showImport = useCallback(
    (result: ImportResult) => {
      showProject(result.project);
      setImportReport(result.report);
      const first = result.report.imported[0];
      if (first) setArticleId(first.articleId);
    },
    [showProject],
  );

  // One request per file, so the progress bar moves and one bad file cannot take the others down.
  const importFiles = useCallback(
    async (files: Iterable<File>) => {
      let list = [...files];
      if (list.length === 0) return;
      const merged: ImportResult["report"] = { imported: [], skipped: [], warnings: [] };
      let last: ImportResult | null = null;
      // Annotation datasets (brat pairs, .qdpx, CoNLL, Label Studio, doccano, JSONL) go in one request.
      const candidates = datasetCandidates(list);
      if (candidates.length > 0) {
        setProgress({
          done: 0,
          total: list.length,
          file: candidates.map((f) => f.name).join(", "),
        });
        const result = await api.importDataset({ files: await readImportFiles(candidates) });
        if (result.ok) {
          const report = describeDatasetImport(result.value.summary);
          merged.imported.push(...report.imported);
          merged.warnings.push(...report.warnings);
          last = { report, project: result.value.project };
          list = list.filter((file) => !candidates.includes(file));
        } else if (result.error.code !== "unsupported") {
          for (const file of candidates)
            merged.skipped.push({ file: file.name, reason: result.error.message });
          list = list.filter((file) => !candidates.includes(file));
        }
      }
      for (const [index, file] of list.entries()) {
        setProgress({ done: index, total: list.length, file: file.name });
        const payload = await readImportFiles([file]);
        const result = await api.importArticles({ files: payload });
        if (result.ok) {
          last = result.value;
          merged.imported.push(...result.value.report.imported);
          merged.skipped.push(...result.value.report.skipped);
          merged.warnings.push(...result.value.report.warnings);
        } else {
          merged.skipped.push({ file: file.name, reason: result.error.message });
        }
      }
      setProgress(null);
      if (last) showImport({ report: merged, project: last.project });
      else setImportReport(merged);
    },
    [api, showImport],
  );

  const startImport = useCallback(async () => {
    if (info?.mode !== "desktop") {
      fileInput.current?.click();
      return;
    }
    const result = await api.chooseAndImportArticles();
    if (result.ok) showImport(result.value);
    else if (result.error.code !== "cancelled") setMessage(result.error.message);
  }, [api, info, showImport]);

  const handleImport = useCallback(() => void startImport(), [startImport]);
  const handleDropFiles = useCallback((files: File[]) => void importFiles(files), [importFiles]);

  const runSearch = useCallback(async () => {
    const query = searchQuery.trim();
    if (query.length === 0) {
      setSearchResults(null);
      return;
    }
    const result = await api.searchArticles({ query });
    if (result.ok) setSearchResults(result.value);
    else setMessage(result.error.message);
  }, [api, searchQuery]);

  const openHit = useCallback(
    (hit: SearchHit) => {
      if (hit.articleId === articleId) reader.current?.reveal(hit.start, hit.end);
      else {
        pendingReveal.current = { articleId: hit.articleId, start: hit.start, end: hit.end };
        setArticleId(hit.articleId);
      }
    },
    [articleId],
  );

  const previewCleanup = useCallback(async () => {
    if (!articleId) return;
    const result = await api.previewCleanup({ articleId });
    if (result.ok) setCleanup(result.value);
    else setMessage(result.error.message);
  }, [api, articleId]);

  const applyCleanup = useCallback(
    async (accepted: CleanupProposal[]) => {
      if (!articleId) return;
      setCleanup(null);
      const result = await api.applyCleanup({
        articleId,
        accepted: accepted.map(({ start, end }) => ({ start, end })),
      });
      if (!result.ok) {
        setMessage(result.error.message);
        return;
      }
      setArticle(result.value.article);
      const orphaned = result.value.coders.reduce((n, c) => n + c.orphaned, 0);
      setMessage(
        `Removed ${accepted.length} block${accepted.length === 1 ? "" : "s"}; ${
          orphaned === 0
            ? "all annotations moved with the text"
            : `${orphaned} annotation(s) wait for review`
        }.`,
      );
      const refreshed = await api.getProject();
      if (refreshed.ok && refreshed.value) showProject(refreshed.value);
    },
    [api, articleId, showProject],
  );

  const stepArticle = useCallback(
    (delta: number) => {
      if (!project || project.articles.length === 0) return;
      const index = project.articles.findIndex((a) => a.id === articleId);
      const next =
        project.articles[Math.max(0, Math.min(project.articles.length - 1, index + delta))];
      if (next) setArticleId(next.id);
    },
    [project, articleId],
  );

  const runCommand = useCallback(
    (command: MenuCommand) => {
      if (command === "import-articles") void startImport();
      else if (command === "export-dataset") setExportOpen(true);
      else if (command === "show-agreement") setAgreementOpen((open) => !open);
      else if (command === "finish-article") void finishRef.current();
      else if (command === "next-article") stepArticle(1);
      else if (command === "previous-article") stepArticle(-1);
      else if (command === "toggle-pane") setPaneOpen((open) => !open);
      else if (command === "find-article") list.current?.focusFilter();
      else if (command === "show-shortcuts") setShortcutsOpen(true);
      else if (command === "show-about")
        setMessage(
          info
            ? `Tagwerk ${info.version} (${info.mode === "desktop" ? "desktop" : "browser mode"})`
            : null,
        );
    },
    [stepArticle, info, startImport],
  );

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === "project-opened") showProject(event.project);
        else if (event.type === "articles-imported") showImport(event.result);
        else runCommand(event.command);
      }),
    [api, runCommand, showProject, showImport],
  );

  useEffect(() => {
    // In the desktop app the native menu owns these accelerators; in the browser the page does.
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (event.altKey && event.key === "ArrowDown") runCommand("next-article");
      else if (event.altKey && event.key === "ArrowUp") runCommand("previous-article");
      else if (mod && event.key === "\\") runCommand("toggle-pane");
      else if (mod && event.key.toLowerCase() === "p") runCommand("find-article");
      else if (mod && event.shiftKey && event.key.toLowerCase() === "e")
        runCommand("export-dataset");
      else if (mod && event.key.toLowerCase() === "e") reader.current?.focus();
      else if (mod && event.key.toLowerCase() === "i") runCommand("import-articles");
      else if (mod && event.key === "Enter") runCommand("finish-article");
      else if (mod && event.shiftKey && event.key.toLowerCase() === "f") {
        searchBox.current?.focus();
        searchBox.current?.select();
      } else if (event.key === "F1" || (event.key === "?" && !isTyping(event.target)))
        runCommand("show-shortcuts");
      else return;
      event.preventDefault();
    };
    if (info?.mode === "desktop") {
      // Menu accelerators arrive as events; keep only the keys the menu lacks.
      const onDesktopKey = (event: KeyboardEvent) => {
        if (
          (event.key === "?" && !isTyping(event.target)) ||
          ((event.ctrlKey || event.metaKey) && event.key === "e")
        )
          onKey(event);
      };
      window.addEventListener("keydown", onDesktopKey);
      return () => window.removeEventListener("keydown", onDesktopKey);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [runCommand, info]);

  const me = info?.coder ?? null;
  meRef.current = me;
  const codebook = project?.codebook ?? null;
  const defaults = useCallback(
    (input: AnnotationInput): Partial<AnnotationInput> | Promise<Partial<AnnotationInput>> => {
      if (input.kind === "stance" && codebook?.stanceTargets.length === 1) {
        return { target: codebook.stanceTargets[0]?.id ?? "" };
      }
      if (input.kind === "date" && article) {
        const quote = sliceCodePoints(article.text, input.start, input.end);
        const { language, date } = article.meta;
        return loadDateSuggestion().then((suggest) => {
          const value = suggest(quote, language, date);
          return value ? { value } : {};
        });
      }
      return {};
    },
    [codebook, article],
  );
  const coding = useCoding(api, article, me, codebook, defaults, setMessage);
  const layers = useMemo(() => {
    const others = (article?.coders ?? []).filter((c) => c.coder !== me);
    return coding.layer ? [coding.layer, ...others] : others;
  }, [article, me, coding.layer]);
  // The editor is seeded once per article and layer; later changes come from the editor itself.
  // The coder's own layer is used once useCoding has it for this article (it holds this session's edits).
  const ownLayerReady =
    coder === me &&
    coding.layer !== null &&
    coding.layerArticle === `${article?.meta.id}@${article?.meta.textHash}`;
  // Mount the editor once, with the right layer: the own layer only once useCoding has it.
  const readerReady = coder !== me || me === null || ownLayerReady;
  const seedSource = ownLayerReady ? coding.layer : article?.coders.find((c) => c.coder === coder);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reseeding on every save would rebuild the editor and lose its undo history
  const seed = useMemo(
    () => seedSource?.annotations ?? [],
    [article?.meta.id, article?.meta.textHash, coder, ownLayerReady],
  );
  // Once an article is on screen, fetch the views loaded on first use in the background.
  const preloaded = useRef(false);
  useEffect(() => {
    if (!article || preloaded.current) return;
    preloaded.current = true;
    const idle = window.requestIdleCallback ?? ((task: () => void) => window.setTimeout(task, 200));
    idle(() => preloadViews());
  }, [article]);
  // Runs after the reader's own effect has put the new article into the editor (child effects run first).
  useEffect(() => {
    const reveal = pendingReveal.current;
    if (article && readerReady && reveal && reveal.articleId === article.meta.id) {
      pendingReveal.current = null;
      reader.current?.reveal(reveal.start, reveal.end);
    }
  }, [article, readerReady]);

  // The card of the active annotation follows in the background: the text's own update comes first.
  const showActive = useCallback((id: string | null) => startTransition(() => setActiveId(id)), []);
  const reveal = useCallback(
    (a: StoredAnnotation) => {
      if (coder === me) reader.current?.activate(a.id);
      else reader.current?.reveal(a.start, a.end);
    },
    [coder, me],
  );
  const registerEntity = useCallback(
    async (source: StoredAnnotation) => {
      if (!project) return;
      const base = slugify(source.quote) || "entity";
      let id = base;
      for (let n = 2; project.entities.some((e) => e.id === id); n++) id = `${base}-${n}`;
      const result = await api.saveEntity({
        entity: { id, name: source.quote, label: source.label, aliases: [] },
      });
      if (!result.ok) {
        setMessage(result.error.message);
        return;
      }
      setProject({ ...project, entities: result.value });
      coding.updateAttributes(source.id, { entity: id });
      setMessage(`“${source.quote}” is now in the entity registry as ${id}.`);
    },
    [api, project, coding],
  );

  const finishArticle = useCallback(async () => {
    coding.setStatus("done");
    await coding.flushed();
    stepArticle(1);
  }, [coding, stepArticle]);
  finishRef.current = finishArticle;

  if (!loaded) return <div className="loading" aria-busy="true" />;
  if (unauthorized) {
    return (
      <div className="app is-welcome">
        <NeedsToken message={unauthorized} />
        <StatusBar info={null} project={null} article={null} coder={null} message={null} />
      </div>
    );
  }
  if (!project) {
    return (
      <div className="app is-welcome">
        <WelcomeScreen
          mode={info?.mode ?? "browser"}
          recent={recent}
          error={error}
          onOpenPath={(p) => void openPath(p)}
          onCreate={(p) => void createAt(p)}
          onChoose={() => void choose()}
        />
        <StatusBar info={info} project={null} article={null} coder={null} message={message} />
      </div>
    );
  }

  return (
    <div className={`app${paneOpen ? "" : " pane-hidden"}`}>
      <header className="project-header">
        <span className="brand" aria-hidden="true">
          <img className="brand__mark" src="./favicon.svg" alt="" width={20} height={20} />
          Tagwerk
        </span>
        <div className="project-header__name">
          <h1>{project.name}</h1>
          {project.description && <span className="muted">{project.description}</span>}
        </div>
        <form
          className="project-search"
          onSubmit={(e) => {
            e.preventDefault();
            void runSearch();
          }}
        >
          <input
            ref={searchBox}
            type="search"
            placeholder="Search all texts (Ctrl+Shift+F)"
            aria-label="Search all article texts"
            value={searchQuery}
            onChange={(e) => {
              setSearchQuery(e.target.value);
              if (e.target.value === "") setSearchResults(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                setSearchQuery("");
                setSearchResults(null);
              }
            }}
          />
        </form>
        <div className="project-header__facts">
          <span>{project.articles.length} articles</span>
          <span>
            {project.codebook ? `${project.codebook.labels.length} labels` : "no codebook"}
          </span>
          {projectConflicts > 0 && (
            <button type="button" className="ghost warn" onClick={() => setConflictsOpen(true)}>
              {projectConflicts} merge conflict{projectConflicts === 1 ? "" : "s"} in codebook or
              registry
            </button>
          )}
          {project.problems.length > 0 && (
            <button type="button" className="ghost warn" onClick={() => setProblemsOpen(true)}>
              {project.problems.length} unreadable file{project.problems.length === 1 ? "" : "s"}
            </button>
          )}
          <button
            type="button"
            className={agreementOpen ? "ghost active" : "ghost"}
            aria-pressed={agreementOpen}
            onClick={() => setAgreementOpen((open) => !open)}
            title="Agreement between coders and adjudication (Ctrl+Shift+G)"
          >
            Agreement
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => setGitOpen(true)}
            title="Commit, pull and push through git"
          >
            Git
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => setExportOpen(true)}
            title="Export a labelled dataset (Ctrl+Shift+E)"
          >
            Export…
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => setShortcutsOpen(true)}
            aria-label="Keyboard shortcuts"
          >
            ?
          </button>
        </div>
      </header>
      {agreementOpen ? (
        <Suspense fallback={null}>
          <AgreementView
            api={api}
            project={project}
            onClose={() => setAgreementOpen(false)}
            onProject={showProject}
          />
        </Suspense>
      ) : (
        <div className="workbench">
          {searchResults ? (
            <SearchResults
              results={searchResults}
              onOpenHit={openHit}
              onClose={() => {
                setSearchResults(null);
                setSearchQuery("");
              }}
            />
          ) : (
            <ArticleList
              ref={list}
              articles={project.articles}
              selectedId={articleId}
              onOpen={setArticleId}
              onImport={handleImport}
              onDropFiles={handleDropFiles}
              {...(project.doubleCoding ? { doubleCoded: project.doubleCoding.articles } : {})}
            />
          )}
          <main className="reader" aria-label="Article">
            {article ? (
              <article className="reader__article" lang={article.meta.language}>
                <header className="reader__head">
                  <p className="reader__source">
                    {article.meta.source || "Unknown source"}
                    {article.meta.date && (
                      <>
                        {" · "}
                        <time dateTime={article.meta.date}>{formatDate(article.meta.date)}</time>
                      </>
                    )}
                    <span className="lang-tag">{article.meta.language}</span>
                  </p>
                  <h2 className="reader__title">{article.meta.title || article.meta.id}</h2>
                  <div className="reader__tools">
                    <button type="button" className="ghost" onClick={() => void previewCleanup()}>
                      Clean up scraped text…
                    </button>
                    <label
                      className="snap-toggle"
                      title="Grow selections to whole words before tagging"
                    >
                      <input
                        type="checkbox"
                        checked={snapWords}
                        onChange={(e) => setSnapWords(e.target.checked)}
                      />
                      Snap to words
                    </label>
                    {me && coding.layer && (
                      <>
                        <span className={`status-badge status-${coding.layer.status}`}>
                          {me}: {coding.layer.status.replace("-", " ")}
                        </span>
                        {coding.layer.status === "done" ? (
                          <button
                            type="button"
                            className="ghost"
                            onClick={() => coding.setStatus("in-progress")}
                          >
                            Reopen
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="ghost"
                            onClick={() => void finishArticle()}
                            title="Ctrl+Enter"
                          >
                            Done, next article
                          </button>
                        )}
                      </>
                    )}
                  </div>
                  {article.problems
                    .filter(
                      (p) =>
                        /^coding\/[^/]+\/[^/]+\.json$/.test(p.file) &&
                        !p.message.includes("the article text changed"),
                    )
                    .map((p) => (
                      <p key={p.file} className="conflict-banner" role="alert">
                        {p.message}
                        <button
                          type="button"
                          onClick={() => setRepairCoder(p.file.replace(/^.*\/|\.json$/g, ""))}
                        >
                          Repair…
                        </button>
                      </p>
                    ))}
                  {article.coders.some((c) => (c.conflicts ?? []).length > 0) && (
                    <p className="conflict-banner" role="alert">
                      {article.coders.reduce((n, c) => n + (c.conflicts ?? []).length, 0)} merge
                      conflict(s) in this article wait for a decision.
                      <button type="button" onClick={() => setConflictsOpen(true)}>
                        Decide…
                      </button>
                    </p>
                  )}
                  {!article.textMatchesHash && (
                    <p className="warn" role="alert">
                      The text of this article changed since it was imported; offsets may be off.
                    </p>
                  )}
                </header>
                {readerReady && (
                  <ArticleReader
                    key={`${article.meta.id}/${coder ?? ""}`}
                    ref={reader}
                    text={article.text}
                    language={article.meta.language}
                    annotations={seed}
                    labels={codebook?.labels ?? []}
                    editableBy={coder !== null && coder === me ? me : null}
                    onChange={coding.saveSpans}
                    onActivate={showActive}
                    onHint={setMessage}
                    snapToWords={snapWords}
                  />
                )}
              </article>
            ) : (
              <div className="reader__empty">
                {message ??
                  (project.articles.length === 0
                    ? "This project has no articles yet."
                    : "Choose an article.")}
              </div>
            )}
          </main>
          {paneOpen && (
            <AnnotationPane
              article={article}
              codebook={project.codebook}
              layers={layers}
              coder={coder}
              me={me}
              activeId={activeId}
              onChooseCoder={setCoder}
              onReveal={reveal}
              onUpdate={(id, attributes) => coding.updateAttributes(id, attributes)}
              onRelabel={(id, label) => reader.current?.relabel(id, label)}
              onDelete={(id) => reader.current?.remove(id)}
              onSetCode={coding.setCode}
              entities={project.entities}
              onTagMentions={(source, mentions) => {
                if (!me) return;
                const spans = mentions.map((m) => ({
                  id: newAnnotationId(me),
                  label: source.label,
                  start: m.start,
                  end: m.end,
                }));
                for (const span of spans)
                  coding.remember(span.id, source.entity ? { entity: source.entity } : {});
                reader.current?.addMany(spans);
                setMessage(
                  `Tagged ${spans.length} more mention${spans.length === 1 ? "" : "s"} as ${source.label} (Ctrl+Z undoes).`,
                );
              }}
              onRegister={(source) => void registerEntity(source)}
              onSaveEntity={async (entity) => {
                const result = await api.saveEntity({ entity });
                if (!result.ok) return result.error.message;
                setProject((current) =>
                  current ? { ...current, entities: result.value } : current,
                );
                setMessage(`Saved ${entity.name} in the entity registry.`);
                return null;
              }}
              onSaveCodebook={async (next, relabel) => {
                const result = await api.saveCodebook({ codebook: next, relabel });
                if (!result.ok) return result.error.message;
                showProject(result.value.project);
                // Reload the article so the editor is rebuilt with the new labels.
                const id = articleId;
                setArticle(null);
                if (id) {
                  const fresh = await api.getArticle({ articleId: id });
                  if (fresh.ok) setArticle(fresh.value);
                }
                setMessage(
                  `Codebook version ${result.value.project.codebook?.version} saved; ${result.value.relabelled} annotation(s) relabelled in ${result.value.files} file(s).`,
                );
                return null;
              }}
            />
          )}
        </div>
      )}
      {progress && (
        <div className="import-progress" role="status" aria-live="polite">
          <span>
            Importing {progress.done + 1} of {progress.total}: {progress.file}
          </span>
          <progress value={progress.done} max={progress.total} aria-label="Import progress" />
        </div>
      )}
      <StatusBar info={info} project={project} article={article} coder={coder} message={message} />
      <CoderDialog
        open={loaded && info !== null && info.coder === null}
        onSave={async (name) => {
          const result = await api.setCoder({ name });
          if (result.ok) {
            setInfo(result.value);
            setCoder(result.value.coder);
          }
          return result.ok ? null : result.error.message;
        }}
      />
      <ShortcutsDialog
        open={shortcutsOpen}
        onClose={() => setShortcutsOpen(false)}
        labels={project.codebook?.labels ?? []}
      />
      <ImportReportDialog report={importReport} onClose={() => setImportReport(null)} />
      <MountWhen when={gitOpen}>
        <GitDialog
          api={api}
          open={gitOpen}
          project={project}
          onClose={() => setGitOpen(false)}
          onPulled={() => void reloadArticle()}
        />
      </MountWhen>
      {article && (
        <RepairDialog
          api={api}
          articleId={article.meta.id}
          coder={repairCoder}
          onClose={() => setRepairCoder(null)}
          onRepaired={() => {
            setRepairCoder(null);
            setMessage(
              "The annotation file is repaired; the broken one is kept beside it as .broken.",
            );
            void reloadArticle();
          }}
        />
      )}
      <ConflictDialog
        open={conflictsOpen}
        onClose={() => setConflictsOpen(false)}
        groups={conflictGroups}
      />
      {info && (
        <MountWhen when={exportOpen}>
          <ExportDialog
            api={api}
            open={exportOpen}
            project={project}
            mode={info.mode}
            articleId={articleId}
            onClose={() => setExportOpen(false)}
          />
        </MountWhen>
      )}
      <CleanupDialog
        proposals={cleanup}
        onApply={(a) => void applyCleanup(a)}
        onClose={() => setCleanup(null)}
      />
      <ProblemsDialog
        problems={project.problems}
        open={problemsOpen}
        onClose={() => setProblemsOpen(false)}
      />
      <input
        ref={fileInput}
        type="file"
        multiple
        accept={IMPORTABLE_EXTENSIONS.join(",")}
        hidden
        aria-label="Choose article files to import"
        data-testid="import-input"
        onChange={(e) => {
          const files = e.target.files ? [...e.target.files] : [];
          e.target.value = "";
          void importFiles(files);
        }}
      />
    </div>
  );
}
