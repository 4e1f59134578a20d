/**
 * The helpers' policy for requests wrangler dev's proxy drops ("Your worker restarted mid-request"):
 * idempotent ones are sent again and recorded, an endpoint create only once a GET shows it created
 * nothing, any other fails its test and is recorded. A stand-in for the proxy answers each request with
 * the next answer scripted for it: the proxy's own 503 (wrangler's templates/startDevWorker/ProxyWorker.ts)
 * or the gateway's.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDroppedRequests } from "../dropped-requests-log.mjs";
import { resendable, sendResendingIdempotent } from "./helpers";

const DROPPED = {
  status: 503,
  body:
    "Your worker restarted mid-request. Please try sending the request " +
    "again. Only GET or HEAD requests are retried automatically.",
};
const answer = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

/** "METHOD path" → the answers still to give, in order. */
const script = new Map<string, { status: number; body: string }[]>();
const received: string[] = [];
const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "edgeserve-dropped-")), "dropped.jsonl");
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    received.push(key);
    req.resume();
    const next =
      script.get(key)?.shift() ?? answer(500, { error_code: "INTERNAL_ERROR", message: `nothing scripted for ${key}` });
    res.writeHead(next.status, { "content-type": "application/json" }).end(next.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const times = (key: string) => received.filter((r) => r === key).length;
const logged = (p: string) => readDroppedRequests(log).filter((e) => e.path === p);

describe("requests wrangler dev dropped", () => {
  it("resends an idempotent one once and records it", async () => {
    const p = "/api/2.0/permissions/serving-endpoints/0123";
    script.set(`PUT ${p}`, [DROPPED, answer(200, {})]);
    const res = await sendResendingIdempotent(base, log, "PUT", p, { body: { access_control_list: [] } });
    expect(res.status).toBe(200);
    expect(times(`PUT ${p}`)).toBe(2);
    expect(logged(p)).toEqual([
      {
        method: "PUT",
        path: p,
        test: expect.stringMatching(/^test\/e2e\/helpers\.test\.ts > .*resends an idempotent one/),
        resent: true,
      },
    ]);
  });

  it("fails the test of a non-idempotent one instead of sending it again, and records it", async () => {
    const p = "/serving-endpoints/x/invocations";
    script.set(`POST ${p}`, [DROPPED, answer(200, {})]);
    await expect(sendResendingIdempotent(base, log, "POST", p, { body: { inputs: [1] } })).rejects.toThrow(
      /dropped POST \/serving-endpoints\/x\/invocations .*not sent again: a POST is not idempotent/,
    );
    expect(times(`POST ${p}`)).toBe(1);
    expect(logged(p)).toEqual([expect.objectContaining({ method: "POST", resent: false })]);
  });

  it("resends an endpoint create only when no endpoint of its name exists", async () => {
    const create = "POST /api/2.0/serving-endpoints";
    script.set(create, [DROPPED, answer(200, { name: "fresh" }), DROPPED]);
    script.set("GET /api/2.0/serving-endpoints/fresh", [
      answer(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "no" }),
    ]);
    script.set("GET /api/2.0/serving-endpoints/made", [answer(200, { name: "made" })]);
    const res = await sendResendingIdempotent(base, log, "POST", "/api/2.0/serving-endpoints", {
      body: { name: "fresh", config: {} },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("fresh");
    // The first attempt did create it: sending it again would be a second create.
    await expect(
      sendResendingIdempotent(base, log, "POST", "/api/2.0/serving-endpoints", { body: { name: "made", config: {} } }),
    ).rejects.toThrow(/not sent again/);
    expect(times(create)).toBe(3);
    expect(logged("/api/2.0/serving-endpoints").map((e) => e.resent)).toEqual([true, false]);
  });

  it("passes the gateway's own 503 through, without sending it again", async () => {
    script.set("GET /busy", [answer(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" })]);
    const res = await sendResendingIdempotent(base, log, "GET", "/busy");
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(times("GET /busy")).toBe(1);
    expect(logged("/busy")).toEqual([]);
  });

  it.each([
    ["GET", "/api/2.0/serving-endpoints/x", true],
    ["DELETE", "/api/2.0/serving-endpoints/x", true],
    ["PUT", "/api/2.0/serving-endpoints/x/ai-gateway", true],
    ["PUT", "/api/2.0/preview/scim/v2/Users/abc", true],
    ["PUT", "/api/2.0/serving-endpoints/x/config", false],
    ["PUT", "/api/2.0/serving-endpoints/x/config?y=1", false],
    ["POST", "/api/2.0/serving-endpoints", false],
    ["POST", "/serving-endpoints/x/invocations", false],
    ["POST", "/api/2.0/token/create", false],
    ["PATCH", "/api/2.0/permissions/serving-endpoints/0123", false],
  ] as const)("%s %s resendable without a check: %s", (method, p, expected) => {
    expect(resendable(method, p)).toBe(expected);
  });
});
