import { describe, expect, it } from "vitest";
import { createHttpBridge, takeToken } from "../../renderer/src/api-client";

function fakeStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

describe("browser-mode token", () => {
  it("takes the token from the address, removes it from the address bar, and keeps it for reloads", () => {
    const storage = fakeStorage();
    let replaced = "";
    const history = {
      replaceState: (_s: unknown, _t: string, url: string) => (replaced = url),
    } as unknown as History;
    const token = takeToken(
      { href: "http://127.0.0.1:7410/?token=abc123#x" } as Location,
      history,
      storage,
    );
    expect(token).toBe("abc123");
    expect(replaced).toBe("/#x");
    expect(takeToken({ href: "http://127.0.0.1:7410/" } as Location, history, storage)).toBe(
      "abc123",
    );
  });
});

describe("HTTP bridge", () => {
  it("posts each method to /api/<method> with the token and returns the server's result", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const bridge = createHttpBridge("tok", async (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      return new Response(JSON.stringify({ ok: true, value: { name: "P" } }), { status: 200 });
    });
    const result = await bridge.getArticle({ articleId: "a1" });
    expect(result).toEqual({ ok: true, value: { name: "P" } });
    expect(calls[0]?.url).toBe("/api/getArticle");
    const headers = (calls[0]?.init.headers ?? {}) as Record<string, string>;
    expect(headers["X-Tagwerk-Token"]).toBe("tok");
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ input: { articleId: "a1" } });
  });

  it("explains a refused token in words instead of failing silently", async () => {
    const bridge = createHttpBridge(
      null,
      async () => new Response("Unauthorized", { status: 401 }),
    );
    const result = await bridge.getProject();
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    if (!result.ok) expect(result.error.message).toMatch(/token/);
  });

  it("reports an unreachable server", async () => {
    const bridge = createHttpBridge("t", async () => {
      throw new TypeError("fetch failed");
    });
    const result = await bridge.getAppInfo();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/not reachable/);
  });
});
