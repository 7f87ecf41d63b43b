/** The tokenizer's contract, checked on any input (shared by the tokenizer and sentence tests). */
import { isSeparatorAt, type Token } from '../../src/text/index.js';

export function expectTokenInvariants(text: string, tokens: Token[]): void {
  let prevEnd = 0;
  const covered = new Uint8Array(text.length);
  for (const t of tokens) {
    if (t.end <= t.start) throw new Error(`empty token at ${t.start}`);
    if (t.start < prevEnd) throw new Error(`token ${JSON.stringify(t.text)} at ${t.start} overlaps the previous one (end ${prevEnd})`);
    if (text.slice(t.start, t.end) !== t.text) throw new Error(`token ${JSON.stringify(t.text)} is not the slice [${t.start}, ${t.end})`);
    covered.fill(1, t.start, t.end);
    prevEnd = t.end;
  }
  for (let i = 0; i < text.length; i++) {
    if (!covered[i] && !isSeparatorAt(text, i)) {
      throw new Error(`character U+${text.charCodeAt(i).toString(16)} at ${i} is in no token`);
    }
  }
  // A token never starts or ends with a separator, and never splits a surrogate pair.
  for (const t of tokens) {
    if (isSeparatorAt(text, t.start) || isSeparatorAt(text, t.end - 1)) throw new Error(`token at ${t.start} has a separator at an edge`);
    const first = text.charCodeAt(t.start), beforeFirst = text.charCodeAt(t.start - 1);
    if (first >= 0xdc00 && first <= 0xdfff && beforeFirst >= 0xd800 && beforeFirst <= 0xdbff) {
      throw new Error(`token at ${t.start} starts inside a surrogate pair`);
    }
  }
}
