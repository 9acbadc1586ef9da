/**
 * Windows-1252 done by hand. Node since 20.18.3 / 22.13.0 decodes the label
 * "windows-1252" as Latin-1 (nodejs/node#56542, #60888), so the bytes Excel
 * and old Windows tools write for „ “ – — € … come out as invisible control
 * characters. The importers decode through here to get them right on every
 * Node and Electron version.
 */

// Bytes 0x80–0x9F in Windows-1252 (WHATWG index); the five unassigned bytes keep their code point.
const HIGH_CONTROLS = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/** Labels that the WHATWG Encoding Standard maps to Windows-1252 (Latin-1 and ASCII among them). */
export const WINDOWS_1252_LABELS = new Set([
  "ansi_x3.4-1968",
  "ascii",
  "cp1252",
  "cp819",
  "csisolatin1",
  "ibm819",
  "iso-8859-1",
  "iso-ir-100",
  "iso8859-1",
  "iso88591",
  "iso_8859-1",
  "iso_8859-1:1987",
  "l1",
  "latin1",
  "us-ascii",
  "windows-1252",
  "x-cp1252",
]);

/** Decodes Windows-1252 (and so Latin-1 and ASCII) bytes, 0x80–0x9F included. */
export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder("latin1")
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (char) => HIGH_CONTROLS[char.charCodeAt(0) - 0x80] ?? char);
}
