/**
 * Windows that Tagwerk opens itself get a one-time launch code instead of the
 * token (a browser's command line is visible to every user of the machine): the
 * code is exchanged once for an HttpOnly, SameSite=Strict cookie.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkbenchHandlers } from "../../electron/api/workbench-handlers";
import { type BrowserServer, startBrowserServer } from "../../electron/server/browser-server";
import { openAppSettings } from "../../electron/settings/app-settings";
import { apiHeaders, request } from "../support/http-request";
import { makeTempDir, REPO, removeTempDirs } from "../support/temp-project";

let server: BrowserServer;

beforeAll(async () => {
  const settings = await openAppSettings(await makeTempDir("tagwerk-launch-"));
  const handlers = createWorkbenchHandlers({ mode: "browser", version: "test", settings });
  server = await startBrowserServer({ handlers, staticDir: path.join(REPO, "renderer"), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await removeTempDirs();
});

/** POSTs to /api/getAppInfo with the given headers and body. */
function getAppInfo(headers: Record<string, string>, body: string) {
  return request({ port: server.port, path: "/api/getAppInfo", method: "POST", headers, body });
}

function cookieFrom(setCookie: string[] | undefined): string {
  return (setCookie?.[0] ?? "").split(";")[0] ?? "";
}

describe("launch codes", () => {
  it("never put the token into the launch address", () => {
    const url = server.createLaunchUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?launch=[\w-]{40,}$/);
    expect(url).not.toContain(server.token);
  });

  it("are exchanged once for an HttpOnly, SameSite=Strict cookie that opens the API", async () => {
    const launch = new URL(server.createLaunchUrl());
    const page = await request({ port: server.port, path: `/${launch.search}` });
    expect(page.status).toBe(200);
    const setCookie = page.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = cookieFrom(page.headers["set-cookie"]);
    const api = await getAppInfo(apiHeaders(undefined, { cookie }), "{}");
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, value: { mode: "browser" } });

    const again = await request({ port: server.port, path: `/${launch.search}` });
    expect(again.status).toBe(200);
    expect(again.headers["set-cookie"]).toBeUndefined();
  });

  it("do not help a made-up code or a page from another local origin", async () => {
    const made = await request({ port: server.port, path: "/?launch=guess" });
    expect(made.headers["set-cookie"]).toBeUndefined();
    const cookie = cookieFrom(
      (await request({ port: server.port, path: `/${new URL(server.createLaunchUrl()).search}` }))
        .headers["set-cookie"],
    );
    const foreign = await getAppInfo(
      apiHeaders(undefined, { cookie, origin: "http://127.0.0.1:9" }),
      "{}",
    );
    expect(foreign.status).toBe(403);
    const wrong = await getAppInfo(
      apiHeaders(undefined, { cookie: `tagwerk-token-${server.port}=nope` }),
      "{}",
    );
    expect(wrong.status).toBe(403);
  });

  it("refuses media types that only start like JSON, and bodies that are not objects", async () => {
    const jsonx = await getAppInfo(
      apiHeaders(server.token, { "content-type": "application/jsonx" }),
      "{}",
    );
    expect(jsonx.status).toBe(415);
    const withCharset = await getAppInfo(
      apiHeaders(server.token, { "content-type": "application/json; charset=utf-8" }),
      "{}",
    );
    expect(withCharset.status).toBe(200);
    const nullBody = await getAppInfo(apiHeaders(server.token), "null");
    expect(nullBody.status).toBe(400);
    expect(nullBody.body).toContain("JSON object");
  });
});
