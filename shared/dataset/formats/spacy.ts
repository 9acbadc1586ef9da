/**
 * spaCy v3 export: per part a `data.spacy` file that spaCy 3.x reads with
 * `DocBin().from_disk(path).get_docs(nlp.vocab)` (and `spacy train` takes as
 * corpus), plus `data.jsonl`, the same docs as readable JSON lines.
 *
 * The DocBin layout is that of `spacy/tokens/_serialize.py` `DocBin.to_bytes`
 * (spaCy 3.4 – 3.8): zlib-compressed msgpack, see docbin.ts.
 *
 * What goes where:
 *  - tokens: the words of `tokenize()`. A spaCy token's trailing-space flag
 *    stands for exactly one " "; any other whitespace (line breaks, tabs, double
 *    spaces, NBSP, leading whitespace) becomes a whitespace token, as spaCy's
 *    tokenizer makes it, so `doc.text` is the article text exactly.
 *  - `doc.ents`: spans of `options.tagKinds` under the flat-tag policy of
 *    `tagTokens` (outermost wins, cut at sentence ends), kb_id = registry entity.
 *  - `doc.spans["sc"]`: every span of every kind, overlaps allowed, widened to
 *    whole tokens; kb_id = registry entity.
 *  - `doc.cats`: `"variable=option"` → 1.0 / 0.0 for single and multi choice
 *    variables a document was coded on; text and number codes are reported.
 *  - `data.jsonl`: one line per doc, `{"id","annotator","text","ents":[[start,
 *    end,label]],"spans":{"sc":[[start,end,label]]},"cats":{…}}`, offsets in
 *    code points (Python `text[start:end]`), widened exactly as in the .spacy.
 */
import { zlibSync } from "fflate";
import { countCodePoints, sliceCodePoints } from "../../text-blocks";
import { compareSpans, type DatasetDocument, partPath } from "../dataset";
import type {
  Chunk,
  ChunkedFile,
  ExportContext,
  ExportOptions,
  PieceExporter,
  PieceTools,
} from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { eachDocument, exportByPieces, mergeReports } from "../pieces";
import { type TaggedChunk, tagTokens } from "../token-tags";
import { type Token, type TokenizedText, tokenize } from "../tokens";
import {
  charStarts,
  type DocBinPart,
  type DocBinTokens,
  docBinChunks,
  docBinMessage,
  docBinPart,
  docBinTokens,
  type SpacyDocData,
  type SpacySpan,
  spanChars,
} from "./docbin";
import { jsonLine } from "./file-text";
import { reportUncarriedAttributes } from "./uncarried";

export {
  DOCBIN_ATTR_NAMES,
  DOCBIN_ATTRS,
  docBinMessage,
  type SpacyDocData,
  type SpacySpan,
} from "./docbin";

/** The bytes of a `.spacy` file: `docBinMessage` compressed with zlib, as `DocBin.to_bytes()`. */
export function encodeDocBin(docs: readonly SpacyDocData[]): Uint8Array {
  return zlibSync(docBinMessage(docs), { level: 1 });
}

// ---------------------------------------------------------------------------
// Dataset documents → spaCy docs

/** spaCy words for `text`: our tokens plus whitespace tokens, and our token index → spaCy index. */
function spacyWords(text: string, tokens: readonly Token[]) {
  const words: string[] = [];
  const spaces: boolean[] = [];
  const index: number[] = new Array(tokens.length);
  const gap = (whitespace: string) => {
    if (whitespace !== "") {
      words.push(whitespace);
      spaces.push(false);
    }
  };
  gap(sliceCodePoints(text, 0, tokens[0]?.start ?? countCodePoints(text)));
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    index[t] = words.length;
    words.push(token.text);
    const after = token.whitespaceAfter;
    const single = after.charCodeAt(0) === 0x20;
    spaces.push(single);
    gap(single ? after.slice(1) : after);
  }
  // The words with their spaces must be the text again.
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!text.startsWith(word, at)) at = -1;
    else at += word.length;
    if (at >= 0 && spaces[i]) at = text.charCodeAt(at) === 0x20 ? at + 1 : -1;
    if (at < 0) break;
  }
  if (at !== text.length) throw new Error("spaCy words do not rebuild the text");
  return { words, spaces, index };
}

/** First token whose end is after `offset`. */
function firstTokenEndingAfter(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((tokens[mid]?.end ?? 0) <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `doc.cats` for the single and multi choice codes of `doc`; text and number codes are reported. */
function catsFor(
  doc: DatasetDocument,
  context: ExportContext,
  report: LossReport,
): Array<[string, number]> {
  const cats: Array<[string, number]> = [];
  for (const variable of context.codebook.documentVariables) {
    const value = doc.codes[variable.id];
    if (value === undefined) continue;
    if (variable.type === "text" || variable.type === "number") {
      report.add(
        `document-code-${variable.type}-not-carried`,
        `${variable.type} document codes (spaCy cats hold only single and multi choices)`,
        () => `${doc.id} (${doc.annotator}) ${variable.id}=${JSON.stringify(value)}`,
      );
      continue;
    }
    const chosen = (Array.isArray(value) ? value : [value]).map(String);
    const options = [...variable.options, ...chosen.filter((c) => !variable.options.includes(c))];
    for (const option of options)
      cats.push([`${variable.id}=${option}`, chosen.includes(option) ? 1 : 0]);
  }
  return cats;
}

/** What every annotator's doc of one text shares: tokens, spaCy words and their DocBin rows. */
export interface SpacyText {
  tokenized: TokenizedText;
  words: string[];
  spaces: boolean[];
  /** Our token index → spaCy token index. */
  index: number[];
  /** Code-point start of each spaCy token. */
  starts: number[];
  /** DocBin rows of the words (made when first asked for). */
  rows?: DocBinTokens;
}

/** The tokens and spaCy words of `text` (in `language`). */
export function spacyText(text: string, language: string): SpacyText {
  const tokenized = tokenize(text, language);
  const { words, spaces, index } = spacyWords(text, tokenized.tokens);
  return { tokenized, words, spaces, index, starts: charStarts({ words, spaces }) };
}

/** One dataset document as a spaCy doc and its JSONL record (without id, annotator, text), reporting what does not fit. */
export function spacyDocument(
  doc: DatasetDocument,
  context: ExportContext,
  options: Pick<ExportOptions, "tagKinds">,
  report: LossReport,
  shared: SpacyText = spacyText(doc.text, doc.meta.language),
): { doc: SpacyDocData; record: Record<string, unknown> } {
  const { tokenized, words, spaces, index, starts } = shared;
  const { tokens } = tokenized;
  // Our tokens [first, last) → spaCy tokens, whitespace tokens inside included.
  const toSpacy = ({ span, first, last }: TaggedChunk): SpacySpan => ({
    start: index[first] ?? 0,
    end: (index[last - 1] ?? 0) + 1,
    label: span.label,
    ...(span.entity ? { kbId: span.entity } : {}),
  });
  const { chunks } = tagTokens(doc, tokenized, "iob2", report, options.tagKinds);
  const ents = chunks.map(toSpacy);
  const sc: SpacySpan[] = [];
  for (const span of [...doc.spans].sort(compareSpans)) {
    const first = firstTokenEndingAfter(tokens, span.start);
    let last = first;
    while (last < tokens.length && (tokens[last]?.start ?? 0) < span.end) last++;
    if (last === first) {
      report.add(
        "span-group-no-token",
        'spans covering no token (whitespace only), left out of spans["sc"]',
        () => describeSpanForReport(doc, span),
      );
      continue;
    }
    if (tokens[first]?.start !== span.start || tokens[last - 1]?.end !== span.end)
      report.add(
        "span-group-widened",
        'spans not on token boundaries, widened to whole tokens in spans["sc"]',
        () => describeSpanForReport(doc, span),
      );
    sc.push(toSpacy({ span, first, last }));
  }
  const variables = new Set(context.codebook.documentVariables.map((v) => v.id));
  reportUncarriedAttributes(doc, report, "spaCy DocBin", {
    attributes: () => ["entity"], // as the kb_id of ents and spans
    codes: (variable) => variables.has(variable), // codebook variables: cats or reported above
  });
  const cats = catsFor(doc, context, report);
  const spacy: SpacyDocData = { words, spaces, ents, spanGroups: [["sc", sc]], cats };
  const offsets = (span: SpacySpan) => [...spanChars(spacy, starts, span), span.label];
  return {
    doc: spacy,
    record: {
      ents: ents.map(offsets),
      spans: { sc: sc.map(offsets) },
      cats: Object.fromEntries(cats),
    },
  };
}

/** Where `partState` keeps the strings already listed by the part's DocBin. */
const LISTED = "spacy:listed";

/** One doc of a part: its DocBin part and its line of `data.jsonl` (as chunks). */
interface SpacyPiece {
  bin: DocBinPart;
  line: Chunk[];
}

/** spaCy v3 export: `data.spacy` (DocBin) and `data.jsonl` per part; see the module comment. */
export const spacyExporter: PieceExporter<SpacyPiece> = {
  format: "spacy",
  description: '.spacy DocBin with ents, spans["sc"] and cats, plus JSONL (spacy train).',
  lossless: false,
  convert(documents, context, options, tools: PieceTools) {
    // Every annotator's doc has the article's text: tokenize, lay out and escape it once.
    const texts = new Map<string, { text: SpacyText; json: Chunk }>();
    // Strings an earlier doc of this article (or of this part) lists.
    let listed = tools.partState?.get(LISTED) as Set<string> | undefined;
    if (!listed) {
      listed = new Set<string>();
      tools.partState?.set(LISTED, listed);
    }
    return eachDocument(documents, (doc, report) => {
      const key = `${doc.meta.language}\u0000${doc.text}`;
      let shared = texts.get(key);
      if (!shared) {
        shared = {
          text: spacyText(doc.text, doc.meta.language),
          json: tools.chunk(jsonLine(doc.text)),
        };
        texts.set(key, shared);
      }
      const { doc: spacy, record } = spacyDocument(doc, context, options, report, shared.text);
      shared.text.rows ??= docBinTokens(spacy.words, spacy.spaces);
      const head = `{"id":${jsonLine(doc.id)},"annotator":${jsonLine(doc.annotator)},"text":`;
      return {
        bin: docBinPart(spacy, shared.text.rows, listed, shared.text.starts),
        line: [tools.chunk(head), shared.json, tools.chunk(`,${jsonLine(record).slice(1)}\n`)],
      };
    });
  },
  assemble(_context, parts, options, report) {
    const files: ChunkedFile[] = [];
    for (const part of parts) {
      const pieces = mergeReports(report, part.converted);
      files.push({
        path: partPath(part, "data.spacy"),
        chunks: docBinChunks(pieces.map((piece) => piece.bin)),
        zlib: true,
      });
      files.push({
        path: partPath(part, "data.jsonl"),
        chunks: pieces.flatMap((piece) => piece.line),
      });
    }
    report.note(
      `doc.ents hold ${options.tagKinds.join(", ")} spans (outermost wins, cut at sentence ends); ` +
        'doc.spans["sc"] holds every span, overlaps included; kb_id is the registry entity id. ' +
        'Tokens are Unicode words; whitespace other than one " " after a word is a token of its own, ' +
        "so doc.text is the article text. data.jsonl repeats the docs with code-point offsets.",
    );
    return files;
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(spacyExporter, dataset, parts, options, report);
  },
};
