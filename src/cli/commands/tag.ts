import type { CommandModule, Argv } from 'yargs';
import { createReadStream } from 'node:fs';
import { format as csvFormat } from 'fast-csv';
import { loadModel } from '../../tagger/store.js';
import { resolveModelDir } from '../../tagger/default.js';
import { type Tagger } from '../../tagger/tagger.js';
import { tagText, formatInline, sentenceJson, type TaggedSentence } from '../../tagger/text.js';
import { readConll, readCsv, ConllFormatter, AtomicFileWriter, checkReadableFile, type Sentence } from '../../data/index.js';
import { decodeText } from '../../data/lines.js';
import { SCHEMES, type SchemeName } from '../../data/schemes.js';
import { UserError } from '../../errors.js';
import { initBackend } from '../../tensor/backend.js';
import { tagChunks, textChunks, tokenChunks, groupsOf } from '../../parallel/tagPool.js';
import { defaultThreads, checkThreads } from '../../parallel/workerScript.js';

type OutFormat = 'inline' | 'json' | 'jsonl' | 'conll' | 'csv';
type InFormat = 'text' | 'conll' | 'csv';

interface TagArgs {
  text?: string[]; file?: string; model?: string; 'input-format': InFormat; 'output-format': OutFormat;
  out?: string; 'batch-size': number; 'one-sentence-per-line': boolean; scheme?: SchemeName; constrained: boolean;
  verbose: boolean; threads: number; 'top-k'?: number; encoding: 'utf8' | 'latin1' | 'cp1252';
}

/** Where output goes: stdout, or a file written atomically (renamed into place when complete). */
class Sink {
  private readonly file: AtomicFileWriter | null;
  constructor(out?: string) { this.file = out ? new AtomicFileWriter(out) : null; }
  write(s: string): void { if (this.file) this.file.write(s); else process.stdout.write(s); }
  close(): void { this.file?.close(); }
  abort(): void { this.file?.abort(); }
}

/** Writes tagged text sentences in the chosen format, incrementally. */
class TextWriter {
  private n = 0;
  private csv: ReturnType<typeof csvFormat> | null = null;
  private csvDone: Promise<void> | null = null;
  constructor(private readonly sink: Sink, private readonly fmt: OutFormat) {
    if (fmt === 'json') sink.write('[');
    if (fmt === 'csv') {
      this.csv = csvFormat({ headers: ['sentence', 'token', 'start', 'end', 'tag'], includeEndRowDelimiter: true });
      this.csv.on('data', (d: Buffer) => sink.write(d.toString()));
      this.csvDone = new Promise((res, rej) => { this.csv!.on('end', res); this.csv!.on('error', rej); });
    }
  }
  write(s: TaggedSentence): void {
    this.n++;
    switch (this.fmt) {
      case 'inline': this.sink.write(formatInline(s) + '\n'); break;
      case 'jsonl': this.sink.write(JSON.stringify(sentenceJson(s)) + '\n'); break;
      case 'json': this.sink.write((this.n > 1 ? ',\n' : '\n') + JSON.stringify(sentenceJson(s))); break;
      case 'conll': this.sink.write((this.n > 1 ? '\n' : '') + s.tokens.map((k) => `${k.text}\t${k.tag}`).join('\n') + '\n'); break;
      case 'csv': for (const k of s.tokens) this.csv!.write([String(this.n), k.text, String(k.start), String(k.end), k.tag]); break;
    }
  }
  async end(): Promise<void> {
    if (this.fmt === 'json') this.sink.write(this.n > 0 ? '\n]\n' : ']\n');
    if (this.csv) { this.csv.end(); await this.csvDone; }
  }
}

/**
 * Text from a file or stdin, in pieces that end at a sentence-safe boundary (a blank line, or a
 * line break in one-sentence-per-line mode), each with its offset in the whole input. Memory
 * stays bounded by the largest paragraph.
 */
async function* textPieces(chunks: AsyncIterable<string>, perLine: boolean, target = 1 << 16): AsyncGenerator<{ text: string; offset: number }> {
  let buf = '';
  let offset = 0;
  const boundary = perLine ? /\n/g : /\n[^\S\n]*\n/g;
  for await (const chunk of chunks) {
    buf += offset === 0 && buf === '' && chunk.charCodeAt(0) === 0xfeff ? ' ' + chunk.slice(1) : chunk;
    if (buf.length < target) continue;
    let cut = -1;
    boundary.lastIndex = 0;
    for (let m = boundary.exec(buf); m; m = boundary.exec(buf)) cut = m.index + m[0].length;
    if (cut <= 0) continue;
    yield { text: buf.slice(0, cut), offset };
    offset += cut;
    buf = buf.slice(cut);
  }
  if (buf.length > 0) yield { text: buf, offset };
}

export const tagCommand: CommandModule<object, TagArgs> = {
  command: 'tag [text..]',
  describe: 'Find entities in text (arguments, --file or standard input) or in a CoNLL/CSV file of tokens',
  builder: (y: Argv) => y
    .usage('$0 tag [TEXT..] [--file FILE] [--model DIR] [--output-format inline|json|jsonl|conll|csv]\n$0 tag --input-format conll FILE')
    .positional('text', { type: 'string', array: true, describe: 'Text to tag (each argument on its own); a FILE with --input-format conll|csv' })
    .option('file', { alias: 'f', type: 'string', describe: 'Read the input from this file (- for standard input)' })
    .option('model', { alias: 'm', type: 'string', describe: 'Model directory (default: the English model shipped in models/en)' })
    .option('input-format', { choices: ['text', 'conll', 'csv'] as const, default: 'text' as const, describe: 'text: raw text; conll/csv: one token per row (token in the first column / Word column)' })
    .option('output-format', { alias: 'o', choices: ['inline', 'json', 'jsonl', 'conll', 'csv'] as const, describe: 'Output format (default: inline for text, conll for conll input, csv for csv input)' })
    .option('out', { type: 'string', describe: 'Write the output to this file (atomically) instead of standard output' })
    .option('one-sentence-per-line', { type: 'boolean', default: false, describe: 'Every line break ends a sentence (default: only blank lines and sentence punctuation)' })
    .option('scheme', { choices: SCHEMES, describe: 'Tag scheme of the output tags (default: the scheme of the model\'s training data)' })
    .option('constrained', { type: 'boolean', default: true, describe: 'Decode well-formed tag sequences only (--no-constrained: per-token argmax)' })
    .option('batch-size', { type: 'number', default: 32, describe: 'Sentences per forward pass' })
    .option('top-k', { type: 'number', describe: 'Also list the K most probable tag sequences per sentence with their probabilities (CRF models; json/jsonl output)' })
    .option('threads', { type: 'number', default: defaultThreads(), describe: 'Threads for large inputs: this one and N-1 workers (default: every core; a small input starts no worker)' })
    .option('encoding', { choices: ['utf8', 'latin1', 'cp1252'] as const, default: 'utf8' as const, describe: 'Text encoding of the input (text, CoNLL or CSV); offsets count characters of the decoded text' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Report throughput on standard error' }) as unknown as Argv<TagArgs>,
  handler: async (a) => {
    const fmt: OutFormat = (a as { 'output-format'?: OutFormat })['output-format']
      ?? (a['input-format'] === 'conll' ? 'conll' : a['input-format'] === 'csv' ? 'csv' : 'inline');
    if (!(Number.isInteger(a['batch-size']) && a['batch-size'] > 0)) throw new UserError(`--batch-size must be a positive integer, got ${a['batch-size']}`);
    const threads = checkThreads(a.threads);
    initBackend();
    const modelDir = resolveModelDir(a.model);
    const tagger: Tagger = loadModel(modelDir);
    const topK = a['top-k'];
    if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new UserError(`--top-k must be a positive integer, got ${topK}`);
    if (topK !== undefined && fmt !== 'json' && fmt !== 'jsonl') throw new UserError('--top-k lists sequences in JSON: add --output-format json or jsonl');
    if (topK !== undefined && !tagger.model.crf) throw new UserError('--top-k needs a model trained with --decoder crf (a softmax model has no sequence probabilities)');
    const popts = { batchSize: a['batch-size'], outputScheme: a.scheme, constrained: a.constrained, topK };
    const started = performance.now();
    let tokens = 0, sentences = 0;
    const sink = new Sink(a.out);
    try {
      if (a['input-format'] === 'text') {
        if (fmt !== 'inline' && fmt !== 'json' && fmt !== 'jsonl' && fmt !== 'conll' && fmt !== 'csv') throw new UserError(`unknown output format ${fmt}`);
        const newlines = a['one-sentence-per-line'] ? 'single' as const : 'blank' as const;
        const fromArgs = a.text && a.text.length > 0 && a.file === undefined;
        // yargs reads `--file -` as an empty string: both mean standard input.
        const file = a.file === undefined || a.file === '' ? '-' : a.file;
        if (!fromArgs) {
          if (file !== '-') await checkReadableFile(file);
          else if (process.stdin.isTTY) throw new UserError('no input: give text as arguments, --file FILE, or pipe text to standard input');
        }
        const w = new TextWriter(sink, fmt);
        const emit = (ss: TaggedSentence[]) => { for (const s of ss) { w.write(s); tokens += s.tokens.length; sentences++; } };
        if (fromArgs) {
          for (const t of a.text!) emit(tagText(tagger, String(t), { ...popts, newlines }));
        } else {
          const stream = file === '-' ? process.stdin : createReadStream(file);
          const pieces = textPieces(decodeText(stream as AsyncIterable<Buffer>, file === '-' ? '<stdin>' : file, a.encoding), a['one-sentence-per-line']);
          for await (const { result } of tagChunks(pieces, textChunks(tagger, { ...popts, newlines }), { threads, modelDir, share: tagger.model })) emit(result);
        }
        await w.end();
      } else {
        const file = a.file ?? a.text?.[0];
        if (!file) throw new UserError(`--input-format ${a['input-format']} needs a FILE`);
        if (fmt !== 'conll' && fmt !== 'csv') throw new UserError(`--input-format ${a['input-format']} writes conll or csv, not ${fmt}`);
        const source = a['input-format'] === 'conll' ? readConll(String(file), { labelled: false, encoding: a.encoding }) : readCsv(String(file), { labelled: false, encoding: a.encoding });
        const formatter = new ConllFormatter((t) => sink.write(t), { delimiter: ' ' });
        const csv = fmt === 'csv' ? csvFormat({ headers: ['sentence_id', 'token', 'tag'], includeEndRowDelimiter: true }) : null;
        const csvDone = csv ? new Promise((res, rej) => { csv.on('data', (d: Buffer) => sink.write(d.toString())); csv.on('end', res); csv.on('error', rej); }) : null;
        const chunks = groupsOf(source, threads > 1 ? 256 : 1024);
        for await (const { chunk, result: preds } of tagChunks(chunks, tokenChunks<Sentence>(tagger, popts), { threads, modelDir, share: tagger.model })) {
          chunk.forEach((s, i) => {
            sentences++;
            tokens += s.tokens.length;
            if (csv) s.tokens.forEach((tok, j) => csv.write([s.id ?? String(sentences), tok, preds[i].tags[j]]));
            else formatter.write({ tokens: s.tokens, tags: preds[i].tags, docStart: s.docStart });
          });
        }
        if (csv) { csv.end(); await csvDone; }
      }
      sink.close();
    } catch (e) {
      sink.abort();
      throw e;
    }
    if (a.verbose) {
      const secs = (performance.now() - started) / 1000;
      process.stderr.write(`tagged ${sentences} sentences, ${tokens} tokens in ${secs.toFixed(2)} s (${Math.round(tokens / Math.max(secs, 1e-9))} tokens/s)\n`);
    }
  },
};
