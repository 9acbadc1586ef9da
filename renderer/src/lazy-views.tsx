/**
 * Views most sessions never open, loaded on first use so that the first
 * bundle holds only what shows an article: the agreement dashboard (recharts)
 * and curation, the export and git dialogs, the codebook editor, and the date
 * reader behind suggested date values (chrono). `preloadViews` fetches them
 * once the article is on screen, so opening one rarely waits.
 */
import { lazy, type ReactNode, Suspense, useState } from "react";

const loaders = {
  agreement: () => import("./components/AgreementView"),
  export: () => import("./components/ExportDialog"),
  git: () => import("./components/GitDialog"),
  codebook: () => import("./components/CodebookEditor"),
  dates: () => import("./date-suggestion"),
};

/** The agreement dashboard and curation (lazy). */
export const AgreementView = lazy(() =>
  loaders.agreement().then((m) => ({ default: m.AgreementView })),
);
/** The export dialog (lazy). */
export const ExportDialog = lazy(() => loaders.export().then((m) => ({ default: m.ExportDialog })));
/** The git dialog (lazy). */
export const GitDialog = lazy(() => loaders.git().then((m) => ({ default: m.GitDialog })));
/** The codebook editor (lazy). */
export const CodebookEditor = lazy(() =>
  loaders.codebook().then((m) => ({ default: m.CodebookEditor })),
);

/** The date reader that suggests a new date annotation's value (loaded on first use). */
export function loadDateSuggestion(): Promise<typeof import("./date-suggestion").suggestDateValue> {
  return loaders.dates().then((m) => m.suggestDateValue);
}

/** Starts loading every lazy view in the background. */
export function preloadViews(): void {
  for (const load of Object.values(loaders)) void load().catch(() => undefined);
}

/**
 * Renders `children` (a lazy view) from the first time `when` is true on, and
 * keeps it mounted afterwards, so a dialog keeps its state between openings
 * as it did when it was always mounted.
 */
export function MountWhen({ when, children }: { when: boolean; children: ReactNode }) {
  const [mounted, setMounted] = useState(when);
  if (when && !mounted) setMounted(true);
  return mounted || when ? <Suspense fallback={null}>{children}</Suspense> : null;
}
