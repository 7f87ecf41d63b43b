import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ner, sampleConll } from './helpers.js';
import { loadVocabFile } from '../../src/vocab/index.js';
import { readConllFile } from '../../src/data/conll.js';
import { conllFile } from '../data/conll2003.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ner-vocab-'));
const train = path.join(tmp, 'train.conll');
const dev = path.join(tmp, 'dev.conll');
writeFileSync(train, 'EU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n\nThe DT I-NP O\nEU NNP I-NP I-ORG\nin IN I-PP O\n1996 CD I-NP O\n');
writeFileSync(dev, 'The DT O\nEU NNP I-ORG\nsaid VBD O\nin IN O\n2003 CD O\n');

describe('ner vocab', () => {
  test('builds and writes the tables; prints sizes and dev coverage', async () => {
    const out = path.join(tmp, 'vocab', 'v.json');
    const r = ner(['vocab', '--train', train, '--dev', dev, '--digits-to-zero', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 sentences, 8 tokens');
    expect(r.stdout).toContain('words 9 (<pad>, <unk> and 7 forms)');
    expect(r.stdout).toContain('tags  4 (<pad> O I-ORG I-MISC)');
    // dev: The EU in 0000 covered, `said` not → 4 of 5 tokens, 4 of 5 types
    expect(r.stdout).toContain('tokens 80.00% covered (4 of 5), types 80.00% (4 of 5)');
    expect(r.stdout).toContain(`wrote ${out}`);
    const v = await loadVocabFile(out);
    expect(v.words.items.slice(0, 3)).toEqual(['<pad>', '<unk>', 'EU']);
    expect(v.words.has('2024')).toBe(true);
    expect(readdirSync(path.dirname(out))).toEqual(['v.json']);
  });

  test('--lowercase, --min-count, --max-size', async () => {
    const out = path.join(tmp, 'small.json');
    expect(ner(['vocab', '--train', train, '--lowercase', '--min-count', '2', '--out', out]).code).toBe(0);
    expect((await loadVocabFile(out)).words.items).toEqual(['<pad>', '<unk>', 'eu']);
    expect(ner(['vocab', '--train', train, '--max-size', '4', '--out', out]).code).toBe(0);
    expect((await loadVocabFile(out)).words.size).toBe(4);
  });

  test('the sample corpus of the repository', async () => {
    const out = path.join(tmp, 'sample.json');
    const r = ner(['vocab', '--train', sampleConll, '--out', out]);
    expect(r.code).toBe(0);
    const sentences = await readConllFile(sampleConll);
    expect((await loadVocabFile(out)).stats.tokens).toBe(sentences.reduce((n, s) => n + s.tokens.length, 0));
  });

  test('CoNLL-2003 train with testa coverage', async () => {
    const out = path.join(tmp, 'conll.json');
    const r = ner(['vocab', '--train', conllFile('eng.train'), '--dev', conllFile('eng.testa'), '--digits-to-zero', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('14,041 sentences, 203,621 tokens');
    expect(r.stdout).toMatch(/tokens 9\d\.\d\d% covered \([\d,]+ of 51,362\)/);
    expect((await loadVocabFile(out)).tags.size).toBe(9);
  });

  test('user mistakes: exit 2, one line, no stack trace, nothing written', () => {
    const out = path.join(tmp, 'never.json');
    const bad = path.join(tmp, 'bad.conll');
    writeFileSync(bad, 'EU NNP I-ORG\nrejects O\n');
    const cases: [string[], RegExp][] = [
      [['vocab', '--train', path.join(tmp, 'nope.conll'), '--out', out], /nope\.conll: no such file/],
      [['vocab', '--train', train], /Missing required argument: out/],
      [['vocab', '--train', train, '--min-count', '0', '--out', out], /--min-count must be a whole number >= 1, not 0/],
      [['vocab', '--train', train, '--max-size', '2', '--out', out], /--max-size must be a whole number >= 3/],
      [['vocab', '--train', train, '--dev', path.join(tmp, 'nodev'), '--out', out], /nodev: no such file/],
      [['vocab', '--train', bad, '--out', out], /bad\.conll:2: /],
    ];
    for (const [args, re] of cases) {
      const r = ner(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(train, 'utf8')).toContain('EU NNP');
  });
});
