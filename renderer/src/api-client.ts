/**
 * The renderer's only way to reach the back end. In Electron the preload has
 * put the typed bridge on `window.workbench`; in browser mode the same methods
 * go over `POST /api/<method>` with the token from the page's address.
 */
import {
  type ApiInput,
  type ApiMethod,
  apiMethods,
  type WorkbenchApi,
  type WorkbenchBridge,
} from "../../shared/api";
import type { Result } from "../../shared/result";

declare global {
  interface Window {
    workbench?: WorkbenchBridge;
  }
}

const TOKEN_KEY = "tagwerk-token";

/**
 * Reads the token from `?token=` or from this tab's storage, and removes the
 * token (or a used one-time `?launch=` code, whose cookie now stands in for it)
 * from the address bar. `later` runs the storage write (a tab's first storage
 * access can take tens of milliseconds, which the page load need not wait for).
 */
export function takeToken(
  location: Location,
  history: History,
  storage: Storage,
  later: (task: () => void) => void = (task) => task(),
): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) later(() => storage.setItem(TOKEN_KEY, fromUrl));
  if (url.searchParams.has("token") || url.searchParams.has("launch")) {
    url.searchParams.delete("token");
    url.searchParams.delete("launch");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  return fromUrl ?? storage.getItem(TOKEN_KEY);
}

/** A bridge that speaks HTTP to `tagwerk serve`. */
export function createHttpBridge(
  token: string | null,
  fetchImpl: typeof fetch = fetch,
): WorkbenchBridge {
  async function call<M extends ApiMethod>(
    method: M,
    input?: ApiInput<M>,
  ): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await fetchImpl(`/api/${method}`, {
        method: "POST",
        // Without a token the server falls back to the cookie of a Tagwerk-opened window.
        headers: {
          "Content-Type": "application/json",
          ...(token ? { "X-Tagwerk-Token": token } : {}),
        },
        body: JSON.stringify({ input }),
      });
    } catch {
      return {
        ok: false,
        error: {
          code: "io-error",
          message: "Tagwerk's server is not reachable. Is `tagwerk serve` still running?",
        },
      };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        error: {
          code: "unauthorized",
          message:
            "This page has no valid access token. Open the address that `tagwerk serve` printed, token included.",
        },
      };
    }
    try {
      return (await response.json()) as Result<unknown>;
    } catch {
      return {
        ok: false,
        error: { code: "internal", message: `The server answered ${response.status}.` },
      };
    }
  }
  const api = Object.fromEntries(
    apiMethods.map((method) => [method, (input?: unknown) => call(method, input as never)]),
  ) as unknown as WorkbenchApi;
  return { ...api, onEvent: () => () => undefined };
}

/** The bridge for this page: Electron's preload when present, else HTTP. */
export function createApiClient(): WorkbenchBridge {
  if (window.workbench) return window.workbench;
  const later = (task: () => void) => window.setTimeout(task, 0);
  return createHttpBridge(takeToken(window.location, window.history, window.sessionStorage, later));
}
