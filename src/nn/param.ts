import { zeros, zerosLike, type Buf } from '../tensor/index.js';

/**
 * A trainable parameter: its values and the gradient accumulated into it by backward passes.
 * `shape` is row-major; `value.length === grad.length === product(shape)`. The gradient buffer
 * is allocated on first use: a model that only tags never needs it (for a word embedding table
 * it is as large as the table).
 * `sparseRows`, when set by a layer (Embedding), lists the rows of a 2-D parameter whose
 * gradient may be non-zero since the last `zeroGrad`, so optimizers can skip the rest.
 */
export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Buf;
  readonly grad: Buf;
  sparseRows?: Set<number>;
}

/**
 * @param value  the values, when they already exist (a view of another thread's copy of the same
 *               weights, see Embedding.shareTable); default: a new zero buffer
 */
export function makeParam(name: string, shape: readonly number[], value?: Buf): Param {
  const n = shape.reduce((a, b) => a * b, 1);
  if (value !== undefined && value.length !== n) throw new RangeError(`${name}: ${value.length} values for shape [${shape.join(', ')}]`);
  value ??= zeros(n);
  let grad: Buf | null = null;
  return {
    name, shape: [...shape], value,
    get grad(): Buf {
      return (grad ??= zerosLike(value));
    },
  };
}

/** Anything holding parameters. Names are unique within a model (prefix them when nesting). */
export interface Module {
  params(): Param[];
}
