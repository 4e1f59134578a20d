import { describe, expect, it } from "vitest";
import { parseProviderValue } from "../shared/provider-json";
import { readSseEvents } from "../shared/sse";
import { ai21ChatResponseSchema } from "./ai21-response-schema";
import { ai21StreamToChunks } from "./ai21-stream-to-chunks";
import { fixtureJson, fixtureText } from "../shared/provider-fixtures";

const CHAT_WITH_STRING_MESSAGE = fixtureJson("ai21labs", "chat-with-string-message.json");
const STREAM_CHANGED_CONTENT = fixtureText("ai21labs", "stream-changed-content.sse");
const STREAM_CUT = fixtureText("ai21labs", "stream-cut.sse");

const chat = fixtureJson("ai21labs", "chat-response.json");
const toolCall = fixtureJson("ai21labs", "tool-call-response.json");
const stream = fixtureText("ai21labs", "chat-stream.sse");

async function drain(text: string) {
  for await (const _ of ai21StreamToChunks(readSseEvents(new Response(text).body!))) void _;
}

describe("ai21labs response schemas", () => {
  it("read the recorded answers and stream", async () => {
    for (const r of [chat, toolCall])
      expect(() => parseProviderValue(ai21ChatResponseSchema, r, "ai21labs", "a response")).not.toThrow();
    await drain(stream);
  });

  it("a changed field is a 502 naming the provider and the field", async () => {
    expect(() =>
      parseProviderValue(ai21ChatResponseSchema, CHAT_WITH_STRING_MESSAGE, "ai21labs", "a response"),
    ).toThrow(
      "The provider 'ai21labs' sent a response this gateway cannot " +
        "read: 'choices[0].message' is string, expected object.",
    );
    await expect(drain(STREAM_CHANGED_CONTENT)).rejects.toMatchObject({
      status: 502,
      message:
        "The provider 'ai21labs' sent a stream event this gateway cannot " +
        "read: 'choices[0].delta.content' is number, expected string.",
    });
  });

  it("a stream cut before [DONE] or a finish_reason fails", async () => {
    await expect(drain(STREAM_CUT)).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/ai21labs' ended its stream before it was complete/),
    });
  });
});
