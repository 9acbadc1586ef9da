/**
 * Turning the bytes of a text-based file (.txt, .md, .html, .csv, .jsonl) into
 * a string: UTF-8 with or without BOM, UTF-16 with BOM, and otherwise
 * Windows-1252 with a warning. Binary files are refused by name.
 */
import { WorkbenchError } from "../../../shared/result";
import { decodeWindows1252 } from "./windows-1252";

/** Decodes text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning. */
export function decodeTextBytes(
  bytes: Uint8Array,
  name: string,
): { text: string; warning?: string } {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new WorkbenchError("invalid-input", `${name}: looks like a binary file, not text`, name);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return {
      // Not TextDecoder("windows-1252"): Node ≥ 20.18.3 decodes it as Latin-1 (nodejs/node#56542).
      text: decodeWindows1252(bytes),
      warning: `${name}: not valid UTF-8; read as Windows-1252 (Latin-1). Check umlauts and quotes.`,
    };
  }
}
