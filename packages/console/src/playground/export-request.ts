import type { ChatRequest } from "@edgeserve/api";
import { pythonLiteral } from "../pages/endpoint/query-snippets";

/**
 * The exact request a pane sent, as code to run elsewhere. The token is never written out: each snippet reads
 * it from the DATABRICKS_TOKEN environment variable, the name Databricks' own clients use.
 */
export type SnippetLanguage = "curl" | "python" | "typescript";

export const TOKEN_VARIABLE = "DATABRICKS_TOKEN";

/** The OpenAI-compatible base URL of a gateway: OpenAI's SDKs append `/chat/completions`. */
function baseUrl(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/serving-endpoints`;
}

export function exportRequest(language: SnippetLanguage, origin: string, body: ChatRequest): string {
  if (language === "curl") return curlSnippet(origin, body);
  if (language === "python") return pythonSnippet(origin, body);
  return typescriptSnippet(origin, body);
}

/** A here-document carries the body byte for byte: no shell quoting of the JSON at all. */
function curlSnippet(origin: string, body: ChatRequest): string {
  return [
    `curl -sS ${body.stream ? "-N " : ""}${shellQuote(`${baseUrl(origin)}/chat/completions`)} \\`,
    `  -H "Authorization: Bearer $${TOKEN_VARIABLE}" \\`,
    `  -H "Content-Type: application/json" \\`,
    "  --data-binary @- <<'JSON'",
    JSON.stringify(body, null, 2),
    "JSON",
  ].join("\n");
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Keyword arguments of the Python SDK's `chat.completions.create`; anything else goes in `extra_body`. */
const PYTHON_KWARGS = new Set([
  "model",
  "messages",
  "temperature",
  "max_tokens",
  "top_p",
  "stop",
  "tools",
  "tool_choice",
  "stream",
  "stream_options",
  "n",
  "response_format",
  "max_completion_tokens",
]);

function pythonSnippet(origin: string, body: ChatRequest): string {
  const args = Object.entries(body).filter(([key]) => PYTHON_KWARGS.has(key));
  const extra = Object.fromEntries(Object.entries(body).filter(([key]) => !PYTHON_KWARGS.has(key)));
  const lines = args.map(([key, value]) => `    ${key}=${pythonLiteral(value)},`);
  if (Object.keys(extra).length) lines.push(`    extra_body=${pythonLiteral(extra)},`);
  const output = body.stream
    ? [
        "for chunk in response:",
        "    if chunk.choices and chunk.choices[0].delta.content:",
        '        print(chunk.choices[0].delta.content, end="", flush=True)',
        "print()",
      ]
    : ["print(response.choices[0].message)"];
  return [
    "import os",
    "",
    "from openai import OpenAI",
    "",
    `client = OpenAI(api_key=os.environ["${TOKEN_VARIABLE}"], base_url=${JSON.stringify(baseUrl(origin))})`,
    "response = client.chat.completions.create(",
    ...lines,
    ")",
    ...output,
  ].join("\n");
}

/** Plain JavaScript in TypeScript's clothes: it type-checks against the SDK and runs as an ES module in Node. */
function typescriptSnippet(origin: string, body: ChatRequest): string {
  const output = body.stream
    ? [
        "for await (const chunk of response) {",
        '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
        "}",
        'process.stdout.write("\\n");',
      ]
    : ["console.log(response.choices[0]?.message);"];
  return [
    'import OpenAI from "openai";',
    "",
    "const client = new OpenAI({",
    `  apiKey: process.env.${TOKEN_VARIABLE},`,
    `  baseURL: ${JSON.stringify(baseUrl(origin))},`,
    "});",
    "",
    `const response = await client.chat.completions.create(${JSON.stringify(body, null, 2)});`,
    ...output,
  ].join("\n");
}
