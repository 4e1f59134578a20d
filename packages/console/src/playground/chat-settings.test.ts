import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, buildChatRequest, parseTools, settingsOfRequest } from "./chat-settings";

const weather = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

describe("buildChatRequest", () => {
  it("sends only what was set, the system prompt first, and asks streams for their usage", () => {
    const body = buildChatRequest(
      "my-chat",
      { ...DEFAULT_SETTINGS, systemPrompt: "Be brief.", temperature: 0, maxTokens: 50, stop: ["END", ""] },
      [{ role: "user", content: "Hi" }],
    );
    expect(body).toEqual({
      model: "my-chat",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      temperature: 0,
      max_tokens: 50,
      stop: ["END"],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("adds tools and leaves stream_options out when not streaming", () => {
    const body = buildChatRequest(
      "e",
      { ...DEFAULT_SETTINGS, stream: false, topP: 0.5, toolsJson: JSON.stringify([weather]) },
      [{ role: "user", content: "Weather?" }],
    );
    expect(body).toEqual({
      model: "e",
      messages: [{ role: "user", content: "Weather?" }],
      top_p: 0.5,
      tools: [weather],
      stream: false,
    });
  });

  it("refuses to build with tools that do not parse", () => {
    expect(() => buildChatRequest("e", { ...DEFAULT_SETTINGS, toolsJson: "[" }, [])).toThrow(/not valid JSON/);
  });
});

describe("parseTools", () => {
  it("accepts none and OpenAI function tools", () => {
    expect(parseTools("  ")).toEqual({ tools: [] });
    expect(parseTools(JSON.stringify([weather]))).toEqual({ tools: [weather] });
  });

  it.each([
    ["{}", /JSON array/],
    ['[{"name": "x"}]', /tools\[0\] must be/],
    ['[{"type": "function", "function": {"name": "bad name"}}]', /tools\[0\]\.function\.name/],
    ['[{"type": "function", "function": {"name": "ok", "parameters": []}}]', /parameters must be a JSON Schema/],
  ])("says what is wrong with %s", (json, message) => {
    const parsed = parseTools(json);
    expect("error" in parsed && parsed.error).toMatch(message);
  });
});

describe("settingsOfRequest", () => {
  it("reads a request body back into settings and history, naming the fields it drops", () => {
    const read = settingsOfRequest({
      model: "e",
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "Q" },
        { role: "robot", content: "dropped: not a chat role" },
      ],
      temperature: 0.3,
      top_p: "0.9",
      stop: "END",
      tools: [weather],
      stream: false,
      usage_context: { a: 1 },
    });
    expect(read.settings).toEqual({
      systemPrompt: "S",
      temperature: 0.3,
      stop: ["END"],
      stream: false,
      toolsJson: JSON.stringify([weather], null, 2),
    });
    expect(read.history).toEqual([{ role: "user", content: "Q" }]);
    expect(read.ignored).toEqual(["usage_context"]);
  });

  it("round-trips what buildChatRequest sends", () => {
    const settings = { ...DEFAULT_SETTINGS, systemPrompt: "S", temperature: 1.5, maxTokens: 9, topP: 0.2 };
    const history = [{ role: "user" as const, content: "Q" }];
    const read = settingsOfRequest(buildChatRequest("e", settings, history));
    expect(read).toEqual({ settings, history, ignored: [] });
  });
});
