import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { StatusLine } from "./progress";

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stream.on("data", (d) => {
    text += d;
  });
  return { stream, text: () => text };
}

describe("StatusLine", () => {
  it("off a terminal, prints a line only when the state changes (not every tick of the clock)", () => {
    const out = capture(false);
    const status = new StatusLine(out.stream);
    status.update("ep: deploying (1 s)", "ep: deploying");
    status.update("ep: deploying (2 s)", "ep: deploying");
    status.log("[gpt] pulling");
    status.update("ep: READY (3 s)", "ep: READY");
    status.done();
    expect(out.text()).toBe("ep: deploying (1 s)\n[gpt] pulling\nep: READY (3 s)\n");
  });

  it("on a terminal, redraws the line in place and keeps log lines above it", () => {
    const out = capture(true);
    const status = new StatusLine(out.stream);
    status.update("ep: deploying (1 s)", "ep: deploying");
    status.log("[gpt] pulling");
    status.done();
    expect(out.text()).toBe("\r\x1b[2Kep: deploying (1 s)\r\x1b[2K[gpt] pulling\nep: deploying (1 s)\n");
  });
});
