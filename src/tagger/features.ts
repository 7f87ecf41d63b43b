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
