import type { ChatRequest } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { exportRequest } from "./export-request";

const body: ChatRequest = {
  model: "my-chat",
  messages: [
    { role: "system", content: 'Say "hi" and it\'s done.' },
    { role: "user", content: "Line one\nline two $HOME `x`" },
  ],
  temperature: 0.2,
  stop: ["END"],
  stream: true,
  stream_options: { include_usage: true },
};

describe("exportRequest", () => {
  it("writes curl with the body byte for byte in a quoted here-document and the token as a variable", () => {
    const curl = exportRequest("curl", "http://127.0.0.1:8787/", body);
    expect(curl.split("\n").slice(0, 4)).toEqual([
      "curl -sS -N 'http://127.0.0.1:8787/serving-endpoints/chat/completions' \\",
      '  -H "Authorization: Bearer $DATABRICKS_TOKEN" \\',
      '  -H "Content-Type: application/json" \\',
      "  --data-binary @- <<'JSON'",
    ]);
    const json = curl.slice(curl.indexOf("\n{") + 1, curl.lastIndexOf("\nJSON"));
    expect(JSON.parse(json)).toEqual(body);
    expect(curl.endsWith("\nJSON")).toBe(true);
  });

  it("writes Python with the body as keyword arguments, Python literals and the token from the environment", () => {
    const python = exportRequest("python", "https://edge.example.com", { ...body, stream: false, n: 1, seed: 7 });
    expect(python).toContain(
      'client = OpenAI(api_key=os.environ["DATABRICKS_TOKEN"], base_url="https://edge.example.com/serving-endpoints")',
    );
    expect(python).toContain('    model="my-chat",\n');
    expect(python).toContain('{"role": "system", "content": "Say \\"hi\\" and it\'s done."}');
    expect(python).toContain("    stream=False,\n");
    expect(python).toContain('    stream_options={"include_usage": True},\n');
    // `seed` is not a keyword this snippet knows: it travels in extra_body, unchanged.
    expect(python).toContain('    extra_body={"seed": 7},\n');
    expect(python).toContain("print(response.choices[0].message)");
  });

  it("writes TypeScript that passes the exact body to the openai SDK and streams the text", () => {
    const ts = exportRequest("typescript", "http://127.0.0.1:8787", body);
    expect(ts).toContain("apiKey: process.env.DATABRICKS_TOKEN,");
    expect(ts).toContain('baseURL: "http://127.0.0.1:8787/serving-endpoints",');
    const literal = ts.slice(ts.indexOf("create(") + "create(".length, ts.indexOf(");\nfor await"));
    expect(JSON.parse(literal)).toEqual(body);
  });

  it("never writes a token", () => {
    for (const language of ["curl", "python", "typescript"] as const)
      expect(exportRequest(language, "http://h", body)).not.toMatch(/dapi|Bearer [^$]/);
  });
});
