import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { parseProviderValue } from "../shared/provider-json";
import { readSseEvents } from "../shared/sse";
import { anthropicMessageResponseSchema } from "./anthropic-response-schema";
import { anthropicStreamToChunks } from "./anthropic-stream-to-chunks";
import { fixtureJson, fixtureText } from "../shared/provider-fixtures";

const messageWithStringTokens = fixtureJson("anthropic", "message-with-string-tokens.json") as Record<string, unknown>;
const streamWithChangedTextDelta = fixtureText("anthropic", "stream-with-changed-text-delta.sse");

const streamTextThenTool = fixtureText("anthropic", "stream-text-then-tool.sse");

const parse = (value: unknown) => parseProviderValue(anthropicMessageResponseSchema, value, "anthropic", "a response");

async function drain(text: string) {
  for await (const _ of anthropicStreamToChunks(readSseEvents(new Response(text).body!))) void _;
}

describe("anthropic response schema", () => {
  it("reads recorded answers, blocks it does not read (thinking, server tools) included", () => {
    const message = {
      ...messageWithStringTokens,
      usage: { input_tokens: 12, output_tokens: 6 },
      content: [
        { type: "thinking", thinking: "hm", signature: "s" },
        { type: "text", text: "Hi" },
        { type: "server_tool_use", id: "x" },
      ],
    };
    expect(parse(message).content).toHaveLength(3);
  });

  it("a changed field is a 502 naming the provider and the field", () => {
    const error = (() => {
      try {
        parse(messageWithStringTokens);
      } catch (e) {
        return e;
      }
    })() as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      "The provider 'anthropic' sent a response this gateway " +
        "cannot read: 'usage.input_tokens' is string, expected number.",
    );
    expect(() =>
      parse({ ...messageWithStringTokens, usage: undefined, content: [{ type: "tool_use", id: "t", input: {} }] }),
    ).toThrow("'content[0].name' is missing (expected string)");
  });

  it(
    "a stream event with a changed field fails the " + "stream with a 502 naming it; a recorded stream passes",
    async () => {
      await expect(drain(streamTextThenTool)).resolves.toBeUndefined();
      await expect(drain(streamWithChangedTextDelta)).rejects.toMatchObject({
        status: 502,
        message:
          "The provider 'anthropic' sent a stream event this gateway " +
          "cannot read: 'delta.text' is object, expected string.",
      });
    },
  );
});
