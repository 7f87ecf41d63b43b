/**
 * The built-in application: training text made of the entity names of a labelled corpus, one
 * name per line (tokens joined by single spaces), so that a character model learns to write
 * plausible new names of one type (e.g. PER) — for synthetic data, gazetteer expansion, fun.
 */
import { readConllFile, detectScheme, tagsToSpans, type Sentence } from '../data/index.js';
import { UserError } from '../errors.js';

/**
 * The names of entities of `type` (case-insensitive) in tagged sentences, in order of first
 * appearance; each distinct name once unless `unique` is false.
 */
export function entityNames(sentences: readonly Sentence[], type: string, o: { unique?: boolean } = {}): string[] {
  const unique = o.unique ?? true;
  const scheme = detectScheme(sentences.map((s) => s.tags));
  const want = type.toUpperCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sentences) {
    for (const span of tagsToSpans(s.tags, scheme)) {
      if (span.type.toUpperCase() !== want) continue;
      const name = s.tokens.slice(span.start, span.end).join(' ');
      if (unique && seen.has(name)) continue;
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

/** All entity types of tagged sentences, sorted. */
export function entityTypes(sentences: readonly Sentence[]): string[] {
  const scheme = detectScheme(sentences.map((s) => s.tags));
  const types = new Set<string>();
  for (const s of sentences) for (const span of tagsToSpans(s.tags, scheme)) types.add(span.type);
  return [...types].sort();
}

/** The entity names of `type` in a CoNLL file as training text (one per line). */
export async function entityNamesText(file: string, type: string, o: { unique?: boolean } = {}): Promise<{ text: string; names: string[] }> {
  const sentences = await readConllFile(file);
  const names = entityNames(sentences, type, o);
  if (names.length === 0) {
    const types = entityTypes(sentences);
    throw new UserError(`${file}: no entity of type ${type} (types found: ${types.length ? types.join(', ') : 'none'})`);
  }
  return { text: names.join('\n') + '\n', names };
}
