/**
 * Sentence splitter for news text, with character offsets, and the `tokenize` entry point.
 *
 * natural's SentenceTokenizer was tried and not used: on news text it splits after `p.m.`,
 * `U.S.`, `Jan.`, `Mr.` (an abbreviation list fixes some, not `3 p.m.` or `Jan. 5.`), and it
 * builds a regular expression from every delimiter found and substitutes every placeholder into
 * every sentence, so its time grows with the square of the input.
 *
 * A sentence ends after a run of `.`, `?`, `!` or `…` (plus any closing quotes or brackets) that
 * is followed by a separator, unless the next word starts with a lower-case letter or the period
 * belongs to an abbreviation:
 *   - titles (`Mr.`, `Dr.`, `Gen.`, `Sen.` …): never a sentence end;
 *   - `No. 5`, `Jan. 5`, `Vol. 2`: not before a number;
 *   - other abbreviations (`U.S.`, `p.m.`, `Inc.`, `Jan.`, initials like `F.`): a sentence end
 *     only when the next word is one that typically starts a sentence (`The`, `He`, `But` …),
 *     so `in the U.S. The dollar` splits and `U.S. Treasury` does not.
 * A blank line (paragraph break) always ends a sentence; with `newlines: 'single'` every line
 * break does (one sentence per line). The ideographic full stop and fullwidth `！` `？` end a
 * sentence without a following space.
 *
 * Time is linear in the input: every character is looked at a bounded number of times.
 */
import { isSeparatorAt } from './chars.js';
import { tokenizeSentence, type Token } from './tokenizer.js';

/** A sentence: `text.slice(start, end)` without surrounding separators, and its tokens. */
export interface SentenceSpan {
  start: number;
  end: number;
  tokens: Token[];
}

export interface SplitOptions {
  /**
   * Which line breaks end a sentence: `'blank'` (default) a blank line only (paragraphs);
   * `'single'` every line break (one sentence per line); `'never'` none.
   */
  newlines?: 'blank' | 'single' | 'never';
}

const TITLES = new Set([
  'mr', 'mrs', 'ms', 'messrs', 'mme', 'mlle', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cpt', 'sgt', 'cpl',
  'adm', 'cmdr', 'gov', 'sen', 'rep', 'reps', 'rev', 'hon', 'pres', 'supt', 'insp', 'det', 'fr', 'sr', 'sra', 'srta',
]);
const BEFORE_NUMBER = new Set(['no', 'nos', 'vol', 'vols', 'art', 'fig', 'figs', 'p', 'pp', 'ch', 'sec', 'ed', 'op', 'tel']);
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
const ABBREVIATIONS = new Set([
  ...MONTHS, 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'inc', 'corp', 'co', 'cos', 'ltd', 'plc', 'bros', 'jr', 'st', 'ave', 'blvd', 'rd', 'mt', 'ft', 'dept', 'univ',
  'assn', 'govt', 'etc', 'vs', 'approx', 'est', 'min', 'max', 'cf', 'al', 'ca', 'mln', 'bln', 'pct',
  // U.S. states as Reuters abbreviates them (`IRVINE, Calif. 1996-08-29`)
  'ala', 'ariz', 'ark', 'calif', 'colo', 'conn', 'del', 'fla', 'ga', 'ill', 'ind', 'kan', 'ky', 'la', 'md',
  'mass', 'mich', 'minn', 'miss', 'mo', 'mont', 'neb', 'nev', 'okla', 'ore', 'pa', 'penn', 'tenn', 'tex', 'va',
  'vt', 'wash', 'wis', 'wyo',
]);
/** Words that often start a sentence and rarely follow an abbreviation inside one. */
const STARTERS = new Set([
  'The', 'A', 'An', 'He', 'She', 'It', 'They', 'We', 'I', 'You', 'This', 'That', 'These', 'Those', 'There', 'Here',
  'His', 'Her', 'Its', 'Their', 'Our', 'My', 'But', 'And', 'Or', 'So', 'Yet', 'However', 'In', 'On', 'At', 'For',
  'If', 'When', 'While', 'After', 'Before', 'As', 'Since', 'Although', 'Some', 'Many', 'Most', 'Other', 'Others',
  'What', 'Why', 'How', 'Who', 'Where', 'Mr', 'Mrs', 'Ms', 'Also', 'Meanwhile', 'Earlier', 'Later', 'Shares', 'Then',
]);
const OPENERS = new Set(['"', "'", '(', '[', '{', '\u201c', '\u2018', '\u00ab', '\u2039', '`']);
const CLOSERS = new Set(['"', "'", ')', ']', '}', '\u201d', '\u2019', '\u00bb', '\u203a']);
const ACRONYM = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u;
const LIST_NUMBER = /^\d{1,3}$/;
const SINGLE_LETTER = /^\p{L}$/u;
/** A sentence starts with a letter that is not lower-case, a number, or a currency sign. */
const SENTENCE_START = /^(?!\p{Ll})[\p{L}\p{N}\p{Sc}]/u;
const LETTER = /\p{L}/u;
const TERMINATORS = /[.?!\u2026\u3002\uFF01\uFF0E\uFF1F\uFF61]+/g;
const WIDE_TERMINATOR = /[\u3002\uFF01\uFF1F\uFF61]/;

/** The word after position `j` (after separators and opening quotes): its first char and letters. */
function nextWord(text: string, j: number): { first: string; word: string } | null {
  const n = text.length;
  while (j < n && isSeparatorAt(text, j)) j++;
  while (j < n && OPENERS.has(text[j])) j++;
  if (j >= n) return null;
  let k = j;
  while (k < n && k - j < 24 && LETTER.test(text[k])) k++;
  return { first: text.slice(j, j + 2), word: text.slice(j, k) };
}

/** True when only separators lie between the last sentence end and `s` (a list number `1.`). */
function startsSentence(text: string, s: number, lastEnd: number): boolean {
  while (s > lastEnd && isSeparatorAt(text, s - 1)) s--;
  return s === lastEnd;
}

/** Does the period run at [a, b) end a sentence? `stem` is the word before it. */
function periodEnds(stem: string, next: { first: string; word: string }): boolean {
  const lower = stem.toLowerCase();
  const digitNext = next.first.charCodeAt(0) >= 0x30 && next.first.charCodeAt(0) <= 0x39;
  if (TITLES.has(lower)) return false;
  if ((BEFORE_NUMBER.has(lower) || MONTHS.has(lower)) && digitNext) return false;
  if (ABBREVIATIONS.has(lower) || ACRONYM.test(stem) || SINGLE_LETTER.test(stem)) return STARTERS.has(next.word);
  return true;
}

/** Offsets where sentences end (exclusive), in increasing order; the end of the text excluded. */
export function sentenceBoundaries(text: string, options: SplitOptions = {}): number[] {
  const n = text.length;
  const ends: number[] = [];
  TERMINATORS.lastIndex = 0;
  let m: RegExpExecArray | null;
  let lastEnd = 0;
  let stemFloor = 0; // look-back never passes the previous candidate: keeps the scan linear
  while ((m = TERMINATORS.exec(text)) !== null) {
    const a = m.index;
    const run = m[0];
    let e = a + run.length;
    while (e < n && CLOSERS.has(text[e])) e++;
    const wide = WIDE_TERMINATOR.test(run[run.length - 1]);
    if (!wide && e < n && !isSeparatorAt(text, e)) continue;
    if (e >= n) break;
    const next = nextWord(text, e);
    if (next === null) break;
    // `Calif. ,` or `approx. 5` with a lower-case word: not a sentence start
    if (!SENTENCE_START.test(next.first)) continue;
    let ends_ = true;
    if (/^[.\uFF0E]$/.test(run)) {
      let s = a;
      while (s > stemFloor && !isSeparatorAt(text, s - 1)) s--;
      while (s < a && OPENERS.has(text[s])) s++;
      const stem = text.slice(s, a);
      ends_ = s === a || (periodEnds(stem, next) && !(LIST_NUMBER.test(stem) && startsSentence(text, s, lastEnd)));
    }
    stemFloor = e;
    if (ends_) { ends.push(e); lastEnd = e; }
  }
  const mode = options.newlines ?? 'blank';
  if (mode === 'never') return ends;
  const breaks: number[] = [];
  const re = mode === 'single' ? /\r\n|[\n\r\u2028\u2029\u0085]/g : /\n[^\S\n]*\n|\u2029/g;
  while ((m = re.exec(text)) !== null) breaks.push(m.index + m[0].length);
  return mergeSorted(ends, breaks);
}

function mergeSorted(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/**
 * Split `text` into sentences and tokenize each one. Offsets (UTF-16 code units) refer to
 * `text`; sentences with no token (only separators) are left out.
 */
export function splitSentences(text: string, options: SplitOptions = {}): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let from = 0;
  for (const to of [...sentenceBoundaries(text, options), text.length]) {
    let s = from, e = to;
    while (s < e && isSeparatorAt(text, s)) s++;
    while (e > s && isSeparatorAt(text, e - 1)) e--;
    if (e > s) {
      const tokens = tokenizeSentence(text, s, e);
      if (tokens.length > 0) out.push({ start: s, end: e, tokens });
    }
    from = to;
  }
  return out;
}

/** Tokens of `text` (sentences are split first, so each sentence's final period is a token). */
export function tokenize(text: string, options: SplitOptions = {}): Token[] {
  const sentences = splitSentences(text, options);
  if (sentences.length === 1) return sentences[0].tokens;
  const out: Token[] = [];
  for (const s of sentences) for (const t of s.tokens) out.push(t);
  return out;
}
