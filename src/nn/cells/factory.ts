import type { Rng } from '../../tensor/index.js';
import type { Cell, CellConfig, CellKind } from './cell.js';
import { RNNCell } from './rnn.js';
import { GRUCell } from './gru.js';
import { LSTMCell } from './lstm.js';

/** A cell of the given kind: Wx [D, G·H], Wa [H, G·H], b [G·H], params named `${name}.Wx` etc. */
export function createCell(kind: CellKind, name: string, inputSize: number, hiddenSize: number, rng: Rng): Cell {
  switch (kind) {
    case 'rnn': return new RNNCell(name, inputSize, hiddenSize, rng);
    case 'gru': return new GRUCell(name, inputSize, hiddenSize, rng);
    case 'lstm': return new LSTMCell(name, inputSize, hiddenSize, rng);
    default: throw new RangeError(`unknown cell kind '${String(kind)}' (rnn, gru, lstm)`);
  }
}

/** Gate blocks G of a cell kind: 1 RNN, 3 GRU, 4 LSTM. */
export function gatesOf(kind: CellKind): number {
  return kind === 'rnn' ? 1 : kind === 'gru' ? 3 : 4;
}

/** Rebuilds a cell from its config (fresh weights drawn from rng; load values afterwards). */
export function cellFromConfig(cfg: CellConfig, rng: Rng): Cell {
  const kind: CellKind = cfg.type === 'RNNCell.v1' ? 'rnn' : cfg.type === 'GRUCell.v1' ? 'gru' : 'lstm';
  return createCell(kind, cfg.name, cfg.inputSize, cfg.hiddenSize, rng);
}
