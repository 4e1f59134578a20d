import { fetchWorker } from "../../test/fetch-worker";
import { describe, expect, it } from "vitest";

describe("GET /v1/limits", () => {
  it("answers the model memory budget of wrangler.toml (EDGESERVE_INFERENCE_CACHE_MB = 96)", async () => {
    const res = await fetchWorker("https://inference/v1/limits");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ modelMemoryBytes: 96 * 1024 * 1024 });
  });

  it("takes GET only", async () => {
    const res = await fetchWorker("https://inference/v1/limits", { method: "POST", body: "{}" });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error_code: "BAD_REQUEST", message: "/v1/limits takes GET." });
  });
});
