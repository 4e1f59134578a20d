// The gateway's rate limiter (workers/gateway/src/rate-limits) against the bridge and a real redis-server,
// run in Node: what the workerd unit tests cannot reach (Redis) and the e2e test cannot see (round trips).
import crypto from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LiveEndpoint } from "../../workers/gateway/src/endpoints/live-endpoint";
import type { Env } from "../../workers/gateway/src/env";
import type { ApiError } from "../../packages/api/src/errors";
import type { Principal } from "../../workers/gateway/src/identity/principal";
import { chargeTokens, enforceRateLimits } from "../../workers/gateway/src/rate-limits";
import {
  ephemeralCache,
  pruneEphemeralCache,
  resetLimitersForTests,
} from "../../workers/gateway/src/rate-limits/limiters";
import { useLocalUpstash } from "./local-upstash-env";

const upstash = useLocalUpstash();
const { available, token } = upstash;

beforeEach(() => resetLimitersForTests());

function endpoint(rateLimits: unknown[], legacy: unknown[] | null = null): LiveEndpoint {
  const id = `ep-${crypto.randomBytes(6).toString("hex")}`;
  return {
    row: { id, name: `name-${id}`, aiGateway: { rate_limits: rateLimits }, rateLimits: legacy },
    config: null,
    acl: [],
    memo: new Map(),
  } as unknown as LiveEndpoint;
}
function user(name: string, groupNames: string[] = ["users"]): Principal {
  return { id: name, kind: "user", name, displayName: name, groupNames, groupIds: [], isAdmin: false };
}
/** Runs enforceRateLimits and collects its background work; resolves to null or the ApiError. */
async function attempt(ep: LiveEndpoint, p: Principal, pending: Promise<unknown>[] = []): Promise<ApiError | null> {
  try {
    await enforceRateLimits(upstash.env(), ep, p, (w) => pending.push(w));
    return null;
  } catch (e) {
    // The gateway's own copy of @edgeserve/api threw it: recognise it by name, not by class identity.
    if (e instanceof Error && e.name === "ApiError") return e as ApiError;
    throw e;
  }
}

/** Spends a 2-call budget: two queries admitted, the third refused with 429. */
async function spendTwoCalls(ep: LiveEndpoint, p: Principal): Promise<void> {
  expect(await attempt(ep, p)).toBeNull();
  expect(await attempt(ep, p)).toBeNull();
  expect((await attempt(ep, p))?.status).toBe(429);
}
const minute = (l: Record<string, unknown>) => ({ renewal_period: "minute", ...l });

describe.skipIf(!available)("gateway rate limits over the bridge", () => {
  it("10 calls a minute, 32 concurrent callers: exactly 10 pass, 22 get 429 with Retry-After", async () => {
    const ep = endpoint([minute({ calls: 10, key: "endpoint" })]);
    // Windows are clock minutes; a burst straddling a boundary would see the previous minute weighted in.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 58_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => attempt(ep, user(`u${i}@x.com`))));
    expect(results.filter((r) => r === null)).toHaveLength(10);
    const refused = results.filter((r): r is ApiError => r !== null);
    expect(refused).toHaveLength(22);
    for (const e of refused) {
      expect(e.status).toBe(429);
      expect(e.code).toBe("REQUEST_LIMIT_EXCEEDED");
      expect(Number(e.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
      expect(Number(e.headers["Retry-After"])).toBeLessThanOrEqual(60);
      expect(e.message).toContain("endpoint rate limit of 10 calls per minute");
      expect(e.message).toContain(ep.row.name);
    }
  });

  it("a raised limit applies at once: the isolate forgets the block it remembered under the old one", async () => {
    const ep = endpoint([minute({ calls: 2, key: "endpoint" })]);
    const alice = user("alice@x.com");
    await spendTwoCalls(ep, alice);
    expect((await attempt(ep, alice))?.status).toBe(429);
    // PUT …/ai-gateway with a bigger budget: the endpoint cache hands out a new row object.
    const raised = {
      ...ep,
      row: { ...ep.row, aiGateway: { rate_limits: [minute({ calls: 100, key: "endpoint" })] } },
    } as LiveEndpoint;
    expect(await attempt(raised, alice)).toBeNull();
  });

  it("a caller known to be over its limit is refused without a round trip to Redis", async () => {
    const ep = endpoint([minute({ calls: 2, key: "user" })]);
    const alice = user("alice@x.com");
    await spendTwoCalls(ep, alice);
    const before = upstash.bridge().requests;
    for (let i = 0; i < 20; i++) expect((await attempt(ep, alice))?.status).toBe(429);
    expect(upstash.bridge().requests).toBe(before);
    // Someone else is not blocked by alice's budget.
    expect(await attempt(ep, user("bob@x.com"))).toBeNull();
  });

  it("a group budget is shared by its members; a user's own limit overrides it", async () => {
    const ep = endpoint([
      minute({ calls: 5, key: "user_group", principal: "eng" }),
      minute({ calls: 2, key: "user", principal: "alice@x.com" }),
    ]);
    const bob = user("bob@x.com", ["eng", "users"]);
    const dave = user("dave@x.com", ["eng", "users"]);
    const alice = user("alice@x.com", ["eng", "users"]);
    let passed = 0;
    for (let i = 0; i < 4; i++) for (const p of [bob, dave]) if ((await attempt(ep, p)) === null) passed++;
    expect(passed).toBe(5);
    const refused = await attempt(ep, bob);
    expect(refused?.message).toContain("rate limit of 5 calls per minute shared by group 'eng'");
    // Alice is in eng, but her own limit (2) applies instead of the spent group budget.
    const mine = [await attempt(ep, alice), await attempt(ep, alice), await attempt(ep, alice)];
    expect(mine.map((r) => r?.status ?? 200)).toEqual([200, 200, 429]);
    expect(mine[2]!.message).toContain("rate limit of 2 calls per minute for user 'alice@x.com'");
  });

  it("several limits: all must allow, the strictest is named, and refused calls are given back", async () => {
    const ep = endpoint([minute({ calls: 100, key: "endpoint" }), minute({ calls: 3, key: "user" })]);
    const carol = user("carol@x.com");
    const pending: Promise<unknown>[] = [];
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await attempt(ep, carol, pending));
    await Promise.all(pending);
    // Once carol is known to be over her own limit, no budget is asked about (not even the endpoint's).
    const before = upstash.bridge().requests;
    results.push(await attempt(ep, carol, pending));
    expect(upstash.bridge().requests).toBe(before);
    expect(results.map((r) => r?.status ?? 200)).toEqual([200, 200, 200, 429, 429]);
    expect(results[3]!.message).toContain("per-user rate limit of 3 calls per minute");
    // The endpoint budget holds only the 3 calls that ran (the refused ones were refunded or never reached it).
    const probe = new Ratelimit({
      redis: new Redis({ url: upstash.bridge().url, token, enableTelemetry: false }),
      limiter: Ratelimit.slidingWindow(100, "60 s"),
      prefix: "edgeserve:rl:calls",
      ephemeralCache: false,
    });
    expect((await probe.getRemaining(`${ep.row.id}:endpoint`)).remaining).toBe(97);
  });

  it("tokens per minute: real counts are charged after the response; an exhausted budget refuses", async () => {
    const ep = endpoint([minute({ tokens: 100, key: "user" })]);
    const erin = user("erin@x.com");
    const pending: Promise<unknown>[] = [];
    const charge = async (n: number) => {
      chargeTokens(upstash.env(), ep, erin, n, (w) => pending.push(w));
      await Promise.all(pending.splice(0));
    };
    expect(await attempt(ep, erin)).toBeNull();
    await charge(60);
    expect(await attempt(ep, erin)).toBeNull();
    await charge(45); // 105 of 100: the budget is spent, the overshoot counts.
    const refused = await attempt(ep, erin);
    expect(refused?.status).toBe(429);
    expect(refused?.message).toContain("per-user rate limit of 100 tokens per minute");
    expect(Number(refused?.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    // Other users have their own token budget.
    expect(await attempt(ep, user("frank@x.com"))).toBeNull();
  });

  it("legacy rate_limits are enforced too", async () => {
    const ep = endpoint([], [{ calls: 1, key: "user", renewal_period: "minute" }]);
    const gus = user("gus@x.com");
    expect(await attempt(ep, gus)).toBeNull();
    expect((await attempt(ep, gus))?.status).toBe(429);
  });

  it("a zero budget refuses at once", async () => {
    const ep = endpoint([minute({ calls: 0, key: "endpoint" })]);
    const before = upstash.bridge().requests;
    expect((await attempt(ep, user("h@x.com")))?.message).toContain("endpoint rate limit of 0 calls per minute");
    expect(upstash.bridge().requests).toBe(before);
  });

  it("an unreachable Upstash fails open, quickly, and says so in the log", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const down = { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9", UPSTASH_REDIS_REST_TOKEN: "x" } as unknown as Env;
    const started = Date.now();
    await enforceRateLimits(down, endpoint([minute({ calls: 1, key: "endpoint" })]), user("j@x.com"), () => {});
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(error.mock.calls.map((c) => String(c[0])).join("\n")).toContain("rate_limit_error");
    error.mockRestore();
  });

  it("without UPSTASH_REDIS_REST_URL/_TOKEN nothing is enforced, with one warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const ep = endpoint([minute({ calls: 1, key: "endpoint" })]);
    const bare = {} as Env;
    for (let i = 0; i < 3; i++) await enforceRateLimits(bare, ep, user("i@x.com"), () => {});
    chargeTokens(bare, ep, user("i@x.com"), 10, () => {});
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("rate limits are not enforced");
    warn.mockRestore();
  });
});

describe("the per-isolate cache of blocked callers", () => {
  it("forgets expired blocks of callers that never come back", () => {
    resetLimitersForTests();
    const now = 5_000_000;
    for (let i = 0; i < 1500; i++) ephemeralCache.set(`k${i}`, i < 1000 ? now - 1 : now + 60_000);
    pruneEphemeralCache(now);
    expect(ephemeralCache.size).toBe(500);
    resetLimitersForTests();
  });
});
