import { describe, expect, it } from "vitest";
import { exampleBody, pythonLiteral, querySnippets } from "./query-snippets";

describe("querySnippets", () => {
  const chat = querySnippets("http://127.0.0.1:8787", "my-chat", "llm/v1/chat");

  it("uses a token placeholder, never a token", () => {
    for (const s of [chat.curl, chat.python, chat.typescript]) expect(s).toContain("DATABRICKS_TOKEN");
    expect(chat.curl).not.toMatch(/dapi[0-9a-f]/);
  });

  it("calls the OpenAI client for chat endpoints, with the endpoint as the model", () => {
    expect(chat.python).toContain('base_url="http://127.0.0.1:8787/serving-endpoints"');
    expect(chat.python).toContain('model="my-chat"');
    expect(chat.python).toContain("client.chat.completions.create(");
    expect(chat.typescript).toContain('model: "my-chat"');
    expect(chat.curl).toContain("http://127.0.0.1:8787/serving-endpoints/my-chat/invocations");
  });

  it("posts a dataframe with requests and fetch for custom models", () => {
    const custom = querySnippets("https://x.test", "iris", undefined);
    expect(custom.python).toContain("requests.post(");
    expect(custom.python).toContain('json={"dataframe_split": {"columns": ["x"], "data": [[1]]}}');
    expect(custom.typescript).toContain('await fetch("https://x.test/serving-endpoints/iris/invocations"');
  });

  it("escapes single quotes in curl's body", () => {
    expect(querySnippets("http://h", "e", "llm/v1/completions").curl).toContain('-d \'{"prompt":');
    expect(exampleBody("llm/v1/embeddings")).toEqual({ input: ["Edgeserve runs models at the edge."] });
  });
});

describe("pythonLiteral", () => {
  it("writes JSON as Python", () => {
    expect(pythonLiteral({ a: true, b: null, c: [1, "x"] })).toBe('{"a": True, "b": None, "c": [1, "x"]}');
  });
});
