// The bridge against a real redis-server, spoken to by the real @upstash/redis and @upstash/ratelimit.
import crypto from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import { stripUpstashFlags } from "./index.mjs";
import { useLocalUpstash } from "./local-upstash-env";

const upstash = useLocalUpstash();
const available = upstash.available;
if (!available)
  console.warn(
    "infra/upstash-bridge tests skipped: redis-server is not installed (sudo apt-get install -y redis-server)",
  );
const { token } = upstash;

const client = (options: { base64?: boolean; autoPipelining?: boolean } = {}) =>
  new Redis({
    url: upstash.bridge().url,
    token,
    responseEncoding: options.base64 === false ? false : "base64",
    enableAutoPipelining: options.autoPipelining ?? false,
    enableTelemetry: false,
  });
const key = (p: string) => `${p}:${crypto.randomBytes(6).toString("hex")}`;

async function raw(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${upstash.bridge().url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe.skipIf(!available)("upstash bridge", () => {
  it("get/set/incr/del with the real client, plain and base64", async () => {
    for (const base64 of [true, false]) {
      const redis = client({ base64 });
      const k = key("kv");
      expect(await redis.get(k)).toBeNull();
      expect(await redis.set(k, "héllo wörld ✓")).toBe("OK");
      expect(await redis.get(k)).toBe("héllo wörld ✓");
      expect(await redis.set(k, { a: 1, b: ["x"] })).toBe("OK");
      expect(await redis.get(k)).toEqual({ a: 1, b: ["x"] });
      expect(await redis.incr(key("n"))).toBe(1);
      expect(await redis.del(k)).toBe(1);
      await redis.hset(k, { f: "v", g: 2 });
      expect(await redis.hgetall(k)).toEqual({ f: "v", g: 2 });
    }
  });

  it("base64 encodes every string in a result except OK", async () => {
    const k = key("b64");
    expect((await raw("/", ["SET", k, "value"], { "upstash-encoding": "base64" })).body).toEqual({ result: "OK" });
    expect((await raw("/", ["GET", k], { "upstash-encoding": "base64" })).body).toEqual({
      result: Buffer.from("value").toString("base64"),
    });
    expect((await raw("/", ["GET", k])).body).toEqual({ result: "value" });
    expect((await raw("/", ["RPUSH", key("l"), "a", "b"], { "upstash-encoding": "base64" })).body).toEqual({
      result: 2,
    });
    const l = key("l");
    await raw("/", ["RPUSH", l, "a", "bc"]);
    expect((await raw("/", ["LRANGE", l, 0, -1], { "upstash-encoding": "base64" })).body).toEqual({
      result: ["YQ==", "YmM="],
    });
    expect((await raw("/", ["PING"], { "upstash-encoding": "base64" })).body).toEqual({
      result: Buffer.from("PONG").toString("base64"),
    });
    expect(await client().ping()).toBe("PONG");
  });

  it("rejects a missing or wrong token with 401 {error}", async () => {
    const res = await fetch(`${upstash.bridge().url}/`, { method: "POST", body: JSON.stringify(["PING"]) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
    const wrong = new Redis({
      url: upstash.bridge().url,
      token: "nope",
      enableTelemetry: false,
      enableAutoPipelining: false,
    });
    await expect(wrong.get("x")).rejects.toThrow(/Unauthorized/);
  });

  it("answers command errors with 400 {error}, and the client throws them", async () => {
    const bad = await raw("/", ["NOSUCHCOMMAND", "x"]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/unknown command/i);
    expect((await raw("/", "not json")).status).toBe(400);
    expect((await raw("/", { not: "an array" })).status).toBe(400);
    const k = key("s");
    await client().set(k, "text");
    await expect(client().incr(k)).rejects.toThrow(/not an integer/);
  });

  it("/pipeline runs many commands and reports errors per command", async () => {
    const k = key("p");
    const res = await raw("/pipeline", [
      ["SET", k, "1"],
      ["INCR", k],
      ["HGET", k, "f"],
      ["GET", k],
    ]);
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ result: "OK" });
    expect(res.body[1]).toEqual({ result: 2 });
    expect(res.body[2].error).toMatch(/WRONGTYPE/);
    expect(res.body[3]).toEqual({ result: "2" });

    const redis = client();
    const p = redis.pipeline();
    p.set(k, "a");
    p.append(k, "b");
    p.get(k);
    expect(await p.exec()).toEqual(["OK", 2, "ab"]);
  });

  it("auto-pipelining (the client default) sends concurrent commands through /pipeline", async () => {
    const redis = client({ autoPipelining: true });
    const k = key("auto");
    const results = await Promise.all(Array.from({ length: 20 }, () => redis.incr(k)));
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("/multi-exec runs a transaction atomically", async () => {
    const redis = client();
    const k = key("tx");
    const tx = redis.multi();
    tx.set(k, 10);
    tx.incrby(k, 5);
    tx.get(k);
    expect(await tx.exec()).toEqual(["OK", 15, 15]);
    // A runtime error in one command leaves the others applied, as in Redis.
    const res = await raw(
      "/multi-exec",
      [
        ["SET", k, "x"],
        ["INCR", k],
        ["GET", k],
      ],
      { "upstash-encoding": "base64" },
    );
    expect(res.body[0]).toEqual({ result: "OK" });
    expect(res.body[1].error).toMatch(/not an integer/);
    expect(res.body[2]).toEqual({ result: "eA==" });
    // A command Redis refuses to queue aborts the whole transaction.
    const aborted = await raw("/multi-exec", [["SET", k, "y"], ["NOSUCHCOMMAND"]]);
    expect(aborted.status).toBe(400);
    expect(aborted.body.error).toMatch(/EXECABORT|unknown command/i);
    expect(await redis.get(k)).toBe("x");
  });

  it("strips allow-key-locking from script shebangs, keeping other flags", () => {
    expect(stripUpstashFlags("#!lua flags=allow-key-locking\nreturn 1")).toBe("\nreturn 1");
    expect(stripUpstashFlags("#!lua flags=no-writes,allow-key-locking\nreturn 1")).toBe(
      "#!lua flags=no-writes\nreturn 1",
    );
    expect(stripUpstashFlags("return 1")).toBe("return 1");
  });

  it("EVALSHA of a flagged script: NOSCRIPT first, EVAL, then EVALSHA of the original SHA works", async () => {
    const script = `#!lua flags=allow-key-locking\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])`;
    const sha = crypto.createHash("sha1").update(script).digest("hex");
    const k = key("script");
    const first = await raw("/", ["EVALSHA", sha, 1, k, 2]);
    expect(first.status).toBe(400);
    expect(first.body.error).toMatch(/NOSCRIPT/);
    expect((await raw("/", ["EVAL", script, 1, k, 2])).body).toEqual({ result: 2 });
    expect((await raw("/", ["EVALSHA", sha, 1, k, 3])).body).toEqual({ result: 5 });
    expect((await raw("/", ["SCRIPT", "EXISTS", sha])).body).toEqual({ result: [1] });
    // SCRIPT LOAD answers the SHA of what the client sent.
    const other = `#!lua flags=allow-key-locking\nreturn 42`;
    const loaded = await client().scriptLoad(other);
    expect(loaded).toBe(crypto.createHash("sha1").update(other).digest("hex"));
    expect(await client().evalsha(loaded, [], [])).toBe(42);
    // Stock redis-server really does reject the flag: the bridge is what makes this work.
    const direct = await raw("/", ["EVAL", "#!lua flags=no-such-flag\nreturn 1", 0]);
    expect(direct.body.error).toMatch(/flag/i);
  });

  it("@upstash/ratelimit slidingWindow: exactly N of many concurrent calls pass", async () => {
    // Windows are clock minutes; a burst straddling a boundary would see the previous minute weighted in.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 58_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const ratelimit = new Ratelimit({
      redis: client({ autoPipelining: true }),
      limiter: Ratelimit.slidingWindow(10, "60 s"),
      prefix: key("rl"),
      ephemeralCache: false,
    });
    const id = "caller";
    const results = await Promise.all(Array.from({ length: 32 }, () => ratelimit.limit(id)));
    expect(results.filter((r) => r.success)).toHaveLength(10);
    expect(results.filter((r) => !r.success)).toHaveLength(22);
    expect(results.every((r) => r.reason !== "timeout")).toBe(true);
    expect((await ratelimit.getRemaining(id)).remaining).toBe(0);
    // A different identifier has its own budget.
    expect((await ratelimit.limit("someone-else")).success).toBe(true);
  });

  it("@upstash/ratelimit: token charges with rate, refunds, and the ephemeral cache", async () => {
    const cache = new Map<string, number>();
    const ratelimit = new Ratelimit({
      redis: client(),
      limiter: Ratelimit.slidingWindow(100, "60 s"),
      prefix: key("tok"),
      ephemeralCache: cache,
    });
    expect((await ratelimit.limit("u", { rate: 60 })).remaining).toBe(40);
    expect((await ratelimit.limit("u", { rate: 30 })).remaining).toBe(10);
    expect((await ratelimit.limit("u", { rate: -5 })).success).toBe(true);
    expect((await ratelimit.getRemaining("u")).remaining).toBe(15);
    const over = await ratelimit.limit("u", { rate: 50 });
    expect(over.success).toBe(false);
    const cached = await ratelimit.limit("u");
    expect(cached.success).toBe(false);
    expect(cached.reason).toBe("cacheBlock");
  });
});
