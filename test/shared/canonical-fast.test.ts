/**
 * The canonical writer after its speed-up must write the very bytes of the
 * plain definition it replaced (kept here as the reference).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FileLayout, formatCanonical } from "../../shared/canonical-json";
import { fileLayouts } from "../../shared/file-formats";

function orderedKeys(value: Record<string, unknown>, order: readonly string[]): string[] {
  const present = Object.keys(value).filter((k) => value[k] !== undefined);
  const known = order.filter((k) => present.includes(k));
  const rest = present.filter((k) => !order.includes(k)).sort();
  return [...known, ...rest];
}
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
function inline(value: unknown, order: readonly string[] = []): string {
  if (Array.isArray(value)) return `[${value.map((v) => inline(v)).join(", ")}]`;
  if (isPlainObject(value)) {
    const keys = orderedKeys(value, order);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${inline(value[k])}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
function block(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${block(v, inner)}`).join(",\n")}\n${indent}]`;
  }
  if (isPlainObject(value)) {
    const keys = orderedKeys(value, []);
    if (keys.length === 0) return "{}";
    const inner = `${indent}  `;
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${block(value[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value) ?? "null";
}
function reference(data: Record<string, unknown>, layout: FileLayout): string {
  const lines = orderedKeys(data, layout.keys).map((key) => {
    const value = data[key];
    const records = layout.records?.[key];
    if (records && Array.isArray(value)) {
      const items = value.filter(isPlainObject);
      const sorted = records.compare ? [...items].sort(records.compare) : items;
      const body = sorted.map((r) => `    ${inline(r, records.keys)}`).join(",\n");
      return `  ${JSON.stringify(key)}: ${sorted.length === 0 ? "[]" : `[\n${body}\n  ]`}`;
    }
    return `  ${JSON.stringify(key)}: ${block(value, "  ")}`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

const keyName = fc.constantFrom(
  "id",
  "kind",
  "label",
  "start",
  "end",
  "quote",
  "note",
  "zeta",
  "alpha",
  "codebookVersion",
  "reason",
  "schemaVersion",
  "annotations",
  "codes",
  "status",
  "entities",
  "name",
  "toString",
);
const scalar = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: -3, max: 50 }),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
);
const record = fc.dictionary(keyName, scalar, { maxKeys: 10 });
const file = fc.dictionary(
  keyName,
  fc.oneof(scalar, fc.array(fc.oneof(record, scalar), { maxLength: 6 }), record),
  { maxKeys: 8 },
);

describe("canonical JSON, fast", () => {
  it("writes the same bytes as the plain definition", () => {
    fc.assert(
      fc.property(file, fc.constantFrom(...Object.values(fileLayouts)), (data, layout) => {
        expect(formatCanonical(data, layout)).toBe(reference(data, layout));
      }),
      { numRuns: 3000 },
    );
  });
});
