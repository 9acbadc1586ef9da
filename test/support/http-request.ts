/**
 * Raw HTTP requests for the server tests. node:http rather than fetch, because
 * fetch refuses to set the Host header that DNS-rebinding tests need. Each
 * request gets its own connection, so a refused request cannot affect the next.
 */
import http from "node:http";
import { TOKEN_HEADER } from "../../electron/server/browser-server";

/** What came back. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Options of `request`. */
export interface RequestOptions {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  host?: string;
}

/** Sends one request to `host` (default 127.0.0.1) and reads the whole reply. */
export function request(options: RequestOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? "127.0.0.1",
        port: options.port,
        path: options.path,
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Headers of a well-formed API call. */
export function apiHeaders(token: string | undefined, extra: Record<string, string> = {}) {
  return {
    "content-type": "application/json",
    ...(token === undefined ? {} : { [TOKEN_HEADER]: token }),
    ...extra,
  };
}
