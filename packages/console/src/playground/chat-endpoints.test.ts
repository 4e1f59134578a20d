import { describe, expect, it } from "vitest";
import type { EndpointSummary } from "../api";
import { chatEndpoints } from "./chat-endpoints";

const endpoint = (name: string, task: string | undefined, permission_level: EndpointSummary["permission_level"]) =>
  ({ name, task, permission_level }) as EndpointSummary;

describe("chatEndpoints", () => {
  it("keeps chat endpoints the caller may query, by name", () => {
    const all = [
      endpoint("zeta", "llm/v1/chat", "CAN_MANAGE"),
      endpoint("embed", "llm/v1/embeddings", "CAN_MANAGE"),
      endpoint("view-only", "llm/v1/chat", "CAN_VIEW"),
      endpoint("custom-sklearn", undefined, "CAN_QUERY"),
      endpoint("alpha", "llm/v1/chat", "CAN_QUERY"),
    ];
    expect(chatEndpoints(all).map((e) => e.name)).toEqual(["alpha", "zeta"]);
  });
});
