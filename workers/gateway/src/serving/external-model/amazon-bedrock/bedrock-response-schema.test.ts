import { describe, expect, it } from "vitest";
import { parseProviderValue } from "../shared/provider-json";
import { readEventStream } from "./aws-event-stream";
import { converseResponseSchema } from "./bedrock-response-schema";
import { bedrockEmbeddingsToUnified } from "./build-bedrock-embeddings-request";
import { converseStreamToChunks } from "./converse-stream-to-chunks";
import { CONVERSE_STREAM_CHANGED_DELTA, CONVERSE_TOOL_WITHOUT_NAME, TITAN_EMBEDDING_RENAMED } from "./fixtures/changed-fields";
import { CONVERSE_STREAM_EVENTS, CONVERSE_TEXT_RESPONSE, CONVERSE_TOOL_RESPONSE, eventFrame } from "./fixtures/converse-fixtures";

async function drain(events: [string, unknown][]) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const [type, payload] of events) c.enqueue(eventFrame(type, payload));
      c.close();
    },
  });
  for await (const _ of converseStreamToChunks(readEventStream(body))) void _;
}

describe("amazon-bedrock response schemas", () => {
  it("read the recorded Converse answers and stream", async () => {
    for (const r of [CONVERSE_TEXT_RESPONSE, CONVERSE_TOOL_RESPONSE]) expect(() => parseProviderValue(converseResponseSchema, r, "amazon-bedrock", "a response")).not.toThrow();
    await drain(CONVERSE_STREAM_EVENTS);
  });

  it("a changed field is a 502 naming the provider and the field", async () => {
    expect(() => parseProviderValue(converseResponseSchema, CONVERSE_TOOL_WITHOUT_NAME, "amazon-bedrock", "a response")).toThrow(
      "The provider 'amazon-bedrock' sent a response this gateway cannot read: 'output.message.content[0].toolUse.name' is missing (expected string).",
    );
    await expect(drain(CONVERSE_STREAM_CHANGED_DELTA)).rejects.toMatchObject({ status: 502, message: "The provider 'amazon-bedrock' sent a contentBlockDelta event this gateway cannot read: 'delta.text' is object, expected string." });
    expect(() => bedrockEmbeddingsToUnified([TITAN_EMBEDDING_RENAMED], "amazon", "amazon.titan-embed-text-v2:0")).toThrow("'embedding' is missing (expected array)");
  });

  it("a stream cut before messageStop fails", async () => {
    await expect(drain(CONVERSE_STREAM_EVENTS.slice(0, 3))).rejects.toMatchObject({ status: 502, message: "The provider 'amazon-bedrock' ended its stream before messageStop." });
  });
});
