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

  it("aborts when the client goes away or the caller ends the call, before the deadline", () => {
    const client = new AbortController();
    const byClient = callDeadline(60_000, client.signal);
    client.abort();
    expect([byClient.signal.aborted, byClient.clientGone, byClient.expired]).toEqual([true, true, false]);
    const gone = new AbortController();
    gone.abort();
    expect(callDeadline(60_000, gone.signal).signal.aborted).toBe(true);
    const byCaller = callDeadline(60_000);
    byCaller.end();
    expect([byCaller.signal.aborted, byCaller.clientGone, byCaller.expired]).toEqual([true, false, false]);
  });

  it("stops once settled: neither the deadline nor a client leaving afterwards aborts the call", async () => {
    const client = new AbortController();
    const deadline = callDeadline(20, client.signal);
    deadline.settle();
    await new Promise((resolve) => setTimeout(resolve, 60));
    client.abort();
    expect([deadline.signal.aborted, deadline.expired]).toEqual([false, false]);
  });

  it("names a call the client gave up on 499 ABORTED", () => {
    expect(clientClosedRequest()).toMatchObject({
      code: "ABORTED",
      status: 499,
      message: "The client closed the request.",
    });
  });
});
