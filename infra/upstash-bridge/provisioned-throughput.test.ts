// Provisioned throughput admission (workers/gateway/src/serving/foundation-model/provisioned-throughput.ts) and
// the pay-per-token share of a backend with a capacity (pay-per-token-limits.ts), against the bridge and a real
// redis-server, in Node. The reservations Redis holds are written by the deployment's own mirror function.
import crypto from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { ApiError } from "../../packages/api/src/errors";
import { writeReservationsMirror } from "../../workers/gateway/src/foundation-models/throughput-reservations";
import { resetLimitersForTests } from "../../workers/gateway/src/rate-limits/limiters";
import { admitPayPerToken } from "../../workers/gateway/src/serving/foundation-model/pay-per-token-limits";
import {
  THROUGHPUT_WINDOW_MS,
  admitProvisioned,
} from "../../workers/gateway/src/serving/foundation-model/provisioned-throughput";
import type { Reservation } from "../../workers/gateway/src/serving/foundation-model/token-budgets";
import { useLocalUpstash } from "./local-upstash-env";

const upstash = useLocalUpstash();
const SECONDS = THROUGHPUT_WINDOW_MS / 1000;

beforeEach(async () => {
  resetLimitersForTests();
  // Windows are fixed: a test straddling a boundary would see a fresh budget half-way.
  const into = Date.now() % THROUGHPUT_WINDOW_MS;
  if (into > THROUGHPUT_WINDOW_MS - 3000) await new Promise((r) => setTimeout(r, THROUGHPUT_WINDOW_MS - into + 100));
});

/** A catalogue model name of its own per test, so that tests do not share a backend's counters. */
function backend() {
  return `databricks-test-${crypto.randomBytes(6).toString("hex")}`;
}
function endpoint() {
  const id = crypto.randomBytes(8).toString("hex");
  return { id, name: `pt-${id}` };
}

async function attempt(admit: () => Promise<Reservation>): Promise<Reservation | ApiError> {
  try {
    return await admit();
  } catch (e) {
    if (e instanceof Error && e.name === "ApiError") return e as ApiError;
    throw e;
  }
}
const refused = (r: Reservation | ApiError): r is ApiError => r instanceof Error;

/** 100 tokens each: 10 of prompt, 90 reserved for the output. */
const REQUEST = { estimatedPromptTokens: 10, maxTokens: 90 };

function provisioned(model: string, ep: { id: string; name: string }, tokensPerSecond: number) {
  return attempt(() => admitProvisioned(upstash.env(), ep, "pt", { model, tokensPerSecond }, REQUEST));
}
function payPerToken(model: string, capacity: number) {
  const ep = { id: `foundation-${model}`, name: model };
  return attempt(() => admitPayPerToken(upstash.env(), ep, { capacity_tokens_per_second: capacity }, REQUEST));
}

async function admittedOf(calls: Promise<Reservation | ApiError>[]): Promise<number> {
  return (await Promise.all(calls)).filter((r) => !refused(r)).length;
}

describe.skipIf(!upstash.available)("provisioned throughput over the bridge", () => {
  it("admits a band's tokens per window, atomically, then 429 with Retry-After naming the band", async () => {
    const ep = endpoint();
    const model = backend();
    // A band of 100 tokens/s admits 100 × window seconds: 30 concurrent queries of 100 tokens race for it.
    const admitted = await admittedOf(Array.from({ length: 30 }, () => provisioned(model, ep, 100)));
    expect(admitted).toBe(SECONDS);
    const over = (await provisioned(model, ep, 100)) as ApiError;
    expect(over.status).toBe(429);
    expect(over.code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(over.message).toContain(
      `provisioned throughput of 100 tokens/s of served entity 'pt' on endpoint '${ep.name}'`,
    );
    const retryAfter = Number(over.headers["Retry-After"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(SECONDS);
  });

  it("settling with the real counts gives the unused reservation back", async () => {
    const ep = endpoint();
    const model = backend();
    const settled: Promise<unknown>[] = [];
    for (let i = 0; i < SECONDS; i++) {
      const r = (await provisioned(model, ep, 100)) as Reservation;
      r.settle(10, 40, (p) => settled.push(p)); // 50 of the 100 reserved were used
    }
    await Promise.all(settled);
    // Half the window's budget is back: 5 more queries of 100 fit.
    expect(await admittedOf(Array.from({ length: SECONDS }, () => provisioned(model, ep, 100)))).toBe(SECONDS / 2);
  });

  it("pay-per-token traffic gets only what reservations leave, and never takes a band's tokens", async () => {
    const model = backend();
    const ep = endpoint();
    // Capacity 300 tokens/s; this endpoint holds 200 of it.
    await writeReservationsMirror(upstash.env(), model, [{ endpointId: ep.id, tokensPerSecond: 200 }]);
    // Pay-per-token: 100 tokens/s left → 100 × window seconds of tokens, then 429 naming the capacity.
    expect(await admittedOf(Array.from({ length: 3 * SECONDS }, () => payPerToken(model, 300)))).toBe(SECONDS);
    const over = (await payPerToken(model, 300)) as ApiError;
    expect(over.status).toBe(429);
    expect(over.message).toContain("300 tokens/s of backend capacity less the provisioned throughput reserved");
    // The provisioned endpoint still gets its whole band after pay-per-token traffic used up its share.
    expect(await admittedOf(Array.from({ length: 3 * SECONDS }, () => provisioned(model, ep, 200)))).toBe(2 * SECONDS);
  });

  it("released reservations go back to pay-per-token traffic", async () => {
    const model = backend();
    await writeReservationsMirror(upstash.env(), model, [
      { endpointId: "a", tokensPerSecond: 100 },
      { endpointId: "b", tokensPerSecond: 100 },
    ]);
    expect(await admittedOf(Array.from({ length: 2 * SECONDS }, () => payPerToken(model, 200)))).toBe(0);
    await writeReservationsMirror(upstash.env(), model, [{ endpointId: "a", tokensPerSecond: 100 }]);
    expect(await admittedOf(Array.from({ length: 2 * SECONDS }, () => payPerToken(model, 200)))).toBe(SECONDS);
  });

  it("a query larger than the band admits in a window is a 400 asking for a lower max_tokens", async () => {
    const error = (await attempt(() =>
      admitProvisioned(
        upstash.env(),
        endpoint(),
        "pt",
        { model: backend(), tokensPerSecond: 50 },
        { estimatedPromptTokens: 10, maxTokens: 50 * SECONDS },
      ),
    )) as ApiError;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/more than the \d+ a band of 50 tokens\/s admits .* lower max_tokens/);
  });
});
