import { describe, expect, it } from "vitest";
import { responseFacts } from "./response-inspector";

describe("responseFacts", () => {
  it("picks the request id, the served entity and every rate-limit header", () => {
    const headers = new Headers({
      "x-request-id": "req-1",
      "served-model-name": "gpt-a",
      "retry-after": "3",
      "x-ratelimit-remaining-requests": "0",
      "content-type": "application/json",
    });
    expect(responseFacts(429, headers)).toEqual({
      status: 429,
      requestId: "req-1",
      servedModel: "gpt-a",
      rateLimit: [
        ["retry-after", "3"],
        ["x-ratelimit-remaining-requests", "0"],
      ],
    });
  });

  it("leaves out what the response did not say", () => {
    expect(responseFacts(200, new Headers())).toEqual({ status: 200, rateLimit: [] });
  });
});
