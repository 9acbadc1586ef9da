/**
 * The XML side of the REFI-QDA export: stable GUIDs, `[tagwerk:…]` markers,
 * text made safe for XML 1.0, and a small element tree rendered the way
 * QDA-XML files are indented.
 */

/** A GUID (8-4-4-4-12 hex, version nibble 8) from a 128-bit hash of `parts`. */
export function stableGuid(...parts: string[]): string {
  const text = parts.join("\u0000");
  let [a, b, c, d] = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    a = b ^ Math.imul(a ^ k, 0x01000193);
    b = c ^ Math.imul(b ^ k, 0x5bd1e995);
    c = d ^ Math.imul(c ^ k, 0x27d4eb2f);
    d = a ^ Math.imul(d ^ k, 0x165667b1);
  }
  const mix = (h: number, s: number) => {
    const x = Math.imul(Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ s, 0xc2b2ae35);
    return ((x ^ (x >>> 13)) >>> 0).toString(16).padStart(8, "0");
  };
  const hex = mix(a, d) + mix(b, a) + mix(c, b) + mix(d, c);
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 3) | 8).toString(16);
  const [p1, p2, p3] = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(13, 16)];
  return `${p1}-${p2}-8${p3}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const NAMED: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot" };

export function marker(fields: Record<string, string>): string {
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `[tagwerk:${pairs.join(" ")}]`;
}

// Characters XML 1.0 cannot hold: C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for XML 1.0: characters it cannot hold become U+FFFD, markup becomes references. */
const reference = (ch: string) => `&${NAMED[ch] ?? `#${ch.charCodeAt(0)}`};`;
const IN_ATTRIBUTE = /[&<>"\r\n\t]/g;
const IN_TEXT = /[&<>\r]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
const NEEDS_ESCAPE = /[&<>"\r\n\t\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export function xmlText(text: string, inAttribute = false): string {
  // Most text needs nothing done.
  if (!NEEDS_ESCAPE.test(text)) return text;
  // Characters XML 1.0 cannot hold (controls, U+FFFE/FFFF, lone surrogates) become U+FFFD.
  const safe = text.replace(NOT_XML, "\uFFFD");
  return safe.replace(inAttribute ? IN_ATTRIBUTE : IN_TEXT, reference);
}

export type Attrs = Record<string, string | undefined>;
export interface El {
  tag: string;
  attrs: Attrs;
  body: El[] | string;
}

export const el = (tag: string, attrs: Attrs = {}, body: El[] | string = []): El => ({
  tag,
  attrs,
  body,
});

/** A node that renders as the text given (already rendered XML). */
export const raw = (xml: string): El => ({ tag: "", attrs: {}, body: xml });

export function render(e: El, pad = ""): string {
  if (e.tag === "") return e.body as string;
  const attrs = Object.entries(e.attrs).filter((a): a is [string, string] => a[1] !== undefined);
  const open = `${pad}<${e.tag}${attrs.map(([k, v]) => ` ${k}="${xmlText(v, true)}"`).join("")}`;
  if (e.body.length === 0) return `${open}/>`;
  if (typeof e.body === "string") return `${open}>${xmlText(e.body)}</${e.tag}>`;
  return `${open}>\n${e.body.map((c) => render(c, `${pad}  `)).join("\n")}\n${pad}</${e.tag}>`;
}

/** A Description element of the non-empty `lines`, or none. */
export function described(...lines: Array<string | false | undefined>): El[] {
  const text = lines.filter(Boolean).join("\n");
  return text ? [el("Description", {}, text)] : [];
}

export function sortedUnique(values: Array<string | undefined>, first: string[] = []): string[] {
  const rest = values.filter((v): v is string => v !== undefined && !first.includes(v));
  return [...first, ...[...new Set(rest)].sort()];
}
