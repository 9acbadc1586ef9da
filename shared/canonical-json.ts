/**
 * Canonical JSON for project files, designed for `git diff` and merges:
 * objects keep a fixed key order (the schema's order, then any other keys
 * alphabetically), arrays of records are written one record per line and, where
 * order carries no meaning, sorted — so an added, changed or deleted
 * annotation is exactly one added, changed or deleted line. Two-space indent,
 * LF, trailing newline. The same data always yields the same bytes.
 */

/** How one kind of record is laid out. */
export interface RecordLayout {
  /** Keys in the order they are written; other keys follow alphabetically. */
  keys: readonly string[];
  /** Sorts the records; absent when their order is meaningful (e.g. codebook labels). */
  compare?: (a: Record<string, unknown>, b: Record<string, unknown>) => number;
}

/** How a whole file is laid out: its top-level keys and which arrays hold records. */
export interface FileLayout {
  keys: readonly string[];
  records?: Readonly<Record<string, RecordLayout>>;
}

/** Each layout order's keys with their positions (layouts are long-lived constants). */
const orderPositions = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function orderedKeys(value: Record<string, unknown>, order: readonly string[]): string[] {
  let positions = orderPositions.get(order);
  if (!positions) {
    positions = new Map(order.map((k, i) => [k, i]));
    orderPositions.set(order, positions);
  }
  const keys = Object.keys(value);
  // Usually the keys are already those of the order, in its order, all defined
  // (an order that lists a key twice takes the long way).
  let last = -1;
  let inOrder = positions.size === order.length;
  for (const k of keys) {
    const at = positions.get(k);
    if (at === undefined || at <= last || value[k] === undefined) {
      inOrder = false;
      break;
    }
    last = at;
  }
  if (inOrder) return keys;
  // The keys of `order` the value has (own, enumerable, defined), then the others sorted.
  const present = new Set(keys.filter((k) => value[k] !== undefined));
  const known = order.filter((k) => present.has(k));
  const rest = [...present].filter((k) => !positions.has(k)).sort();
  return rest.length === 0 ? known : known.concat(rest);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `"key": ` for each key met so far (record keys repeat on every line). */
const keyPrefixes = new Map<string, string>();

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}: `;
    if (keyPrefixes.size < 10_000) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** One value on one line, keys sorted alphabetically inside nested objects, `, ` and `: ` separators. */
function inline(value: unknown, order: readonly string[] = []): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => inline(v)).join(", ")}]`;
  if (isPlainObject(value)) {
    let out = "{";
    let first = true;
    for (const k of orderedKeys(value, order)) {
      out += `${first ? "" : ", "}${keyPrefix(k)}${inline(value[k])}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A nested value over several lines with sorted keys (for values that are not record arrays). */
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

/** Writes `data` as the canonical text of a file with `layout`. */
export function formatCanonical(data: Record<string, unknown>, layout: FileLayout): string {
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
