import { describe, expect, it } from "vitest";
import { apiMethods, channelFor, isApiMethod } from "../../shared/api";
import { apiInputSchemas } from "../../shared/api-schemas";
import { isSafeId } from "../../shared/project-files";

describe("the typed API contract", () => {
  it("derives one distinct channel per method", () => {
    const channels = apiMethods.map((m) => channelFor(m));
    expect(new Set(channels).size).toBe(apiMethods.length);
    expect(channelFor("getArticle")).toBe("workbench:getArticle");
  });

  it("does not treat Object.prototype names as methods", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(isApiMethod(name)).toBe(false);
    }
  });

  it("rejects article ids that could name a path", () => {
    for (const articleId of [
      "../tagwerk",
      "..",
      "a/b",
      "a\\b",
      "/etc/passwd",
      "",
      ".hidden",
      "x".repeat(200),
    ]) {
      expect(apiInputSchemas.getArticle.safeParse({ articleId }).success).toBe(false);
      expect(isSafeId(articleId)).toBe(false);
    }
    expect(apiInputSchemas.getArticle.safeParse({ articleId: "2025-12-18-kiew" }).success).toBe(
      true,
    );
  });

  it("rejects extra keys and missing arguments", () => {
    expect(apiInputSchemas.openProject.safeParse({ path: "/p", extra: 1 }).success).toBe(false);
    expect(apiInputSchemas.openProject.safeParse(undefined).success).toBe(false);
    expect(apiInputSchemas.getProject.safeParse({ sneaky: true }).success).toBe(false);
  });
});
