/**
 * Building UTF-8 output directly as bytes, for the exports' big files (one
 * line per token): no string per line, nothing to encode afterwards. Text goes
 * in as UTF-8 the way `TextEncoder` writes it (a lone surrogate becomes
 * U+FFFD), so the bytes equal those of the same text built as a string.
 */

type Encoder = {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
};
const encoder = new (globalThis as unknown as { TextEncoder: new () => Encoder }).TextEncoder();

/** UTF-8 bytes of `text` (as `TextEncoder` writes them). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The number of bytes `text` takes in UTF-8 (a lone surrogate as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++; // a pair: 4 bytes for 2 units
        bytes += 2;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** A growing byte buffer. */
export class ByteWriter {
  private buffer: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `more` bytes. */
  private room(more: number): Uint8Array {
    const need = this.length + more;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    return this.buffer;
  }

  /** Appends one byte. */
  byte(value: number): void {
    const buffer = this.room(1);
    buffer[this.length++] = value;
  }

  /** Appends an unsigned 32-bit number, little-endian. */
  u32le(value: number): void {
    const buffer = this.room(4);
    const at = this.length;
    buffer[at] = value & 0xff;
    buffer[at + 1] = (value >>> 8) & 0xff;
    buffer[at + 2] = (value >>> 16) & 0xff;
    buffer[at + 3] = value >>> 24;
    this.length = at + 4;
  }

  /** Appends a ULEB128 varint of a 32-bit number (as Parquet's writer does). */
  varint(value: number): void {
    let rest = value;
    while ((rest & ~0x7f) !== 0) {
      this.byte((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.byte(rest);
  }

  /** Appends an unsigned 32-bit number, big-endian. */
  u32be(value: number): void {
    const buffer = this.room(4);
    const at = this.length;
    buffer[at] = value >>> 24;
    buffer[at + 1] = (value >>> 16) & 0xff;
    buffer[at + 2] = (value >>> 8) & 0xff;
    buffer[at + 3] = value & 0xff;
    this.length = at + 4;
  }

  /** Appends `bytes[from, to)`. */
  bytes(bytes: Uint8Array, from = 0, to = bytes.length): void {
    const buffer = this.room(to - from);
    let at = this.length;
    if (to - from > 32) buffer.set(bytes.subarray(from, to), at);
    else for (let i = from; i < to; i++) buffer[at++] = bytes[i] as number;
    this.length += to - from;
  }

  /** Appends `text` as UTF-8. */
  text(text: string): void {
    let ascii = true;
    for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
    if (ascii) {
      const buffer = this.room(text.length);
      let at = this.length;
      for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
      this.length = at;
      return;
    }
    const buffer = this.room(text.length * 3);
    this.length += encoder.encodeInto(text, buffer.subarray(this.length)).written;
  }

  /**
   * Appends `text` when it is non-empty ASCII with no unit `excluded` rejects;
   * false (and nothing written) otherwise.
   */
  asciiWord(text: string, excluded: (unit: number) => boolean): boolean {
    const n = text.length;
    if (n === 0) return false;
    const buffer = this.room(n);
    const at = this.length;
    for (let i = 0; i < n; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80 || excluded(unit)) return false;
      buffer[at + i] = unit;
    }
    this.length = at + n;
    return true;
  }

  /** Appends a whole number in decimal (as `String(value)` writes it). */
  int(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      this.text(String(value));
      return;
    }
    const buffer = this.room(16);
    if (value < 10) {
      buffer[this.length++] = 48 + value;
      return;
    }
    let digits = 0;
    for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    for (let v = value; v > 0; v = Math.floor(v / 10)) buffer[--at] = 48 + (v % 10);
  }

  /**
   * The bytes written: the buffer itself when it is full, else a copy of
   * exactly that length (so that only these bytes move to another thread).
   */
  done(): Uint8Array {
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }
}
