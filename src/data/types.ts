/**
 * One sentence of a column file (or CSV): parallel arrays, one entry per token.
 * `tags` holds the tag column's values; an unlabelled sentence (raw text to tag) has `tags` = [].
 * `columns[i]` holds every column of token i as read (so a writer can round-trip the file).
 * `line` is the 1-based line of the sentence's first token in its file, for error messages.
 * `docStart` is true for the first sentence after a `-DOCSTART-` line; `docStartText` keeps that
 * line as read, so a writer reproduces it byte for byte.
 * `id` is the sentence id of a CSV file (the `Sentence #` column), when there is one.
 */
export interface Sentence {
  tokens: string[];
  tags: string[];
  columns?: string[][];
  line?: number;
  docStart?: boolean;
  docStartText?: string;
  id?: string;
}

/** A labelled span of tokens: [start, end) in token indices, `type` e.g. "PER". */
export interface Span {
  type: string;
  start: number;
  end: number;
}
