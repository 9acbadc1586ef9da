/**
 * A loopback static server for the peer pages: the bundled pages from
 * `.cache/bench/peers/`, Label Studio's UMD build from node_modules, and the
 * workload documents as JSON, each with its proper content type.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** Content types by file extension (HTML must be text/html or Chromium downloads it). */
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

/** A running peer server. */
export interface PeerServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Makes a document available as `/data/<name>.json`. */
  setDocument(name: string, json: string): void;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 with a free port. `mounts` maps URL
 * prefixes (e.g. "/ls/") to folders; files outside a mount are never served.
 */
export async function startPeerServer(mounts: Record<string, string>): Promise<PeerServer> {
  const documents = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
      });
      res.end(body);
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const pathname = decodeURIComponent(url.pathname);
    const data = /^\/data\/([^/]+)\.json$/.exec(pathname);
    if (data) {
      const body = documents.get(data[1] as string);
      if (body) send(200, TYPES[".json"] as string, body);
      else send(404, "text/plain", "no such document");
      return;
    }
    const prefix = Object.keys(mounts)
      .filter((p) => pathname.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) {
      send(404, "text/plain", "not found");
      return;
    }
    const root = path.resolve(mounts[prefix] as string);
    const file = path.resolve(root, `.${path.sep}${pathname.slice(prefix.length)}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      send(403, "text/plain", "forbidden");
      return;
    }
    readFile(file).then(
      (body) => send(200, TYPES[path.extname(file)] ?? "application/octet-stream", body),
      () => send(404, "text/plain", "not found"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setDocument(name, json) {
      documents.set(name, Buffer.from(json));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
