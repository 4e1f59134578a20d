import { describe, expect, it } from "vitest";
import { callDeadline, clientClosedRequest } from "./call-deadline";

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));

describe("callDeadline", () => {
  it("aborts its signal at the deadline and says it expired", async () => {
    const deadline = callDeadline(20, new AbortController().signal);
    expect([deadline.signal.aborted, deadline.expired]).toEqual([false, false]);
    await aborted(deadline.signal);
    expect([deadline.expired, deadline.clientGone]).toEqual([true, false]);
  });

  it("aborts when the client goes away or another signal fires, before the deadline", () => {
    const client = new AbortController();
    const byClient = callDeadline(60_000, client.signal);
    client.abort();
    expect([byClient.signal.aborted, byClient.clientGone, byClient.expired]).toEqual([true, true, false]);
    const idle = new AbortController();
    const byOther = callDeadline(60_000, undefined, [idle.signal]);
    idle.abort();
    expect([byOther.signal.aborted, byOther.clientGone, byOther.expired]).toEqual([true, false, false]);
  });

  it("names a call the client gave up on 499 ABORTED", () => {
    expect(clientClosedRequest()).toMatchObject({
      code: "ABORTED",
      status: 499,
      message: "The client closed the request.",
    });
  });
});
