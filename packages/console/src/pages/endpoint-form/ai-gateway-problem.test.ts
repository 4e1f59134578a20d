import { aiGateway, putAiGatewayRequest } from "@edgeserve/api";
import { parseOrThrow } from "@edgeserve/api/validation";
import { describe, expect, it } from "vitest";
import { aiGatewayProblem } from "./ai-gateway-problem";

/** What PUT …/ai-gateway answers for the same body (the API's 400 message). */
function apiMessage(body: Record<string, unknown>): string | undefined {
  try {
    parseOrThrow(putAiGatewayRequest, body);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("aiGatewayProblem", () => {
  it.each([
    [{ rate_limits: [{ key: "user", renewal_period: "minute" }] }, "one of 'calls' or 'tokens' is required"],
    [{ rate_limits: [{ calls: 1, key: "endpoint", principal: "x", renewal_period: "minute" }] }, "not allowed"],
    [{ rate_limits: [{ tokens: 5, key: "user_group", renewal_period: "minute" }] }, "is required when key"],
    [{ guardrails: { output: { pii: { behavior: "REDACT" } } } }, "guardrails.output.pii.behavior"],
  ])("words %j as the API does", async (body, fragment) => {
    const problem = await aiGatewayProblem(body);
    expect(problem).toContain(fragment);
    expect(problem).toBe(apiMessage(body));
  });

  it("passes what the API accepts", async () => {
    const body = {
      rate_limits: [{ tokens: 100, key: "service_principal", principal: "app", renewal_period: "minute" }],
      guardrails: { input: { invalid_keywords: ["a"] } },
    };
    expect(aiGateway.safeParse(body).success).toBe(true);
    expect(await aiGatewayProblem(body)).toBeUndefined();
  });
});
