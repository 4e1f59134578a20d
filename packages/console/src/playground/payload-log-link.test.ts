import { describe, expect, it } from "vitest";
import { comparisonOfPayloadLog, playgroundLinkOfPayloadLog } from "./payload-log-link";
import { readComparison } from "./share-link";

describe("open a payload log in the Playground", () => {
  const request = JSON.stringify({
    model: "ignored-the-endpoint-is-the-logs",
    messages: [
      { role: "system", content: "Be terse." },
      { role: "user", content: "first" },
      { role: "assistant", content: "1" },
      { role: "user", content: "second" },
    ],
    max_tokens: 30,
    stream: true,
  });

  it("puts the system prompt and settings in place and the last user message in the prompt box", () => {
    expect(comparisonOfPayloadLog("my-chat", request)).toEqual({
      synced: true,
      shared: expect.objectContaining({ systemPrompt: "Be terse.", maxTokens: 30, stream: true }),
      panes: [{ endpoint: "my-chat" }],
      history: [
        { role: "user", content: "first" },
        { role: "assistant", content: "1" },
      ],
      prompt: "second",
    });
  });

  it("links to the Playground with the comparison in the fragment", () => {
    const link = playgroundLinkOfPayloadLog("my-chat", request);
    expect(link).toMatch(/^\/playground#compare=/);
    const read = readComparison(link!.slice(link!.indexOf("#")));
    expect(read).toMatchObject({ prompt: "second", panes: [{ endpoint: "my-chat" }] });
  });

  it("has no link for a log without a chat request (not logged, too large, or not chat)", () => {
    expect(playgroundLinkOfPayloadLog("e", null)).toBeNull();
    expect(playgroundLinkOfPayloadLog("e", "not json")).toBeNull();
    expect(playgroundLinkOfPayloadLog("e", JSON.stringify({ inputs: [[1, 2]] }))).toBeNull();
  });
});
