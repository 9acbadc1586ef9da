import { mkdir, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkbenchHandlers } from "../../electron/api/workbench-handlers";
import {
  type BrowserServer,
  createToken,
  MAX_BODY_BYTES,
  startBrowserServer,
} from "../../electron/server/browser-server";
import { openAppSettings } from "../../electron/settings/app-settings";
import { CONTENT_SECURITY_POLICY } from "../../shared/csp";
import { apiHeaders, type Reply, request } from "../support/http-request";
import { copyExampleProject, makeTempDir, removeTempDirs } from "../support/temp-project";

const INDEX_HTML = "<!doctype html><title>Tagwerk</title><script src=/assets/app.js></script>";
const SECRET = "the contents of a file outside the static folder";

let server: BrowserServer;
let projectName: string;

beforeAll(async () => {
  const root = await makeTempDir("tagwerk-server-");
  const staticDir = path.join(root, "static");
  await mkdir(path.join(staticDir, "assets"), { recursive: true });
  await writeFile(path.join(staticDir, "index.html"), INDEX_HTML);
  await writeFile(path.join(staticDir, "assets", "app.js"), "console.log('tagwerk');");
  await writeFile(path.join(root, "secret.txt"), SECRET);

  const settings = await openAppSettings(path.join(root, "config"));
  const handlers = createWorkbenchHandlers({ mode: "browser", version: "1.0.0", settings });
  const { project } = await copyExampleProject();
  const opened = await handlers.openProject({ path: project });
  projectName = opened.ok ? opened.value.name : "(failed to open)";
  server = await startBrowserServer({ handlers, staticDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await removeTempDirs();
});

/** POST /api/getProject with `headers`; the body is a valid call. */
function callGetProject(headers: Record<string, string>): Promise<Reply> {
  return request({
    port: server.port,
    method: "POST",
    path: "/api/getProject",
    headers,
    body: "{}",
  });
}

describe("API calls", () => {
  it("answer with the project when the token is right", async () => {
    const reply = await callGetProject(apiHeaders(server.token));
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { name: projectName } });
  });

  it("are refused without a token (401) and with a wrong one (403)", async () => {
    expect((await callGetProject(apiHeaders(undefined))).status).toBe(401);
    expect((await callGetProject(apiHeaders(""))).status).toBe(401);
    expect((await callGetProject(apiHeaders(createToken()))).status).toBe(403);
    expect((await callGetProject(apiHeaders(`${server.token}x`))).status).toBe(403);
  });

  it("are refused under a foreign Host name even with the token (DNS rebinding)", async () => {
    const evil = await callGetProject(
      apiHeaders(server.token, { host: `evil.example:${server.port}` }),
    );
    expect(evil.status).toBe(421);
    const local = await callGetProject(
      apiHeaders(server.token, { host: `localhost:${server.port}` }),
    );
    expect(local.status).toBe(200);
  });

  it("are refused from a foreign Origin even with the token, and accepted from their own", async () => {
    const evil = await callGetProject(apiHeaders(server.token, { origin: "http://evil.example" }));
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain(projectName);
    const nullOrigin = await callGetProject(apiHeaders(server.token, { origin: "null" }));
    expect(nullOrigin.status).toBe(403);
    const own = await callGetProject(
      apiHeaders(server.token, { origin: `http://127.0.0.1:${server.port}` }),
    );
    expect(own.status).toBe(200);
  });

  it("must be POST with JSON no larger than MAX_BODY_BYTES", async () => {
    const port = server.port;
    const get = await request({ port, path: "/api/x", headers: apiHeaders(server.token) });
    expect(get.status).toBe(405);
    const text = await request({
      port,
      method: "POST",
      path: "/api/getProject",
      headers: apiHeaders(server.token, { "content-type": "text/plain" }),
      body: "{}",
    });
    expect(text.status).toBe(415);
    const huge = await request({
      port,
      method: "POST",
      path: "/api/getProject",
      headers: apiHeaders(server.token),
      body: Buffer.alloc(MAX_BODY_BYTES + 1, " "),
    });
    expect(huge.status).toBe(413);
  });

  it("come back as ok:false for unknown methods and bad arguments", async () => {
    const call = (method: string, body: string) =>
      request({
        port: server.port,
        method: "POST",
        path: `/api/${method}`,
        headers: apiHeaders(server.token),
        body,
      });
    expect(JSON.parse((await call("__proto__", "{}")).body)).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
    const traversal = await call(
      "getArticle",
      JSON.stringify({ input: { articleId: "../tagwerk" } }),
    );
    expect(JSON.parse(traversal.body)).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
    expect((await call("getProject", "{not json")).status).toBe(400);
  });
});

describe("the token check", () => {
  /** Starts a POST whose body is announced but never finished; resolves with the reply or "no reply". */
  function unfinishedCall(headers: Record<string, string>, waitMs: number) {
    const req = http.request({
      host: "127.0.0.1",
      port: server.port,
      method: "POST",
      path: "/api/getProject",
      headers: { ...headers, "content-length": "1000" },
      agent: false,
    });
    req.on("error", () => undefined);
    req.write('{"input":');
    const reply = new Promise<number | "no reply">((resolve) => {
      const timer = setTimeout(() => resolve("no reply"), waitMs);
      req.on("response", (res) => {
        clearTimeout(timer);
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
    return { req, reply };
  }

  it("refuses a call without a token before its body has arrived", async () => {
    const { req, reply } = unfinishedCall(apiHeaders(undefined), 5_000);
    expect(await reply).toBe(401);
    req.destroy();
  });

  it("with the right token, waits for the whole body (so the check above is meaningful)", async () => {
    const { req, reply } = unfinishedCall(apiHeaders(server.token), 300);
    expect(await reply).toBe("no reply");
    req.destroy();
  });
});

describe("static files", () => {
  it("serve index.html at / with the Content-Security-Policy", async () => {
    const reply = await request({ port: server.port, path: "/" });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/html/);
    expect(reply.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(reply.body).toBe(INDEX_HTML);
    const script = await request({ port: server.port, path: "/assets/app.js" });
    expect(script.headers["content-type"]).toMatch(/^text\/javascript/);
  });

  it.each([
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/does-not-exist.js",
  ])("answer 404 to %s and reveal nothing outside the folder", async (requested) => {
    const reply = await request({ port: server.port, path: requested });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain(SECRET);
    expect(reply.body).not.toContain("root:");
  });
});

describe("starting", () => {
  it("fails with a one-line hint when the port is taken", async () => {
    const second = startBrowserServer({
      handlers: createWorkbenchHandlers({
        mode: "browser",
        version: "1.0.0",
        settings: await openAppSettings(await makeTempDir()),
      }),
      staticDir: await makeTempDir(),
      port: server.port,
    });
    const error = await second.then(
      async (started) => {
        await started.close();
        return new Error("a second server started on the same port");
      },
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain("already in use");
    expect(error?.message).toContain("--port");
    expect(error?.message).not.toContain("\n");
  });

  it("listens on 127.0.0.1 only", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
      .map((a) => a?.address ?? "");
    if (process.platform === "linux") others.push("127.0.0.2");
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect(server.port, address);
        socket.on("connect", () => {
          socket.destroy();
          resolve("connected");
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
      expect(outcome, address).not.toBe("connected");
    }
  });

  it("makes a different long token each time", () => {
    const a = createToken();
    const b = createToken();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(b.length).toBeGreaterThanOrEqual(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
