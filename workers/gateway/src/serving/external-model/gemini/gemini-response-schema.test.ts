import { describe, expect, it } from "vitest";
import { parseProviderJson, parseProviderValue } from "../shared/provider-json";
import { readSseEvents } from "../shared/sse";
import { geminiResponseSchema, type GeminiResponse } from "./gemini-response-schema";
import { geminiStreamToChunks } from "./gemini-stream-to-chunks";
import { fixtureJson, fixtureText } from "../shared/provider-fixtures";

const GENERATE_CONTENT_STRING_COUNT = fixtureJson("gemini", "generate-content-string-count.json");
const GENERATE_CONTENT_TEXT = fixtureJson("gemini", "generate-content-text.json");
const STREAM_CUT_BEFORE_FINISH = fixtureText("gemini", "stream-cut-before-finish.sse");

async function* events(sse: string): AsyncGenerator<GeminiResponse> {
  for await (const e of readSseEvents(new Response(sse).body!))
    yield parseProviderJson(geminiResponseSchema, e.data, "google-cloud-vertex-ai", "a stream event");
}

describe("gemini response schema (Vertex AI and the Gemini API)", () => {
  it("reads a recorded answer", () => {
    expect(
      parseProviderValue(geminiResponseSchema, GENERATE_CONTENT_TEXT, "palm", "a response").candidates,
    ).toHaveLength(1);
  });

  it("a changed field is a 502 naming the provider and the field", () => {
    expect(() =>
      parseProviderValue(geminiResponseSchema, GENERATE_CONTENT_STRING_COUNT, "google-cloud-vertex-ai", "a response"),
    ).toThrow(
      "The provider 'google-cloud-vertex-ai' sent a response this gateway " +
        "cannot read: 'usageMetadata.promptTokenCount' is string, expected number.",
    );
  });

  it("a stream cut before its finishReason fails", async () => {
    const drain = async () => {
      for await (const _ of geminiStreamToChunks(events(STREAM_CUT_BEFORE_FINISH), {
        id: "chatcmpl-1",
        provider: "palm",
      }))
        void _;
    };
    await expect(drain()).rejects.toMatchObject({
      status: 502,
      message: "The provider 'palm' ended its stream before a finishReason.",
    });
  });
});
