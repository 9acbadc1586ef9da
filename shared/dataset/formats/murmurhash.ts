/**
 * spaCy's string IDs, in pure TypeScript. spaCy's `StringStore` maps a string
 * to a 64-bit ID: a reserved symbol (`spacy.symbols`, e.g. `ORTH` = 65, `ORG` =
 * 383, and `""` = 0) to its small fixed ID, every other string to
 * `hash_string(s)` = MurmurHash64A of its UTF-8 bytes with seed 1 (the
 * `murmurhash` package's `hash64`, used by `spacy/strings.pyx` `hash_utf8`).
 *
 * MurmurHash64A is Austin Appleby's public-domain MurmurHash2 64-bit variant.
 * It is computed here on two 32-bit halves (no BigInt in the inner loop), so
 * hashing tens of thousands of token strings stays cheap.
 */
import { strToU8 } from "fflate";
import { SPACY_SYMBOL_NAMES } from "./spacy-symbols";

// The multiplier m = 0xc6a4a7935bd1e995 as two 32-bit halves.
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

// The 64-bit product of the last `mul64` call (high and low 32 bits, unsigned).
let productHi = 0;
let productLo = 0;

/** (aHi:aLo) × (bHi:bLo) mod 2^64 into productHi:productLo, on 16-bit limbs. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a48 = aHi >>> 16;
  const a32 = aHi & 0xffff;
  const a16 = aLo >>> 16;
  const a00 = aLo & 0xffff;
  const b48 = bHi >>> 16;
  const b32 = bHi & 0xffff;
  const b16 = bLo >>> 16;
  const b00 = bLo & 0xffff;
  let c00 = a00 * b00;
  let c16 = c00 >>> 16;
  c00 &= 0xffff;
  c16 += a16 * b00;
  let c32 = c16 >>> 16;
  c16 &= 0xffff;
  c16 += a00 * b16;
  c32 += c16 >>> 16;
  c16 &= 0xffff;
  c32 += a32 * b00;
  let c48 = c32 >>> 16;
  c32 &= 0xffff;
  c32 += a16 * b16;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c32 += a00 * b32;
  c48 += c32 >>> 16;
  c32 &= 0xffff;
  c48 += a48 * b00 + a32 * b16 + a16 * b32 + a00 * b48;
  c48 &= 0xffff;
  productHi = ((c48 << 16) | c32) >>> 0;
  productLo = ((c16 << 16) | c00) >>> 0;
}

/**
 * MurmurHash64A of `bytes` with `seed` (below 2^32) as its high and low 32
 * bits (unsigned); 8-byte blocks are read little-endian, as on x86 and ARM.
 */
export function murmurHash64AHalves(bytes: Uint8Array, seed = 1): [number, number] {
  const length = bytes.length;
  // h = seed ^ (len * m)
  mul64(0, length >>> 0, M_HI, M_LO);
  let hHi = productHi;
  let hLo = (productLo ^ seed) >>> 0;
  const blocks = length - (length % 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  for (let i = 0; i < blocks; i += 8) {
    // k = the next 8 bytes, little-endian; k *= m; k ^= k >> 47; k *= m
    mul64(view.getUint32(i + 4, true), view.getUint32(i, true), M_HI, M_LO);
    mul64(productHi, (productLo ^ (productHi >>> 15)) >>> 0, M_HI, M_LO);
    // h ^= k; h *= m
    mul64((hHi ^ productHi) >>> 0, (hLo ^ productLo) >>> 0, M_HI, M_LO);
    hHi = productHi;
    hLo = productLo;
  }
  const rest = length - blocks;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) {
      const byte = bytes[blocks + j] ?? 0;
      if (j >= 4) hHi = (hHi ^ (byte << ((j - 4) * 8))) >>> 0;
      else hLo = (hLo ^ (byte << (j * 8))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = productHi;
    hLo = productLo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  mul64(hHi, (hLo ^ (hHi >>> 15)) >>> 0, M_HI, M_LO);
  return [productHi, (productLo ^ (productHi >>> 15)) >>> 0];
}

/**
 * MurmurHash64A of `bytes` with `seed` (below 2^32), as an unsigned 64-bit
 * bigint; 8-byte blocks are read little-endian, as on x86 and ARM.
 */
export function murmurHash64A(bytes: Uint8Array, seed = 1): bigint {
  const [hi, lo] = murmurHash64AHalves(bytes, seed);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** spaCy's `hash_string(text)`: MurmurHash64A of the UTF-8 bytes with seed 1 (symbols not applied). */
export function spacyStringHash(text: string): bigint {
  return murmurHash64A(strToU8(text), 1);
}

/** spaCy's symbols by name (`spacy.symbols.IDS` of spaCy 3.8): `ORTH` → 65, `PERSON` → 380, `""` → 0. */
export const SPACY_SYMBOLS: ReadonlyMap<string, number> = new Map(
  SPACY_SYMBOL_NAMES.map((name, id) => [name, id]),
);

/**
 * The ID `nlp.vocab.strings.add(text)` returns in spaCy 3: the symbol ID when
 * `text` is a reserved symbol (`""` included), otherwise `spacyStringHash(text)`.
 */
export function spacyStringId(text: string): bigint {
  const symbol = SPACY_SYMBOLS.get(text);
  return symbol === undefined ? spacyStringHash(text) : BigInt(symbol);
}

/** `spacyStringId(text)` as its high and low 32 bits. */
export function spacyStringIdHalves(text: string): [number, number] {
  const symbol = SPACY_SYMBOLS.get(text);
  return symbol === undefined ? murmurHash64AHalves(strToU8(text), 1) : [0, symbol];
}
