import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/client";
import { createReadyEndpoint, customChatEndpoint } from "../../test/endpoints";
import { fakeOpenAiUpstream } from "../../test/fake-upstream";
import { eventually } from "../../test/eventually";
import { createUserWithToken } from "../../test/principals";

let upstream: ReturnType<typeof fakeOpenAiUpstream> | null = null;
afterEach(() => {
  upstream?.restore();
  upstream = null;
});

const chat = { messages: [{ role: "user", content: "Count my tokens, please." }] };
const MINUTE = 60_000;

beforeAll(async () => {
  await createReadyEndpoint(customChatEndpoint("series-chat"));
});

async function series(query: string, token?: string) {
  return call("GET", `/api/2.0/serving-endpoints/series-chat/metrics/series${query}`, token ? { token } : {});
}

describe("GET …/metrics/series (the console's charts)", () => {
  it("counts queries, errors, latency percentiles and tokens in the bucket they were made in", async () => {
    upstream = fakeOpenAiUpstream();
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call("POST", "/serving-endpoints/series-chat/invocations", { body: chat })).status);
    statuses.push(
      (await call("POST", "/serving-endpoints/series-chat/invocations", { body: { messages: "not a list" } })).status,
    );
    expect(statuses).toEqual([200, 200, 200, 400]);
    const end = start + 10 * MINUTE;

    const res = await eventually(
      () => series(`?start_time=${start}&end_time=${end}&interval_s=60`),
      (r) =>
        r.json?.buckets?.reduce((n: number, b: any) => n + b.request_count, 0) === 4 &&
        r.json.buckets.some((b: any) => b.output_tokens > 0),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ endpoint_name: "series-chat", start_time: start, end_time: end, interval_s: 60 });
    expect(res.json.buckets).toHaveLength(10);
    expect(res.json.buckets.map((b: any) => b.start_time)).toEqual(
      Array.from({ length: 10 }, (_, i) => start + i * MINUTE),
    );
    const busy = res.json.buckets.filter((b: any) => b.request_count > 0);
    const sum = (key: string) => busy.reduce((n: number, b: any) => n + b[key], 0);
    expect(sum("request_count")).toBe(4);
    expect(sum("error_count")).toBe(1);
    expect(sum("input_tokens")).toBeGreaterThan(0);
    for (const b of busy) {
      expect(b.latency_p50_ms).toBeGreaterThanOrEqual(0);
      expect(b.latency_p95_ms).toBeGreaterThanOrEqual(b.latency_p50_ms);
      expect(b.latency_p99_ms).toBeGreaterThanOrEqual(b.latency_p95_ms);
    }
    const empty = res.json.buckets.filter((b: any) => b.request_count === 0);
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.every((b: any) => b.latency_p50_ms === null && b.input_tokens === 0)).toBe(true);
  });

  it("refuses bad windows and intervals with INVALID_PARAMETER_VALUE", async () => {
    const bad = [
      "?interval_s=7",
      "?start_time=100&end_time=50",
      "?start_time=yesterday",
      // 2 days of minutes: more buckets than allowed.
      `?start_time=0&end_time=${2 * 1440 * MINUTE}&interval_s=60`,
      "?unknown=1",
    ];
    for (const q of bad) {
      const res = await series(q);
      expect(res.status, q).toBe(400);
      expect(res.json.error_code, q).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("needs CAN_VIEW on the endpoint", async () => {
    const dave = await createUserWithToken("dave-series@example.com");
    const res = await series("", dave.token);
    expect(res.status).toBe(403);
    expect(res.json.error_code).toBe("PERMISSION_DENIED");
  });
});
