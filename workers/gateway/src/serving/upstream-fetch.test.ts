import { ApiError } from "@edgeserve/api";
import { afterEach, describe, expect, it } from "vitest";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { fetchUpstream, upstreamTimeoutMs } from "./upstream-fetch";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => upstream?.restore());

const init = { method: "POST", body: JSON.stringify({ model: "m", messages: [] }) };

describe("fetchUpstream", () => {
  it("answers 504 DEADLINE_EXCEEDED when the upstream is slower than the deadline, and aborts it", async () => {
    upstream = fakeOpenAiUpstream({ delayMs: 5_000 });
    const error = await fetchUpstream("https://up.test/v1/chat/completions", init, { timeoutMs: 50, provider: "custom" }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(504);
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(upstream.state.aborted).toBe(1);
  });

  it("answers 503 when the upstream cannot be reached", async () => {
    const error = await fetchUpstream("http://127.0.0.1:1/v1/chat/completions", init, { timeoutMs: 5_000, provider: "custom" }).catch((e) => e);
    expect(error.status).toBe(503);
    expect(error.code).toBe("TEMPORARILY_UNAVAILABLE");
  });

  it("reads the deadline from EDGESERVE_UPSTREAM_TIMEOUT_S, defaulting to Databricks' 297 s", () => {
    expect(upstreamTimeoutMs({})).toBe(297_000);
    expect(upstreamTimeoutMs({ EDGESERVE_UPSTREAM_TIMEOUT_S: "30" })).toBe(30_000);
    expect(upstreamTimeoutMs({ EDGESERVE_UPSTREAM_TIMEOUT_S: "junk" })).toBe(297_000);
  });
});
