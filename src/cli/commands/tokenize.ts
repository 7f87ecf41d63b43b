import type { CommandModule, Argv } from 'yargs';
import { promises as fsp } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { splitSentences, type SentenceSpan } from '../../text/index.js';
import { fileError, checkReadableFile } from '../../data/lines.js';
import { InputError, UserError } from '../../errors.js';

type Format = 'text' | 'json' | 'conll';

interface TokenizeArgs { text?: string[]; file?: string; format: Format; 'one-sentence-per-line': boolean }

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function decode(bytes: Buffer, name: string): string {
  if (!isUtf8(bytes)) throw new InputError(name, null, 'not a text file (invalid UTF-8)');
  return bytes.toString('utf8');
}

/** Print sentences and tokens; offsets are UTF-16 code units into the input, end exclusive. */
export function formatTokens(text: string, sentences: SentenceSpan[], format: Format): string {
  switch (format) {
    case 'text':
      return sentences.map((s) => s.tokens.map((t) => t.text).join(' ') + '\n').join('');
    case 'conll':
      return sentences.map((s) => s.tokens.map((t) => `${t.text}\t${t.start}\t${t.end}\n`).join('')).join('\n');
    case 'json': {
      // one sentence per line: a large input stays readable with `less` and greppable
      const rows = sentences.map((s) => JSON.stringify({ start: s.start, end: s.end, text: text.slice(s.start, s.end), tokens: s.tokens }));
      return `{"sentences": [${rows.length ? '\n' + rows.join(',\n') + '\n' : ''}]}\n`;
    }
  }
}

export const tokenizeCommand: CommandModule<object, TokenizeArgs> = {
  command: 'tokenize [text..]',
  describe: 'Split text into sentences and tokens (CoNLL-2003 style) and print them with character offsets',
  builder: (y: Argv) => y
    .usage('$0 tokenize [TEXT..] [--file F] [--format text|json|conll]\n\n' +
      'Text comes from the arguments, else --file, else standard input. Offsets are UTF-16 code units\n' +
      '(JavaScript string indices) into the input, end exclusive.')
    .positional('text', { type: 'string', array: true, describe: 'Text to tokenize (the words are joined by spaces)' })
    .option('file', { type: 'string', describe: 'Read the text from this file (UTF-8) instead of the arguments or stdin' })
    .option('format', {
      choices: ['text', 'json', 'conll'] as const, default: 'text' as Format,
      describe: 'text: one sentence per line, tokens separated by spaces; json: sentences with tokens {text, start, end}; ' +
        'conll: one "TOKEN<TAB>START<TAB>END" line per token, a blank line between sentences',
    })
    .option('one-sentence-per-line', { type: 'boolean', default: false, describe: 'Every line break ends a sentence (default: only blank lines and punctuation do)' })
    .example('$0 tokenize "Mr. Smith left the U.S. on Jan. 5."', 'tokens of one sentence')
    .example('$0 tokenize --file story.txt --format json', 'sentences and tokens with offsets') as unknown as Argv<TokenizeArgs>,
  handler: async (a) => {
    const args = (a.text ?? []).map(String);
    if (args.length > 0 && a.file) throw new UserError('give the text either as arguments or with --file, not both');
    let text: string;
    if (args.length > 0) text = args.join(' ');
    else if (a.file) {
      await checkReadableFile(a.file);
      let bytes: Buffer;
      try {
        bytes = await fsp.readFile(a.file);
      } catch (err) {
        throw fileError(a.file, err);
      }
      text = decode(bytes, a.file);
    } else {
      if (process.stdin.isTTY) process.stderr.write('ner tokenize: reading text from standard input (end with Ctrl-D)\n');
      text = decode(await readAll(process.stdin), '<stdin>');
    }
    const sentences = splitSentences(text, { newlines: a['one-sentence-per-line'] ? 'single' : 'blank' });
    process.stdout.write(formatTokens(text, sentences, a.format));
  },
};
