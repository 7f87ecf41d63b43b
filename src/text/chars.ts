/**
 * Character classes shared by the tokenizer and the sentence splitter.
 *
 * All positions are UTF-16 code-unit offsets, as JavaScript strings index them: an emoji outside
 * the Basic Multilingual Plane takes two positions, and `text.slice(start, end)` is always valid.
 */

/**
 * Separators: characters that end a token and belong to no token. They are every JavaScript
 * whitespace character (`\s`: ASCII spaces, tabs and line breaks, NBSP, U+2000–U+200A,
 * U+2028/U+2029, U+3000, U+FEFF …), every control character (C0, DEL, C1), and the invisible
 * format characters that carry no letter: zero-width space U+200B, the bidirectional marks and
 * embeddings (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), word joiner and invisible
 * operators (U+2060–U+2064) and the Mongolian vowel separator U+180E.
 * Zero-width (non-)joiners U+200C/U+200D and the soft hyphen U+00AD are NOT separators: they
 * occur inside words (Persian, Indic scripts, emoji sequences, hyphenation points).
 */
export const SEPARATOR = /[\s\p{Cc}\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069]/u;

/** True when the UTF-16 code unit at `i` is a separator (see SEPARATOR). */
export function isSeparatorAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return c <= 0x20 || c === 0x7f;
  return SEPARATOR.test(text[i]);
}

/** Letters (any script), combining marks and numbers: the characters words are made of. */
export const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** Lower-case letters: a sentence does not start with one. */
export const LOWER_START = /^\p{Ll}/u;
