/**
 * The progress line on stderr (rows, calls, retries, errors, tokens), redrawn in place on a terminal and
 * printed every few seconds otherwise, and the usage summary printed when a statement ends.
 */
import { type CounterValues, readCounters } from "./batch/counters";

export interface ProgressOptions {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  counters: Int32Array;
  /** False with --no-progress: only the summary is printed. */
  enabled: boolean;
  /** Between two lines when stderr is not a terminal. */
  plainEveryMs?: number;
}

function describeCounters(c: CounterValues): string {
  return (
    `rows ${c.rows} · calls ${c.calls} (${c.inFlight} in flight) · deduplicated ${c.deduplicated} · ` +
    `retries ${c.retries} · errors ${c.errors} · tokens ${c.inputTokens} in / ${c.outputTokens} out`
  );
}

export class Progress {
  private lastPlain = Date.now();
  private drawn = false;
  private readonly started = Date.now();

  constructor(private readonly options: ProgressOptions) {}

  tick = (): void => {
    if (!this.options.enabled) return;
    const line = `${this.spinner()} ${describeCounters(readCounters(this.options.counters))}`;
    if (this.options.stderr.isTTY) {
      this.options.stderr.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else if (Date.now() - this.lastPlain >= (this.options.plainEveryMs ?? 5000)) {
      this.options.stderr.write(`${line}\n`);
      this.lastPlain = Date.now();
    }
  };

  /** Clears the live line and prints the statement's totals. */
  summary(statementId: string): void {
    if (this.drawn) this.options.stderr.write("\r\x1b[2K");
    this.drawn = false;
    const c = readCounters(this.options.counters);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    this.options.stderr.write(`AI functions: ${describeCounters(c)} · ${seconds}s · statement ${statementId}\n`);
  }

  private spinner(): string {
    return "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[Math.floor((Date.now() - this.started) / 100) % 10] ?? "";
  }
}
