import { describe, expect, it } from "vitest";
import { call } from "../../test/client";

describe("API docs", () => {
  it("serves the OpenAPI 3.1 document without a token, with this origin as the server", async () => {
    const res = await call("GET", "/api/2.0/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.json.openapi).toMatch(/^3\.1\.\d+$/);
    expect(res.json.servers).toEqual([{ url: "https://edgeserve.test" }]);
    expect(res.json.paths["/api/2.0/serving-endpoints"].post.operationId).toBe("createServingEndpoint");
    expect(res.json.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
  });

  it("answers the same document again (cached) and with a token too", async () => {
    const first = await call("GET", "/api/2.0/openapi.json", { token: null });
    const second = await call("GET", "/api/2.0/openapi.json");
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
  });

  it("serves a browsable reference page without a token, pointed at the document", async () => {
    const res = await call("GET", "/docs", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("/api/2.0/openapi.json");
    expect(res.text).toContain("cdn.jsdelivr.net/npm/@scalar/api-reference");
  });
});
