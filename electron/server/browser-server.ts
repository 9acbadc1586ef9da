/**
 * Browser mode: the built renderer and the API handler table over HTTP, for
 * machines without an Electron binary and for the end-to-end tests.
 *
 * Threat model: any web page the user visits can send requests to loopback
 * ports, and DNS rebinding can make a foreign name resolve to 127.0.0.1. So the
 * server binds 127.0.0.1 only, answers only requests whose Host is the loopback
 * address (421 otherwise) and whose Origin, when sent, is its own (403), and
 * refuses every API call without the per-start random token (401/403) before
 * reading the body or doing anything else.
 *
 * The token travels in the `X-Tagwerk-Token` header (the page takes it from
 * `?token=` in the printed address) or in an HttpOnly, SameSite=Strict cookie.
 * The cookie is for windows that Tagwerk opens itself: their address carries a
 * one-time launch code instead of the token, because a browser's command line is
 * visible to every user of the machine (`ps`). Cookies ignore ports, so the
 * Origin check above is what keeps other local servers' pages out.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { WorkbenchApi } from "../../shared/api";
import { CONTENT_SECURITY_POLICY } from "../../shared/csp";
import { WorkbenchError } from "../../shared/result";
import { callApi } from "../api/workbench-handlers";

/** Header that carries the token on API calls. */
export const TOKEN_HEADER = "x-tagwerk-token";

/** How long a launch code stays valid. */
export const LAUNCH_CODE_TTL_MS = 60_000;

/** Largest API request body accepted (imports send whole files). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

/** Options of `startBrowserServer`. */
export interface BrowserServerOptions {
  handlers: WorkbenchApi;
  /** Folder with the built renderer (`index.html` and `assets/`). */
  staticDir: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Token to require; a fresh random one when omitted. */
  token?: string;
}

/** A running browser-mode server. */
export interface BrowserServer {
  port: number;
  token: string;
  /** The address to open, token included. */
  url: string;
  /**
   * A one-time address for a window Tagwerk opens itself: the code in it is
   * exchanged for the token as an HttpOnly cookie on first use and then expires.
   */
  createLaunchUrl(): string;
  close(): Promise<void>;
}

/** A fresh random token (256 bits, URL-safe). */
export function createToken(): string {
  return randomBytes(32).toString("base64url");
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(
  response: http.ServerResponse,
  status: number,
  body: string | Buffer,
  contentType = "text/plain; charset=utf-8",
): void {
  // After refusing a request whose body was not read, close the connection
  // rather than leave unread bytes on a keep-alive socket.
  if (status >= 400) response.shouldKeepAlive = false;
  response.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  });
  response.end(body);
}

function cookieName(port: number): string {
  return `tagwerk-token-${port}`;
}

/** The token from the request's cookie header, if any. */
function tokenFromCookie(header: string | undefined, port: number): string | undefined {
  const name = `${cookieName(port)}=`;
  for (const part of (header ?? "").split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(name)) return trimmed.slice(name.length);
  }
  return undefined;
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), "application/json; charset=utf-8");
}

/** Host names under which the server answers; anything else is a rebinding attempt. */
function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new WorkbenchError("invalid-input", "request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function handleApi(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  method: string,
  handlers: WorkbenchApi,
): Promise<void> {
  if (request.method !== "POST") {
    send(response, 405, "API calls must use POST");
    return;
  }
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    send(response, 415, "API calls must send application/json");
    return;
  }
  let input: unknown;
  try {
    const body = await readBody(request);
    const parsed: unknown = body.length === 0 ? {} : JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      send(response, 400, 'request body must be a JSON object such as {"input": …}');
      return;
    }
    input = (parsed as { input?: unknown }).input;
  } catch (error) {
    const tooLarge = error instanceof WorkbenchError;
    send(response, tooLarge ? 413 : 400, tooLarge ? error.message : "request body is not JSON");
    return;
  }
  try {
    sendJson(response, 200, await callApi(handlers, method, input));
  } catch (error) {
    console.error(`tagwerk serve: ${method} failed:`, error);
    sendJson(response, 500, {
      ok: false,
      error: {
        code: "internal",
        message: `Internal error in ${method}: ${(error as Error).message}`,
      },
    });
  }
}

async function handleStatic(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  pathname: string,
  staticDir: string,
  setCookie?: string,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, 405, "method not allowed");
    return;
  }
  const root = path.resolve(staticDir);
  let relative: string;
  try {
    relative = pathname === "/" ? "index.html" : decodeURIComponent(pathname.slice(1));
  } catch {
    send(response, 400, "bad request: malformed address");
    return;
  }
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) {
    send(response, 404, "not found");
    return;
  }
  try {
    const body = await readFile(file);
    if (setCookie) response.setHeader("Set-Cookie", setCookie);
    send(response, 200, body, CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream");
  } catch {
    send(response, 404, "not found");
  }
}

/** Starts the server on 127.0.0.1; rejects with a one-line message when the port is taken. */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? createToken();
  let hosts = allowedHosts(options.port);
  let origins = new Set<string>();
  let port = options.port;
  const launchCodes = new Map<string, number>();

  /** Consumes a launch code; true when it was valid and unexpired. */
  const consumeLaunchCode = (code: string | null): boolean => {
    if (!code) return false;
    const expires = launchCodes.get(code);
    launchCodes.delete(code);
    return expires !== undefined && expires > Date.now();
  };

  const server = http.createServer((request, response) => {
    const host = request.headers.host ?? "";
    if (!hosts.has(host)) {
      send(response, 421, "Misdirected request: Tagwerk answers only on 127.0.0.1");
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      send(response, 403, "Forbidden: cross-origin request");
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? "/", `http://${host}`);
    } catch {
      send(response, 400, "bad request");
      return;
    }
    const { pathname } = url;
    if (pathname.startsWith("/api/")) {
      const header = request.headers[TOKEN_HEADER];
      const given =
        typeof header === "string" && header.length > 0
          ? header
          : tokenFromCookie(request.headers.cookie, port);
      if (typeof given !== "string" || given.length === 0) {
        send(response, 401, "Unauthorized: missing token");
        return;
      }
      if (!tokensMatch(given, token)) {
        send(response, 403, "Forbidden: wrong token");
        return;
      }
      void handleApi(request, response, pathname.slice("/api/".length), options.handlers);
      return;
    }
    const launched = pathname === "/" && consumeLaunchCode(url.searchParams.get("launch"));
    const cookie = launched
      ? `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
      : undefined;
    void handleStatic(request, response, pathname, options.staticDir, cookie);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new WorkbenchError(
              "io-error",
              `port ${options.port} is already in use; choose another with --port N`,
            )
          : error.code === "EACCES"
            ? new WorkbenchError(
                "io-error",
                `port ${options.port} needs privileges; choose a port above 1023 with --port N`,
              )
            : error,
      );
    });
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  port = typeof address === "object" && address ? address.port : options.port;
  hosts = allowedHosts(port);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    createLaunchUrl() {
      const code = createToken();
      launchCodes.set(code, Date.now() + LAUNCH_CODE_TTL_MS);
      return `http://127.0.0.1:${port}/?launch=${code}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
