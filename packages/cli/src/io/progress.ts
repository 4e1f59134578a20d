/**
 * A status line on stderr for long waits: redrawn in place on a terminal, printed only when it changes
 * otherwise (CI logs stay readable). `log()` prints a permanent line above it.
 */
export class StatusLine {
  private shown = "";

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  update(text: string): void {
    if (text === this.shown) return;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${text}`);
    else this.stream.write(`${text}\n`);
    this.shown = text;
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
