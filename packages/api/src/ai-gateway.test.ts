import { describe, expect, it } from "vitest";
import { aiGateway, putAiGatewayRequest } from "./ai-gateway";
import { parseOrThrow } from "./validation";

describe("ai_gateway.fallback_config", () => {
  it("accepts enabled: true and false, in create's ai_gateway and in PUT …/ai-gateway", () => {
    for (const schema of [aiGateway, putAiGatewayRequest])
      for (const enabled of [true, false])
        expect(parseOrThrow(schema, { fallback_config: { enabled } })).toEqual({ fallback_config: { enabled } });
  });

  it("refuses a fallback_config without enabled, or with fields Databricks does not have", () => {
    expect(() => parseOrThrow(aiGateway, { fallback_config: {} })).toThrow(/'fallback_config\.enabled'/);
    expect(() => parseOrThrow(aiGateway, { fallback_config: { enabled: true, order: ["a"] } })).toThrow(
      "Unknown field 'fallback_config.order'",
    );
  });
});

describe("ai_gateway.name", () => {
  it("is part of the PUT body only (it repeats the path), not of the config stored on create", () => {
    expect(parseOrThrow(putAiGatewayRequest, { name: "ep", usage_tracking_config: { enabled: true } })).toEqual({
      name: "ep",
      usage_tracking_config: { enabled: true },
    });
    expect(() => parseOrThrow(aiGateway, { name: "ep" })).toThrow("Unknown field 'name'");
  });
});
