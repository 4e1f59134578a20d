import { describe, expect, it } from "vitest";
import { parseProviderValue } from "../shared/provider-json";
import { readSseEvents } from "../shared/sse";
import { cohereChatResponseSchema, cohereEmbedResponseSchema } from "./cohere-response-schema";
import { cohereStreamToChunks } from "./cohere-stream-to-chunks";
import { fixtureJson, fixtureText } from "../shared/provider-fixtures";

const COHERE_CHAT_WITH_STRING_CONTENT = fixtureJson("cohere", "chat-with-string-content.json");
const COHERE_EMBED_RENAMED = fixtureJson("cohere", "embed-renamed.json");
const COHERE_STREAM_CHANGED_DELTA = fixtureText("cohere", "stream-changed-delta.sse");
const COHERE_STREAM_CUT = fixtureText("cohere", "stream-cut.sse");
const COHERE_EMBED_RESPONSE = fixtureJson("cohere", "embed-response.json");
const COHERE_TEXT_RESPONSE = fixtureJson("cohere", "text-response.json");
const COHERE_TOOL_CALL_RESPONSE = fixtureJson("cohere", "tool-call-response.json");
const COHERE_TEXT_STREAM = fixtureText("cohere", "text-stream.sse");
const COHERE_TOOL_CALL_STREAM = fixtureText("cohere", "tool-call-stream.sse");

async function drain(text: string) {
  for await (const _ of cohereStreamToChunks(readSseEvents(new Response(text).body!))) void _;
}

describe("cohere response schemas", () => {
  it("read the recorded answers and streams", async () => {
    for (const r of [COHERE_TEXT_RESPONSE, COHERE_TOOL_CALL_RESPONSE])
      expect(() => parseProviderValue(cohereChatResponseSchema, r, "cohere", "a response")).not.toThrow();
    expect(() =>
      parseProviderValue(cohereEmbedResponseSchema, COHERE_EMBED_RESPONSE, "cohere", "a response"),
    ).not.toThrow();
    await drain(COHERE_TEXT_STREAM);
    await drain(COHERE_TOOL_CALL_STREAM);
  });

  it("a changed field is a 502 naming the provider and the field", async () => {
    expect(() =>
      parseProviderValue(cohereChatResponseSchema, COHERE_CHAT_WITH_STRING_CONTENT, "cohere", "a response"),
    ).toThrow(
      "The provider 'cohere' sent a response this gateway cannot read: 'message.content' is string, expected array.",
    );
    expect(() => parseProviderValue(cohereEmbedResponseSchema, COHERE_EMBED_RENAMED, "cohere", "a response")).toThrow(
      "'embeddings.float' is missing (expected array)",
    );
    await expect(drain(COHERE_STREAM_CHANGED_DELTA)).rejects.toMatchObject({
      status: 502,
      message:
        "The provider 'cohere' sent a stream event this gateway cannot " +
        "read: 'delta.message.content.text' is array, expected string.",
    });
  });

  it("a stream cut before message-end fails", async () => {
    await expect(drain(COHERE_STREAM_CUT)).rejects.toMatchObject({
      status: 502,
      message: "The provider 'cohere' ended its stream before message-end.",
    });
  });
});
