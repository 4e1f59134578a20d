import { describe, expect, it } from "vitest";
import { convertToConverseMessages } from "./convert-to-converse-messages";

describe("convertToConverseMessages", () => {
  it("moves system prompts out, keeps tool calls as toolUse and merges tool results into one user turn", () => {
    expect(
      convertToConverseMessages([
        { role: "system", content: "be brief" },
        {
          role: "user",
          content: [
            { type: "text", text: "songs?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0=" } },
          ],
        },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "t1", function: { name: "top_song", arguments: '{"sign":"WZPZ"}' } },
            { id: "t2", function: { name: "now", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "t1", content: "Elemental Hotel" },
        { role: "tool", tool_call_id: "t2", content: [{ type: "text", text: "noon" }] },
      ]),
    ).toEqual({
      system: [{ text: "be brief" }],
      messages: [
        { role: "user", content: [{ text: "songs?" }, { image: { format: "png", source: { bytes: "iVBORw0=" } } }] },
        {
          role: "assistant",
          content: [
            { text: "Checking." },
            { toolUse: { toolUseId: "t1", name: "top_song", input: { sign: "WZPZ" } } },
            { toolUse: { toolUseId: "t2", name: "now", input: {} } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "t1", content: [{ text: "Elemental Hotel" }] } },
            { toolResult: { toolUseId: "t2", content: [{ text: "noon" }] } },
          ],
        },
      ],
    });
  });

  it("rejects what Converse cannot take", () => {
    expect(() =>
      convertToConverseMessages([
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] },
      ]),
    ).toThrow(/data: URLs/);
    expect(() => convertToConverseMessages([{ role: "user", content: "" }])).toThrow(/empty/);
    expect(() =>
      convertToConverseMessages([
        { role: "assistant", tool_calls: [{ id: "x", function: { name: "f", arguments: "{bad" } }] },
      ]),
    ).toThrow(/JSON/);
  });
});
