/**
 * Property-based checks (fast-check) for issue 9, extending test/text (tokenizer offsets) and
 * test/data/schemes.test.ts (spans survive conversions of well-formed spans):
 * - the column readers never fail on any input with anything but an InputError, and what the
 *   writer writes reads back the same;
 * - span extraction and conversion on arbitrary tag sequences, valid or not;
 * - tagging arbitrary text (emoji, RTL, controls, zero-width, U+FEFF) keeps offsets exact,
 *   long sentences included (tagged in windows).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConllString, readConllFile, formatConll } from '../../src/data/conll.js';
import { readCsvString } from '../../src/data/csv.js';
import {
  tagsToSpans, convertTags, tagProblem, parseTag, prefixBareTags, SCHEMES, type SchemeName,
} from '../../src/data/schemes.js';
import { windowStarts, splitLongSentences } from '../../src/data/windows.js';
import { decodeText } from '../../src/data/lines.js';
import { InputError } from '../../src/errors.js';
import { SequenceTagger, DEFAULT_ARCHITECTURE, PAD, UNK } from '../../src/tagger/model.js';
import { tagText } from '../../src/tagger/text.js';
import { predict, type Tagger } from '../../src/tagger/tagger.js';
import type { Sentence } from '../../src/data/types.js';

/** Runs `fn`; anything thrown must be an InputError (a user's bad input), never another error. */
function onlyInputErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.message).not.toContain('\n');
  }
}

const PIECES = [
  'EU', 'rejects', 'German', '#', '# text = a b', '-DOCSTART-', 'O', 'B-PER', 'I-PER', 'E-LOC', 'S-X', 'PER', 'B_PER',
  'I+X', 'X-Y', 'B-', '.', 'Zürich', '😀', 'שלום', '\ufeff', '\u200b', ' ', '  ', '\t', '\n', '\n', '\n', '\r\n', '\r', '\0', '"', ',',
];
const conllLike = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((p) => p.join(''));

describe('readers: random input fails only with an InputError', () => {
  it('readConllString, labelled and not, any column choice', () => {
    fc.assert(fc.property(conllLike, fc.boolean(), fc.integer({ min: -3, max: 3 }), (text, labelled, tagColumn) => {
      onlyInputErrors(() => {
        const ss = readConllString(text, '<p>', { labelled, tagColumn: tagColumn === 0 ? -1 : tagColumn });
        for (const s of ss) {
          expect(s.tokens.length).toBeGreaterThan(0);
          if (labelled) expect(s.tags).toHaveLength(s.tokens.length);
          // Spaces may stand inside a token of a tab-separated line, never at its edges.
          for (const t of s.tokens) expect(t).toMatch(/^[^ \t\r\n]([^\t\r\n]*[^ \t\r\n])?$/);
        }
      });
    }), { numRuns: 500 });
  });

  it('readConllString on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => {
      onlyInputErrors(() => readConllString(text));
    }), { numRuns: 300 });
  });

  it('readCsvString', async () => {
    const csvLike = fc.array(fc.constantFrom('Sentence #,Word,Tag\n', '1,', ',', 'a', '"', '""', 'B-PER', 'O', 'I+X', '\n', '\r\n', ' ', '2'), { maxLength: 40 })
      .map((p) => p.join(''));
    await fc.assert(fc.asyncProperty(csvLike, async (text) => {
      try {
        await readCsvString(text, '<p>');
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
    }), { numRuns: 200 });
  });

  it('readConllFile on random bytes (any encoding)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ner-rel-prop-'));
    try {
      let n = 0;
      await fc.assert(fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }), fc.constantFrom('utf8', 'latin1', 'cp1252') as fc.Arbitrary<'utf8' | 'latin1' | 'cp1252'>,
        async (bytes, encoding) => {
          const f = path.join(dir, `r${n++}.conll`);
          await fsp.writeFile(f, bytes);
          try {
            await readConllFile(f, { encoding });
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
          }
        }), { numRuns: 100 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decodeText (ner tag input): any chunking gives the same text', () => {
  it('valid UTF-8 split anywhere decodes to the whole text, every character kept; invalid input is an InputError', async () => {
    const piece = fc.constantFrom('a', ' ', '\n', '\r\n', 'ü', '€', '😀', 'ש', '\ufeff', '\0', 'x'.repeat(70_000));
    await fc.assert(fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), async (pieces, cuts, corrupt) => {
      let bytes = Buffer.from(pieces.join(''), 'utf8');
      if (corrupt && bytes.length > 0) bytes = Buffer.concat([bytes.subarray(0, bytes.length >> 1), Buffer.from([0xff]), bytes.subarray(bytes.length >> 1)]);
      const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...at].map((a, i, all) => bytes.subarray(a, i + 1 < all.length ? all[i + 1] : bytes.length));
      async function* source() { for (const c of chunks) yield c; }
      try {
        let text = '';
        for await (const t of decodeText(source(), '<p>')) text += t;
        expect(corrupt && bytes.length > 0).toBe(false);
        expect(text).toBe(pieces.join(''));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        expect(corrupt).toBe(true);
      }
    }), { numRuns: 200 });
  });
});

const TAGS = ['O', 'O', 'O', 'B-PER', 'I-PER', 'E-PER', 'S-PER', 'B-LOC', 'I-LOC', 'L-LOC', 'U-LOC', 'B-X-Y', 'I-X-Y'];
const token = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'Z', 'ü', '😀', '#', '-', '.', '\u200b', '\ufeff', 'ש', '"') })
  .filter((t) => t !== '-DOCSTART-' && !t.startsWith('#') && !/^\s|\s$/.test(t) && t.trim() !== '');
const sentence: fc.Arbitrary<Sentence> = fc.array(fc.tuple(token, fc.constantFrom(...TAGS)), { minLength: 1, maxLength: 12 })
  .map((rows) => ({ tokens: rows.map((r) => r[0]), tags: rows.map((r) => r[1]) }));

describe('round trip', () => {
  it('formatConll then readConllString gives the same tokens and tags (tabs or spaces, LF or CRLF)', () => {
    fc.assert(fc.property(fc.array(sentence, { maxLength: 8 }), fc.constantFrom(' ', '\t'), fc.constantFrom('\n', '\r\n') as fc.Arbitrary<'\n' | '\r\n'>,
      (ss, delimiter, eol) => {
        const back = readConllString(formatConll(ss, { delimiter, eol }));
        expect(back.map((s) => [s.tokens, s.tags])).toEqual(ss.map((s) => [s.tokens, s.tags]));
      }), { numRuns: 300 });
  });

  it('a "#" token with a prefixed tag is a token wherever it stands', () => {
    fc.assert(fc.property(fc.array(sentence, { minLength: 1, maxLength: 4 }), fc.nat(), (ss, k) => {
      const s = ss[k % ss.length];
      s.tokens[0] = '#';
      const back = readConllString(formatConll(ss));
      expect(back.map((x) => x.tokens)).toEqual(ss.map((x) => x.tokens));
    }), { numRuns: 200 });
  });

  it('windows of long sentences cover every token once, each at most the limit, entities kept where an O allows', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 50 }), (tags, max) => {
      const tokens = tags.map((_, i) => `w${i}`);
      const { sentences } = splitLongSentences([{ tokens, tags }], max);
      expect(sentences.flatMap((s) => s.tokens)).toEqual(tokens);
      expect(sentences.flatMap((s) => s.tags)).toEqual(tags);
      for (const s of sentences) expect(s.tokens.length).toBeLessThanOrEqual(max);
      const starts = windowStarts(tokens.length, max, tags);
      for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
    }), { numRuns: 300 });
  });
});

const anyTag = fc.oneof(
  fc.constantFrom(...TAGS, 'PER', 'LOC', '.', 'B', 'I', 'X-PER', 'B_PER', 'I+X', '[-NP', ']-NP', 'E-PER', 'S-LOC'),
  fc.string({ maxLength: 5 }),
);

describe('tags and spans on arbitrary sequences', () => {
  it('tagProblem never throws; a tag it accepts parses (conlleval specials aside)', () => {
    fc.assert(fc.property(anyTag, (t) => {
      const p = tagProblem(t);
      if (p === null && t !== '.' && !/^[[\]]-/.test(t)) expect(() => parseTag(t)).not.toThrow();
      if (p !== null) expect(p).toMatch(/^tag ".*": /);
    }), { numRuns: 1000 });
  });

  it('span extraction: sorted, in range, non-overlapping; conversion to any scheme but IO keeps them', () => {
    const schemes = SCHEMES.filter((s) => s !== 'IO');
    const valid = fc.array(fc.constantFrom(...TAGS, 'PER', 'LOC'), { maxLength: 20 });
    fc.assert(fc.property(valid, fc.constantFrom(...SCHEMES), fc.constantFrom(...schemes) as fc.Arbitrary<SchemeName>, (tags, from, to) => {
      const spans = tagsToSpans(tags, from);
      let prevEnd = 0;
      for (const s of spans) {
        expect(s.start).toBeGreaterThanOrEqual(prevEnd);
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end).toBeLessThanOrEqual(tags.length);
        prevEnd = s.end;
      }
      const converted = convertTags(tags, from, to);
      expect(converted).toHaveLength(tags.length);
      expect(tagsToSpans(converted, to)).toEqual(spans);
      // Bare IO tags read as I-TYPE: the same spans with or without the prefix.
      expect(tagsToSpans(prefixBareTags(tags), from)).toEqual(spans);
    }), { numRuns: 1000 });
  });

  it('garbage tags fail only with a TagError (a UserError), never a crash', () => {
    fc.assert(fc.property(fc.array(anyTag, { maxLength: 10 }), fc.constantFrom(...SCHEMES), (tags, scheme) => {
      try {
        tagsToSpans(tags, scheme);
        tagsToSpans(tags, scheme, { strict: true });
      } catch (err) {
        expect((err as Error).name).toBe('TagError');
      }
    }), { numRuns: 500 });
  });
});

/** An untrained tiny tagger: enough to check offsets, which do not depend on the weights. */
function tinyTagger(): Tagger {
  const arch = { ...DEFAULT_ARCHITECTURE, wordDim: 4, charDim: 3, charHidden: 3, casingDim: 2, hidden: 3, dropout: 0 };
  const vocab = { words: [PAD, UNK, 'helena', 'marsh', '.'], chars: [PAD, UNK, ...'HelnaMrsh.'], tags: ['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER'] };
  return { model: new SequenceTagger(arch, vocab, 3), meta: { arch, vocab, trainScheme: 'IOBES', dataScheme: 'IOB2', decoder: 'softmax' } };
}

describe('tagging arbitrary text keeps offsets exact', () => {
  const tagger = tinyTagger();
  const textPiece = fc.constantFrom(
    'Helena', 'Marsh', ' ', '  ', '.', '. ', '\n', '\n\n', '\t', '😀', '👩‍👩‍👧', '🇩🇪', 'שלום', 'مرحبا', '\u200f', '\u200b', '\ufeff', '\u0007',
    '\u0000', '\u001b[0m', 'e\u0301', '\r\n', '\u2028', '"', "n't", 'U.S.', '...', '\ud800',
  );
  it('tokens, entities and sentences slice back to their text', () => {
    fc.assert(fc.property(fc.array(textPiece, { maxLength: 80 }), fc.constantFrom('blank', 'single') as fc.Arbitrary<'blank' | 'single'>, (pieces, newlines) => {
      const text = pieces.join('');
      for (const s of tagText(tagger, text, { newlines })) {
        expect(text.slice(s.start, s.end)).toBe(s.text);
        for (const t of s.tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
        for (const e of s.entities) expect(text.slice(e.start, e.end)).toBe(e.text);
      }
    }), { numRuns: 300 });
  });

  it('predict on sentences longer than the window limit: one tag per token, entities in range', () => {
    const long = Array.from({ length: 2500 }, (_, i) => (i % 3 === 0 ? 'Helena' : 'marsh'));
    const [p, q] = predict(tagger, [long, ['Helena', 'Marsh']]);
    expect(p.tags).toHaveLength(2500);
    expect(q.tags).toHaveLength(2);
    for (const e of p.entities) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeLessThanOrEqual(2500);
    }
    // Windows are tagged as the sentences they are.
    const alone = predict(tagger, [long.slice(0, 1000), long.slice(1000, 2000), long.slice(2000)]);
    expect(p.tags).toEqual(alone.flatMap((x) => x.tags));
  });
});
