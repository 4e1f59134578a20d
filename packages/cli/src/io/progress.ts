/**
 * A status line on stderr for long waits: redrawn in place on a terminal, printed only when it changes
 * otherwise (CI logs stay readable). `log()` prints a permanent line above it.
 */
export class StatusLine {
  private shown = "";
  private shownKey = "";

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  /** Shows `text`; off a terminal only when `key` (the state without a running clock) changed. */
  update(text: string, key = text): void {
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${text}`);
    else if (key !== this.shownKey) this.stream.write(`${text}\n`);
    this.shown = text;
    this.shownKey = key;
  }

  log(line: string): void {
    if (this.stream.isTTY && this.shown) this.stream.write(`\r\x1b[2K${line}\n${this.shown}`);
    else this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.shown) this.stream.write("\n");
    this.shown = "";
  }
}
