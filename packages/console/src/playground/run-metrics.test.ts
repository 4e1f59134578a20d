import { describe, expect, it } from "vitest";
import { formatDuration, formatRate, metricsOf } from "./run-metrics";

describe("metricsOf", () => {
  it("derives time to first token, total time, tokens and tokens/s from timings and usage", () => {
    const metrics = metricsOf(
      { startedAt: 1000, firstTokenAt: 1250, endedAt: 3000 },
      { prompt_tokens: 12, completion_tokens: 40, total_tokens: 52 },
    );
    expect(metrics).toEqual({
      timeToFirstTokenMs: 250,
      totalMs: 2000,
      promptTokens: 12,
      completionTokens: 40,
      tokensPerSecond: 20,
    });
  });

  it("shows no token numbers for a stopped stream (its usage chunk never came)", () => {
    expect(metricsOf({ startedAt: 0, firstTokenAt: 10, endedAt: 50 }, undefined)).toEqual({
      timeToFirstTokenMs: 10,
      totalMs: 50,
    });
  });

  it("counts completion tokens from the total when a provider leaves them out", () => {
    expect(metricsOf({ startedAt: 0, endedAt: 500 }, { prompt_tokens: 3, total_tokens: 8 })).toMatchObject({
      completionTokens: 5,
      tokensPerSecond: 10,
    });
  });
});

describe("formatting", () => {
  it("prints durations and rates, with a dash when unknown", () => {
    const durations = [formatDuration(849.6), formatDuration(2414), formatDuration(undefined)];
    expect(durations).toEqual(["850 ms", "2.41 s", "—"]);
    expect([formatRate(7.25), formatRate(123.4), formatRate(undefined)]).toEqual(["7.3", "123", "—"]);
  });
});
