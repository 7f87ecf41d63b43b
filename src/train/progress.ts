/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, printed every
 * `everyPercent` percent otherwise (logs stay readable).
 */
export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  label: string;
  total: number;
  everyPercent?: number;
  enabled?: boolean;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastPercent = -1;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
  }

  update(done: number, fields: Record<string, string | number>): void {
    if (this.o.enabled === false) return;
    const now = Date.now();
    const pct = this.o.total > 0 ? Math.floor((100 * done) / this.o.total) : 100;
    if (this.tty) {
      if (now - this.lastDraw < 100 && done < this.o.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(done, fields)}\x1b[K`);
    } else {
      const every = this.o.everyPercent ?? 25;
      const bucket = Math.floor(pct / every);
      if (bucket === this.lastPercent && done < this.o.total) return;
      this.lastPercent = bucket;
      this.stream.write(`${this.line(done, fields)}\n`);
    }
  }

  finish(): void {
    if (this.o.enabled !== false && this.tty) this.stream.write('\n');
  }

  private line(done: number, fields: Record<string, string | number>): string {
    const width = 24;
    const frac = this.o.total > 0 ? Math.min(1, done / this.o.total) : 1;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const secs = (Date.now() - this.started) / 1000;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : v}`)
      .join('  ');
    return `${this.o.label} ${bar} ${done}/${this.o.total}  ${extra}  ${secs.toFixed(0)}s`;
  }
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4);
}
