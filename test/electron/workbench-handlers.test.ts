import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  callApi,
  createWorkbenchHandlers,
  type HandlerContext,
} from "../../electron/api/workbench-handlers";
import { openAppSettings } from "../../electron/settings/app-settings";
import type { ProjectOverview } from "../../shared/api";
import type { Result } from "../../shared/result";
import { copyExampleProject, MAINUFER, makeTempDir, removeTempDirs } from "../support/temp-project";

afterAll(removeTempDirs);

async function setUp(extra: Partial<HandlerContext> = {}) {
  const settingsDir = await makeTempDir("tagwerk-config-");
  const settings = await openAppSettings(settingsDir);
  const { project } = await copyExampleProject();
  const handlers = createWorkbenchHandlers({
    mode: "browser",
    version: "9.8.7",
    settings,
    ...extra,
  });
  return { handlers, settings, settingsDir, project };
}

function errorOf(result: Result<unknown>) {
  expect(result.ok, JSON.stringify(result).slice(0, 200)).toBe(false);
  return result.ok ? { code: "none", message: "" } : result.error;
}

describe("callApi with untrusted input", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "nope", ""])(
    "refuses the unknown method %j",
    async (name) => {
      const { handlers } = await setUp();
      const error = errorOf(await callApi(handlers, name, undefined));
      expect(error.code).toBe("invalid-input");
      expect(error.message).toContain(`"${name}"`);
    },
  );

  it.each([
    ["openProject", { path: "/tmp", extra: true }],
    ["openProject", {}],
    ["openProject", { path: 42 }],
    ["openProject", undefined],
    ["openProject", "/tmp"],
    ["getArticle", { articleId: `../${MAINUFER}` }],
    ["getArticle", { articleId: "../../etc/passwd" }],
    ["getArticle", { articleId: 7 }],
    ["getArticle", { articleId: MAINUFER, coder: "alice" }],
    ["getArticle", null],
    ["getAppInfo", { please: true }],
    ["importArticles", { files: [] }],
    ["importArticles", { files: [{ name: "a.txt", base64: "not base64!" }] }],
    ["importArticles", { files: [{ name: "", base64: "YQ==" }] }],
    ["importArticles", { files: [{ name: "a.txt", base64: "YQ==", path: "/etc/passwd" }] }],
    ["chooseAndImportArticles", { files: [] }],
  ])("refuses %s(%j) as invalid input naming the method", async (method, input) => {
    const { handlers, project } = await setUp();
    await callApi(handlers, "openProject", { path: project });
    const error = errorOf(await callApi(handlers, method, input));
    expect(error.code).toBe("invalid-input");
    expect(error.message.startsWith(`${method}:`)).toBe(true);
  });

  it("refuses a relative project path and says an absolute one is needed", async () => {
    const { handlers } = await setUp();
    const error = errorOf(await callApi(handlers, "openProject", { path: "annotations" }));
    expect(error.code).toBe("invalid-input");
    expect(error.message).toContain("absolute");
    expect(error.message).toContain("annotations");
  });

  it("passes valid input through to the handler", async () => {
    const { handlers, project } = await setUp();
    const opened = await callApi(handlers, "openProject", { path: project });
    expect(opened).toMatchObject({ ok: true, value: { path: project } });
    const article = await callApi(handlers, "getArticle", { articleId: MAINUFER });
    expect(article).toMatchObject({ ok: true, value: { meta: { id: MAINUFER } } });
  });
});

describe("the handlers", () => {
  it("refuse to show an article before a project is open", async () => {
    const { handlers } = await setUp();
    expect(errorOf(await handlers.getArticle({ articleId: MAINUFER })).code).toBe("no-project");
    expect(await handlers.getProject()).toEqual({ ok: true, value: null });
  });

  it("say an article that does not exist is not found", async () => {
    const { handlers, project } = await setUp();
    await handlers.openProject({ path: project });
    const error = errorOf(await handlers.getArticle({ articleId: "no-such-article" }));
    expect(error.code).toBe("not-found");
    expect(error.message).toContain("no-such-article");
  });

  it("say a folder that is not a project is not one", async () => {
    const { handlers } = await setUp();
    const empty = await makeTempDir();
    const error = errorOf(await handlers.openProject({ path: empty }));
    expect(error.code).toBe("not-a-project");
    expect(error.message).toContain(empty);
  });

  it("import nothing before a project is open, and have no file dialog in browser mode", async () => {
    const { handlers, project } = await setUp();
    const files = [{ name: "a.txt", base64: Buffer.from("Titel\nText.").toString("base64") }];
    expect(errorOf(await handlers.importArticles({ files })).code).toBe("no-project");
    expect(errorOf(await handlers.chooseAndImportArticles()).code).toBe("no-project");
    await handlers.openProject({ path: project });
    expect(errorOf(await handlers.chooseAndImportArticles()).code).toBe("unsupported");
  });

  it("import a text sent through callApi into the open project", async () => {
    const { handlers, project } = await setUp();
    await handlers.openProject({ path: project });
    const text = "Neue Gespräche in Genf\n\nDie Delegationen trafen sich am Montag.\n";
    const result = await callApi(handlers, "importArticles", {
      files: [{ name: "genf.txt", base64: Buffer.from(text).toString("base64") }],
    });
    expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    const current = await handlers.getProject();
    expect(current.ok && current.value?.articles).toHaveLength(8);
    expect(current.ok && current.value?.articles.map((a) => a.title)).toContain(
      "Neue Gespräche in Genf",
    );
  });

  it("have no folder dialog in browser mode", async () => {
    const { handlers } = await setUp();
    const error = errorOf(await handlers.chooseProject());
    expect(error.code).toBe("unsupported");
    expect(error.message).toContain("tagwerk serve");
  });

  it("report a cancelled folder dialog as cancelled and keep no project open", async () => {
    const { handlers } = await setUp({ mode: "desktop", chooseFolder: async () => null });
    expect(errorOf(await handlers.chooseProject()).code).toBe("cancelled");
    expect(await handlers.getProject()).toEqual({ ok: true, value: null });
  });

  it("open the folder chosen in the dialog", async () => {
    const opened: ProjectOverview[] = [];
    const { handlers, project } = await setUp({
      mode: "desktop",
      chooseFolder: async () => project,
      onProjectOpened: (p) => opened.push(p),
    });
    const result = await handlers.chooseProject();
    expect(result).toMatchObject({ ok: true, value: { path: project } });
    expect(opened.map((p) => p.path)).toEqual([project]);
    const current = await handlers.getProject();
    expect(current.ok && current.value?.articles).toHaveLength(7);
  });

  it("remember an opened project in the recent projects, also on disk", async () => {
    const { handlers, project, settingsDir } = await setUp();
    await handlers.openProject({ path: project });

    const recent = await handlers.listRecentProjects();
    expect(recent.ok && recent.value.map((p) => p.path)).toEqual([path.resolve(project)]);
    expect(recent.ok && recent.value[0]?.name).toBe("Ukraine-Verhandlungen Dezember 2025");
    const reopened = await openAppSettings(settingsDir);
    expect(reopened.recentProjects().map((p) => p.path)).toEqual([path.resolve(project)]);
  });

  it("do not remember a folder that failed to open", async () => {
    const { handlers, settings } = await setUp();
    await handlers.openProject({ path: await makeTempDir() });
    expect(settings.recentProjects()).toEqual([]);
  });

  it("tell the app's name, mode and version", async () => {
    const { handlers } = await setUp();
    expect(await callApi(handlers, "getAppInfo", undefined)).toEqual({
      ok: true,
      value: { name: "Tagwerk", mode: "browser", version: "9.8.7", coder: null },
    });
    const desktop = await setUp({ mode: "desktop" });
    const info = await desktop.handlers.getAppInfo();
    expect(info.ok && info.value.mode).toBe("desktop");
  });
});

describe("saving a coder's work through the API", () => {
  it("needs a coder, checks ids, offsets and labels, and writes quote and context from the text", async () => {
    const { handlers, project } = await setUp();
    await callApi(handlers, "openProject", { path: project });
    const article = "2025-12-31-salzachtaler-jaenner-treffen";
    const before = await callApi(handlers, "saveCoding", { articleId: article, upsert: [] });
    expect(before).toMatchObject({ ok: false, error: { code: "no-coder" } });
    expect(await callApi(handlers, "setCoder", { name: "../evil" })).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
    expect(await callApi(handlers, "setCoder", { name: "carla" })).toMatchObject({
      ok: true,
      value: { coder: "carla" },
    });
    const span = { id: "carla-1", kind: "entity", label: "PER", start: 19, end: 36 };
    const wrongOwner = await callApi(handlers, "saveCoding", {
      articleId: article,
      upsert: [{ ...span, id: "alice-9" }],
    });
    expect(wrongOwner).toMatchObject({
      ok: false,
      error: { code: "invalid-input", message: expect.stringMatching(/start with "carla-"/) },
    });
    const wrongKind = await callApi(handlers, "saveCoding", {
      articleId: article,
      upsert: [{ ...span, kind: "date" }],
    });
    expect(wrongKind).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/for entity annotations/) },
    });
    const outside = await callApi(handlers, "saveCoding", {
      articleId: article,
      upsert: [{ ...span, end: 999_999 }],
    });
    expect(outside).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/not a span of this text/) },
    });
    const saved = await callApi(handlers, "saveCoding", {
      articleId: article,
      upsert: [span],
      codes: { genre: "news" },
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const value = saved.value as {
      annotations: { quote: string; prefix: string; codebookVersion?: number }[];
      status: string;
      codes: unknown;
    };
    expect(value.annotations[0]).toMatchObject({ quote: "raine-Gespräche: ", codebookVersion: 1 });
    expect(value.status).toBe("in-progress");
    expect(value.codes).toEqual({ genre: "news" });
    const removed = await callApi(handlers, "saveCoding", {
      articleId: article,
      remove: ["carla-1"],
      codes: { genre: null },
      status: "done",
    });
    expect(removed).toMatchObject({
      ok: true,
      value: { annotations: [], codes: {}, status: "done" },
    });
  });
});

describe("gold layer, double coding and agreement through the API", () => {
  async function opened() {
    const { handlers, project } = await setUp({ coder: "carol" });
    const open = await handlers.openProject({ path: project });
    expect(open.ok).toBe(true);
    return { handlers, project };
  }

  it("refuses 'gold' as a coder name", async () => {
    const { handlers } = await opened();
    const error = errorOf(await handlers.setCoder({ name: "gold" }));
    expect(error.message).toContain("adjudicated layer");
  });

  it("writes the gold layer with gold ids and records rejections only there", async () => {
    const { handlers } = await opened();
    const saved = await handlers.saveCoding({
      articleId: MAINUFER,
      layer: "gold",
      upsert: [{ id: "gold-620-639-PER", kind: "entity", label: "PER", start: 620, end: 639 }],
      reject: ["-|1538-1543-LOC"],
    });
    expect(saved.ok).toBe(true);
    const view = await handlers.getArticle({ articleId: MAINUFER });
    const gold = view.ok ? view.value.coders.find((c) => c.coder === "gold") : undefined;
    expect(gold?.annotations.map((a) => a.quote)).toEqual(["Wolodymyr Selenskyj"]);
    expect(gold?.rejected).toEqual(["-|1538-1543-LOC"]);
    const mine = errorOf(await handlers.saveCoding({ articleId: MAINUFER, reject: ["x"] }));
    expect(mine.message).toContain("only the gold layer");
    const wrongId = errorOf(
      await handlers.saveCoding({
        articleId: MAINUFER,
        layer: "gold",
        upsert: [{ id: "carol-1", kind: "entity", label: "PER", start: 620, end: 639 }],
      }),
    );
    expect(wrongId.message).toContain('start with "gold-"');
  });

  it("draws a seeded double-coding sample into tagwerk.json and reports agreement", async () => {
    const { handlers } = await opened();
    const drawn = await handlers.setDoubleCoding({ percent: 50, seed: 3 });
    expect(drawn.ok && drawn.value.doubleCoding?.articles.length).toBe(4);
    const again = await handlers.setDoubleCoding({ percent: 50, seed: 3 });
    expect(again.ok && again.value.doubleCoding).toEqual(drawn.ok && drawn.value.doubleCoding);
    const removed = await handlers.setDoubleCoding({ percent: 0, seed: 3 });
    expect(removed.ok && removed.value.doubleCoding).toBeUndefined();
    const report = await handlers.getAgreement({ bootstrap: 0 });
    expect(report.ok && report.value.coders).toEqual(["alice", "bob"]);
    expect(report.ok && report.value.articles).toBe(1);
    expect(errorOf(await callApi(handlers, "getAgreement", { coders: ["alice"] })).code).toBe(
      "invalid-input",
    );
  });
});
