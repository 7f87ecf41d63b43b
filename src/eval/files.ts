/**
 * Evaluation input from files.
 *
 * - A conlleval-format file: one token per line, the last two columns are the gold and the
 *   predicted tag (`EU NNP I-ORG B-ORG`), sentences separated by blank lines. As in conlleval,
 *   every line must have the same number of columns, and a line whose first column is `-X-` is
 *   a boundary. Unlike conlleval, a `-DOCSTART-` line is a boundary and not a token (the Perl
 *   script counts it as an O/O token, which changes its token count and accuracy but no chunk
 *   count).
 * - Two CoNLL files, gold and predicted (tag in the last column of each by default), read in
 *   step; they must hold the same sentences with the same tokens, or evaluation stops at the
 *   first mismatching line.
 *
 * In both, every tag must be a tag of some scheme (`B_PER` or `I+X` stop the evaluation at their
 * line), a bare type `PER` (IO without prefixes) is scored as `I-PER` (conlleval would see no
 * chunk in it), and a file without any token is an error rather than a score of 0.
 */
import { readLines, type TextEncoding } from '../data/lines.js';
import { splitColumns, DOCSTART, readConll, type ConllReadOptions } from '../data/conll.js';
import { SchemeDetector, TagError, tagProblem, prefixBareTags } from '../data/schemes.js';
import { InputError, UserError } from '../errors.js';
import { Evaluator, type EvalOptions, type EvalResult } from './evaluate.js';

/** One sentence of a conlleval-format file. */
export interface TaggedPair {
  tokens: string[];
  gold: string[];
  pred: string[];
  /** Line of the first token (1-based). */
  line: number;
}

/** Stream the sentences of a conlleval-format file (last two columns: gold tag, predicted tag). */
export async function* readConllevalFile(file: string, options: { encoding?: TextEncoding } = {}): AsyncGenerator<TaggedPair> {
  let lineNo = 0;
  let width = -1;
  let widthLine = 0;
  let cur: TaggedPair | null = null;
  let any = false;
  const good = new Set<string>();
  for await (const line of readLines(file, { encoding: options.encoding })) {
    lineNo++;
    const f = splitColumns(line);
    if (f.length === 0 || f[0] === DOCSTART || f[0] === '-X-') {
      if (cur) yield cur;
      cur = null;
      continue;
    }
    if (f.length < 2) {
      throw new InputError(file, lineNo, `expected a gold and a predicted tag as the last two columns, found ${f.length} column`);
    }
    if (width < 0) {
      width = f.length;
      widthLine = lineNo;
    } else if (f.length !== width) {
      throw new InputError(file, lineNo, `expected ${width} columns (as on line ${widthLine}), found ${f.length}`);
    }
    cur ??= { tokens: [], gold: [], pred: [], line: lineNo };
    any = true;
    const g = f[f.length - 2], p = f[f.length - 1];
    for (const t of [g, p]) {
      if (good.has(t)) continue;
      const problem = tagProblem(t);
      if (problem !== null) throw new InputError(file, lineNo, problem);
      if (good.size < 10_000) good.add(t);
    }
    cur.tokens.push(f.length > 2 ? f[0] : '');
    cur.gold.push(g);
    cur.pred.push(p);
  }
  if (cur) yield cur;
  if (!any) throw new InputError(file, null, 'no tokens to score (the file is empty or holds only blank lines)');
}

/**
 * Run `fn` (scoring one sentence that starts at `line`); a tag error becomes an InputError at
 * the line of the offending tag (found in `tags`, the sentence's tag lists).
 */
function atLine<T>(file: string, line: number, fn: () => T, ...tags: (readonly string[])[]): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UserError && !(err instanceof InputError)) {
      let offset = 0;
      if (err instanceof TagError) {
        for (const list of tags) {
          const i = list.indexOf(err.tag);
          if (i >= 0) { offset = i; break; }
        }
      }
      throw new InputError(file, line + offset, err.message);
    }
    throw err;
  }
}

/**
 * Score a conlleval-format file. In strict mode without a scheme, the gold tags are read first
 * to detect it (the file is then read twice, still streamed).
 */
export async function evaluateConllevalFile(file: string, options: EvalOptions & { encoding?: TextEncoding } = {}): Promise<{ result: EvalResult; evaluator: Evaluator }> {
  const opts = { ...options };
  if (opts.mode === 'strict' && !opts.scheme) {
    const detector = new SchemeDetector();
    for await (const s of readConllevalFile(file, options)) atLine(file, s.line, () => detector.add(s.gold), s.gold);
    opts.scheme = detector.result();
  }
  const ev = new Evaluator(opts);
  for await (const s of readConllevalFile(file, options)) {
    atLine(file, s.line, () => ev.add(prefixBareTags(s.gold), prefixBareTags(s.pred)), s.gold, s.pred);
  }
  return { result: ev.result(), evaluator: ev };
}

export interface TwoFileOptions extends EvalOptions {
  /** Reading of the gold file. Default: token in the first column, tag in the last. */
  gold?: ConllReadOptions;
  /** Reading of the prediction file. Default: token in the first column, tag in the last. */
  pred?: ConllReadOptions;
}

/**
 * Score a prediction file against a gold file (both CoNLL column files). They must align:
 * same sentences, same token counts, same tokens — otherwise an InputError names the first
 * mismatching line of the prediction file and the gold line it should match.
 */
export async function evaluateFiles(goldFile: string, predFile: string, options: TwoFileOptions = {}): Promise<{ result: EvalResult; evaluator: Evaluator }> {
  const opts: EvalOptions = { mode: options.mode, rules: options.rules, scheme: options.scheme, errors: options.errors };
  if (opts.mode === 'strict' && !opts.scheme) {
    const detector = new SchemeDetector();
    for await (const s of readConll(goldFile, options.gold)) atLine(goldFile, s.line ?? 0, () => detector.add(s.tags), s.tags);
    opts.scheme = detector.result();
  }
  const ev = new Evaluator(opts);
  const gold = readConll(goldFile, options.gold);
  const pred = readConll(predFile, options.pred);
  try {
    for (let n = 1; ; n++) {
      const [g, p] = await Promise.all([gold.next(), pred.next()]);
      if (g.done && p.done) {
        if (n === 1) throw new InputError(goldFile, null, 'no sentences to score (the file is empty or holds only blank lines)');
        break;
      }
      if (g.done) throw new InputError(predFile, p.value!.line ?? null, `sentence ${n} has no counterpart: the gold file ${goldFile} has only ${n - 1} sentences`);
      if (p.done) throw new InputError(predFile, null, `ends after ${n - 1} sentences, the gold file has more (sentence ${n} at ${goldFile}:${g.value.line})`);
      const gs = g.value, ps = p.value;
      const len = Math.min(gs.tokens.length, ps.tokens.length);
      for (let i = 0; i < len; i++) {
        if (gs.tokens[i] !== ps.tokens[i]) {
          throw new InputError(predFile, (ps.line ?? 0) + i, `token "${ps.tokens[i]}" does not match "${gs.tokens[i]}" at ${goldFile}:${(gs.line ?? 0) + i}`);
        }
      }
      if (gs.tokens.length !== ps.tokens.length) {
        const longer = ps.tokens.length > len;
        const line = (ps.line ?? 0) + len;
        throw new InputError(
          predFile,
          line,
          longer
            ? `sentence ${n} has ${ps.tokens.length} tokens, the gold sentence at ${goldFile}:${gs.line} has ${gs.tokens.length}`
            : `sentence ${n} ends after ${ps.tokens.length} tokens, the gold sentence at ${goldFile}:${gs.line} has ${gs.tokens.length}`,
        );
      }
      atLine(predFile, ps.line ?? 0, () => ev.add(prefixBareTags(gs.tags), prefixBareTags(ps.tags)), ps.tags, gs.tags);
    }
  } finally {
    await Promise.all([gold.return(undefined), pred.return(undefined)]);
  }
  return { result: ev.result(), evaluator: ev };
}
