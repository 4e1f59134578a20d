import { describe, expect, it } from "vitest";
import { aiGateway, putAiGatewayRequest } from "./ai-gateway";
import { parseOrThrow } from "./validation";

describe("ai_gateway.fallback_config", () => {
  it("accepts enabled: false, which is what Edgeserve does", () => {
    expect(parseOrThrow(aiGateway, { fallback_config: { enabled: false } })).toEqual({
      fallback_config: { enabled: false },
    });
  });

  it("refuses enabled: true with a 400 naming it, in create's ai_gateway and in PUT …/ai-gateway", () => {
    for (const schema of [aiGateway, putAiGatewayRequest])
      expect(() => parseOrThrow(schema, { fallback_config: { enabled: true } })).toThrow(
        /^Invalid value for 'fallback_config\.enabled': fallbacks are not supported on Edgeserve yet: .*set enabled to false or leave fallback_config out\.$/,
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
