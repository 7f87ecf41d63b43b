/**
 * Training text for the built-in application (entity names) and the held-out dev text.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllString, readConllFile } from '../../src/data/index.js';
import { entityNames, entityNamesText, holdOut, tokenize, buildVocab, SymbolTable } from '../../src/lm/index.js';
import { UserError } from '../../src/errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('entity names', () => {
  const conll = [
    'John B-PER', 'Smith I-PER', 'met O', 'Mary B-PER', 'in O', 'Paris B-LOC', '. O', '',
    'John B-PER', 'Smith I-PER', 'left O', '',
  ].join('\n');

  it('takes the spans of one type (case-insensitive), distinct, in order of first appearance', () => {
    const sents = readConllString(conll);
    expect(entityNames(sents, 'per')).toEqual(['John Smith', 'Mary']);
    expect(entityNames(sents, 'PER', { unique: false })).toEqual(['John Smith', 'Mary', 'John Smith']);
    expect(entityNames(sents, 'LOC')).toEqual(['Paris']);
  });

  it('reads a CoNLL file (IOB1 or IOB2) into one name per line; an absent type is a UserError naming the types', async () => {
    const file = path.join(root, 'data/sample.conll');
    const { text, names } = await entityNamesText(file, 'PER');
    expect(names.length).toBeGreaterThan(0);
    expect(text).toBe(names.join('\n') + '\n');
    const sents = await readConllFile(file);
    expect(names).toEqual(entityNames(sents, 'PER'));
    await expect(entityNamesText(file, 'XYZ')).rejects.toThrow(UserError);
    await expect(entityNamesText(file, 'XYZ')).rejects.toThrow(/types found: .*LOC.*PER/);
  });
});

describe('text handling', () => {
  it('holdOut keeps the last 10% of the lines for dev, and refuses too-short texts', () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const { train, dev } = holdOut(text, 0.1);
    expect(dev).toBe('line 18\nline 19\n');
    expect(train + dev).toBe(text);
    expect(() => holdOut('a\nb\n', 0.1)).toThrow(UserError);
  });

  it('char streams normalise line ends; word streams end lines with <eos>; min-count makes <unk>', () => {
    expect(tokenize('ab\r\nc', 'char')).toEqual(['a', 'b', '\n', 'c', '\n']);
    expect(tokenize('a  b\n\nc', 'word')).toEqual(['a', 'b', '<eos>', '<eos>', 'c', '<eos>']);
    const v = buildVocab('aab\n', 'char', 2);
    expect(v.symbols).toEqual(['<unk>', '\n', 'a']);
    const t = new SymbolTable(v);
    const { ids, unknown } = t.encode('ab');
    expect(Array.from(ids)).toEqual([1, 2, 0, 1]); // boundary, a, <unk>, \n
    expect(unknown).toBe(1);
    expect(t.decode(ids.subarray(1))).toBe('a<unk>\n');
  });
});
