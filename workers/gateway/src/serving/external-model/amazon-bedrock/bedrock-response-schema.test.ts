import { describe, expect, it } from "vitest";
import { parseProviderValue } from "../shared/provider-json";
import { readEventStream } from "./aws-event-stream";
import { converseResponseSchema } from "./bedrock-response-schema";
import { bedrockEmbeddingsToUnified } from "./build-bedrock-embeddings-request";
import { converseStreamToChunks } from "./converse-stream-to-chunks";
import { eventFrame } from "./__fixtures__/event-frames";
import { fixtureJson } from "../shared/provider-fixtures";

const CONVERSE_STREAM_CHANGED_DELTA = fixtureJson("amazon-bedrock", "converse-stream-changed-delta.json") as [
  type: string,
  payload: unknown,
][];
const CONVERSE_TOOL_WITHOUT_NAME = fixtureJson("amazon-bedrock", "converse-tool-without-name.json");
const TITAN_EMBEDDING_RENAMED = fixtureJson("amazon-bedrock", "titan-embedding-renamed.json");
const CONVERSE_STREAM_EVENTS = fixtureJson("amazon-bedrock", "converse-stream-events.json") as [
  type: string,
  payload: unknown,
][];
const CONVERSE_TEXT_RESPONSE = fixtureJson("amazon-bedrock", "converse-text-response.json");
const CONVERSE_TOOL_RESPONSE = fixtureJson("amazon-bedrock", "converse-tool-response.json");

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
    for (const r of [CONVERSE_TEXT_RESPONSE, CONVERSE_TOOL_RESPONSE])
      expect(() => parseProviderValue(converseResponseSchema, r, "amazon-bedrock", "a response")).not.toThrow();
    await drain(CONVERSE_STREAM_EVENTS);
  });

  it("a changed field is a 502 naming the provider and the field", async () => {
    expect(() =>
      parseProviderValue(converseResponseSchema, CONVERSE_TOOL_WITHOUT_NAME, "amazon-bedrock", "a response"),
    ).toThrow(
      "The provider 'amazon-bedrock' sent a response this gateway cannot read: " +
        "'output.message.content[0].toolUse.name' is missing (expected string).",
    );
    await expect(drain(CONVERSE_STREAM_CHANGED_DELTA)).rejects.toMatchObject({
      status: 502,
      message:
        "The provider 'amazon-bedrock' sent a contentBlockDelta event " +
        "this gateway cannot read: 'delta.text' is object, expected string.",
    });
    expect(() =>
      bedrockEmbeddingsToUnified([TITAN_EMBEDDING_RENAMED], "amazon", "amazon.titan-embed-text-v2:0"),
    ).toThrow("'embedding' is missing (expected array)");
  });

  it("a stream cut before messageStop fails", async () => {
    await expect(drain(CONVERSE_STREAM_EVENTS.slice(0, 3))).rejects.toMatchObject({
      status: 502,
      message: "The provider 'amazon-bedrock' ended its stream before messageStop.",
    });
  });
});
