import { describe, expect, it } from "vitest";
import { mapBedrockError, mapBedrockStreamException } from "./bedrock-errors";

const h = (type: string) =>
  new Headers({ "x-amzn-ErrorType": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });

describe("mapBedrockError", () => {
  it("maps Bedrock's statuses and keeps its message", () => {
    const v = mapBedrockError(400, h("ValidationException"), '{"message":"Malformed input request"}');
    expect([v.status, v.code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(v.message).toContain("Malformed input request");
    const denied = mapBedrockError(
      403,
      h("AccessDeniedException"),
      '{"Message":"The request signature we calculated does not match the signature you provided. secret"}',
    );
    expect(denied.status).toBe(502);
    expect(mapBedrockError(429, h("ThrottlingException"), '{"message":"Too many requests"}').status).toBe(429);
    expect(mapBedrockError(408, h("ModelTimeoutException"), '{"message":"timeout"}').status).toBe(504);
    expect(mapBedrockError(424, h("ModelErrorException"), '{"message":"model failed"}').status).toBe(502);
    expect(mapBedrockError(503, h("ServiceUnavailableException"), '{"message":"down"}').status).toBe(503);
  });
  it("maps stream exceptions by type", () => {
    expect(mapBedrockStreamException("validationException", '{"message":"bad"}').status).toBe(400);
    expect(mapBedrockStreamException("modelStreamErrorException", '{"message":"x"}').status).toBe(502);
    expect(mapBedrockStreamException("serviceUnavailableException", '{"message":"x"}').status).toBe(503);
  });
});
