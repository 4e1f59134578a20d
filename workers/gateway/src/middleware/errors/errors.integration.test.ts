import { describe, expect, it } from "vitest";
import { call } from "../../../test/client";

describe("error handling", () => {
  it("answers unknown routes with a Databricks 404 body", async () => {
    const res = await call("GET", "/api/2.0/nope");
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      error_code: "ENDPOINT_NOT_FOUND",
      message: "No API found for 'GET /api/2.0/nope'",
    });
    expect(res.json.details[0].request_id).toBe(res.headers.get("x-request-id"));
  });

  it("rejects a missing token with 401 UNAUTHENTICATED", async () => {
    const res = await call("GET", "/api/2.0/serving-endpoints", { token: null });
    expect(res.status).toBe(401);
    expect(res.json.error_code).toBe("UNAUTHENTICATED");
  });

  it("rejects an unknown token with 401", async () => {
    const res = await call("GET", "/api/2.0/serving-endpoints", { token: "dapi0000" });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error_code: "UNAUTHENTICATED", message: "Invalid access token." });
  });
});
