/**
 * The built renderer page carries the one Content-Security-Policy from
 * shared/csp.ts as its first <meta> (the only CSP a file:// page in Electron
 * gets), before any script.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from "../../shared/csp";
import { ensureBuilt } from "../support/built-app";
import { REPO } from "../support/serve-process";

let html = "";

beforeAll(() => {
  ensureBuilt();
  html = readFileSync(path.join(REPO, "out", "renderer", "index.html"), "utf8");
});

describe("the built index.html", () => {
  it("has the shared CSP in a <meta> before any script", () => {
    const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    expect(match).not.toBeNull();
    const content = (match?.[1] ?? "").replaceAll("&#39;", "'");
    expect(content).toBe(CONTENT_SECURITY_POLICY_META);
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<script"));
  });

  it("allows no inline script, eval or foreign origin", () => {
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
