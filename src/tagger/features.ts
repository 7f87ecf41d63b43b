/**
 * Token features of the tagger that are not learned from a vocabulary file:
 * the word-form normalisation used for word-embedding lookup, and the casing class.
 */

/**
 * The key a word is looked up by in the word-embedding table: lower-cased, every digit mapped
 * to 0 (pretrained GloVe-style tables are lower-cased and lack most numbers, so "1996" and
 * "2003" share the entry "0000"). Capitalisation is not lost: the casing feature and the
 * character encoder see the original form.
 */
export function wordKey(token: string): string {
  // ASCII tokens (nearly all of them in English text) without the Unicode regex: the same key.
  let ascii = true, digit = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 128) { ascii = false; break; }
    if (c >= 48 && c <= 57) digit = true;
  }
  if (ascii) return digit ? token.toLowerCase().replace(/[0-9]/g, '0') : token.toLowerCase();
  return token.toLowerCase().replace(/\p{Nd}/gu, '0');
}

/** Casing classes (Reimers & Gurevych 2017 style), index 0 reserved for padding. */
export const CASINGS = [
  '<pad>', 'numeric', 'mainly_numeric', 'all_lower', 'all_upper', 'initial_upper', 'contains_digit', 'other',
] as const;
export type Casing = (typeof CASINGS)[number];

const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const DIGIT = /\p{Nd}/u;

/** The casing class index of a token (1…7; 0 is padding). */
export function casingOf(token: string): number {
  const fast = asciiCasing(token);
  return fast >= 0 ? fast : unicodeCasing(token);
}

const [C_NUMERIC, C_MAINLY_NUMERIC, C_ALL_LOWER, C_ALL_UPPER, C_INITIAL_UPPER, C_CONTAINS_DIGIT, C_OTHER] =
  (['numeric', 'mainly_numeric', 'all_lower', 'all_upper', 'initial_upper', 'contains_digit', 'other'] as const).map((c) => CASINGS.indexOf(c));

/** casingOf for a non-empty ASCII token by char codes (−1: not ASCII, or empty); the same classes as unicodeCasing. */
function asciiCasing(token: string): number {
  const n = token.length;
  if (n === 0) return -1;
  let digits = 0, lower = 0, upper = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c >= 128) return -1;
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
  }
  if (digits === n) return C_NUMERIC;
  if (digits / n > 0.5) return C_MAINLY_NUMERIC;
  if (lower === n) return C_ALL_LOWER;
  if (upper === n) return C_ALL_UPPER;
  const first = token.charCodeAt(0);
  if (first >= 65 && first <= 90) return C_INITIAL_UPPER;
  if (digits > 0) return C_CONTAINS_DIGIT;
  return C_OTHER;
}

/** casingOf by Unicode categories (any token; the reference for asciiCasing in tests). */
export function unicodeCasing(token: string): number {
  let digits = 0, lower = 0, upper = 0, n = 0;
  for (const ch of token) {
    n++;
    if (DIGIT.test(ch)) digits++;
    else if (LOWER.test(ch)) lower++;
    else if (UPPER.test(ch)) upper++;
  }
  if (n === 0) return CASINGS.indexOf('other');
  if (digits === n) return CASINGS.indexOf('numeric');
  if (digits / n > 0.5) return CASINGS.indexOf('mainly_numeric');
  if (lower === n) return CASINGS.indexOf('all_lower');
  if (upper === n) return CASINGS.indexOf('all_upper');
  const first = token.codePointAt(0)!;
  if (UPPER.test(String.fromCodePoint(first))) return CASINGS.indexOf('initial_upper');
  if (digits > 0) return CASINGS.indexOf('contains_digit');
  return CASINGS.indexOf('other');
}
