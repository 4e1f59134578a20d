// The pay-per-token limits of Foundation Model API endpoints (workers/gateway/src/serving/foundation-model/
// pay-per-token-limits.ts) against the bridge and a real redis-server, in Node.
import crypto from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { ApiError } from "../../packages/api/src/errors";
import type { PayPerTokenLimits } from "../../workers/gateway/src/foundation-models/operator-config";
import {
  type Reservation,
  admitPayPerToken,
} from "../../workers/gateway/src/serving/foundation-model/pay-per-token-limits";
import { resetLimitersForTests } from "../../workers/gateway/src/rate-limits/limiters";
import { useLocalUpstash } from "./local-upstash-env";

const upstash = useLocalUpstash();
beforeEach(async () => {
  resetLimitersForTests();
  // Windows are clock minutes: a test straddling a boundary would see a fresh budget half-way.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
});

function endpoint() {
  const id = `foundation-${crypto.randomBytes(6).toString("hex")}`;
  return { id, name: `databricks-test-${id}` };
}

async function admit(
  ep: { id: string; name: string },
  limits: PayPerTokenLimits,
  prompt: number,
  maxTokens?: number,
): Promise<Reservation | ApiError> {
  try {
    return await admitPayPerToken(upstash.env(), ep, { limits }, { estimatedPromptTokens: prompt, maxTokens });
  } catch (e) {
    if (e instanceof Error && e.name === "ApiError") return e as ApiError;
    throw e;
  }
}
const refused = (r: Reservation | ApiError): r is ApiError => r instanceof Error;
const settled: Promise<unknown>[] = [];
const waitUntil = (p: Promise<unknown>) => settled.push(p);

describe.skipIf(!upstash.available)("pay-per-token limits over the bridge", () => {
  it(
    "max_tokens is reserved against output tokens per " + "minute before admission; 429 until the minute resets",
    async () => {
      const ep = endpoint();
      const limits = { output_tokens_per_minute: 100 };
      expect(refused(await admit(ep, limits, 5, 60))).toBe(false);
      const second = await admit(ep, limits, 5, 60);
      expect(refused(second)).toBe(true);
      const error = second as ApiError;
      expect(error.status).toBe(429);
      expect(error.code).toBe("REQUEST_LIMIT_EXCEEDED");
      expect(error.message).toContain("100 output tokens per minute");
      const retryAfter = Number(error.headers["Retry-After"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(retryAfter).toBeGreaterThanOrEqual(Math.floor((60_000 - (Date.now() % 60_000)) / 1000) - 1);
    },
  );

  it("settling with the real completion gives the unused reservation back", async () => {
    const ep = endpoint();
    const limits = { output_tokens_per_minute: 100 };
    const first = (await admit(ep, limits, 5, 60)) as Reservation;
    first.settle(5, 10, waitUntil);
    await Promise.all(settled);
    // 10 used + 60 reserved fits in 100 now.
    expect(refused(await admit(ep, limits, 5, 60))).toBe(false);
    expect(refused(await admit(ep, limits, 5, 60))).toBe(true);
  });

  it("input tokens per minute count the prompt; queries per hour count queries; the tightest refuses", async () => {
    const ep = endpoint();
    const input = { input_tokens_per_minute: 50, queries_per_hour: 100 };
    expect(refused(await admit(ep, input, 30))).toBe(false);
    const overInput = (await admit(ep, input, 30)) as ApiError;
    expect(overInput.message).toContain("50 input tokens per minute");

    const ep2 = endpoint();
    const queries = { input_tokens_per_minute: 100_000, queries_per_hour: 2 };
    expect(refused(await admit(ep2, queries, 1))).toBe(false);
    expect(refused(await admit(ep2, queries, 1))).toBe(false);
    const overQueries = (await admit(ep2, queries, 1)) as ApiError;
    expect(overQueries.status).toBe(429);
    expect(overQueries.message).toContain("2 queries per hour");
    expect(Number(overQueries.headers["Retry-After"])).toBeLessThanOrEqual(3600);
  });

  it("is atomic: 12 concurrent queries reserving 30 of 100 output tokens → exactly 3 admitted", async () => {
    const ep = endpoint();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => admit(ep, { output_tokens_per_minute: 100 }, 1, 30)),
    );
    expect(results.filter((r) => !refused(r))).toHaveLength(3);
  });

  it("a query that could never fit (max_tokens above the limit) is a 400, not a 429 forever", async () => {
    const error = (await admit(endpoint(), { output_tokens_per_minute: 100 }, 1, 500)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.message).toContain("lower max_tokens");
  });
});
