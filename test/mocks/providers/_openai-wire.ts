/**
 * Pieces shared by the OpenAI-format provider mocks (openai/Azure, databricks-model-serving, ai21labs):
 * a recording node:http server with the `/__mock/requests` control route, and the deterministic
 * "model" (echo replies, tool calls for models named *tool*, embeddings) rendered in OpenAI's wire format.
 * Files starting with `_` are not started as mocks by index.ts.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string>;
  /** Parsed JSON (or form fields for form bodies), else the raw text. */
  body: unknown;
  status: number;
}

export interface MockRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: unknown;
  record: RecordedRequest;
}

export type Handler = (req: MockRequest, res: http.ServerResponse) => Promise<void> | void;

const MAX_RECORDS = 5000;

/** A node:http server on 127.0.0.1 (port 0) that records every request and serves `/__mock/requests`. */
export async function startRecordingServer(
  name: string,
  handler: Handler,
): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://mock");
    if (url.pathname === "/__mock/requests") {
      if (req.method === "DELETE") requests.length = 0;
      return sendJson(res, 200, { requests });
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
    );
    let body: unknown = text;
    if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
      body = Object.fromEntries(new URLSearchParams(text));
    else
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // kept as text
      }
    const record: RecordedRequest = {
      seq: ++seq,
      method: req.method ?? "",
      url: req.url ?? "",
      headers,
      body,
      status: 0,
    };
    requests.push(record);
    if (requests.length > MAX_RECORDS) requests.splice(0, requests.length - MAX_RECORDS);
    res.on("finish", () => (record.status = res.statusCode));
    res.on("close", () => (record.status ||= res.statusCode));
    try {
      await handler({ method: req.method ?? "", url, headers: req.headers, text, body, record }, res);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: `${name} mock failed: ${String(e)}` });
      else res.destroy();
    }
  });
  return { ...(await listenLocally(server)), requests };
}

/** Starts `server` on 127.0.0.1 (a free port); `close()` drops its open connections too. */
export async function listenLocally(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  server.keepAliveTimeout = 5_000;
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function startSse(res: http.ServerResponse, headers: Record<string, string> = {}) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  return (data: unknown) => res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

export function randomId(prefix: string): string {
  return `${prefix}${crypto.randomBytes(12).toString("base64url")}`;
}

/** Rough but deterministic token count: words and punctuation. */
export function tokens(text: string): number {
  return Math.max(1, (text.match(/\w+|[^\s\w]/g) ?? []).length);
}

/** Text of an OpenAI message content (string or text parts). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("");
  return "";
}

/** Splits a reply into stream deltas (word by word). */
export function deltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** Deterministic unit vector for a text. */
export function embeddingFor(text: string, dimensions = 8): number[] {
  const out: number[] = [];
  let block = Buffer.alloc(0);
  for (let i = 0; out.length < dimensions; i++) {
    if (block.length < 4) block = crypto.createHash("sha256").update(`${i}:${text}`).digest();
    out.push(block.readUInt32LE(0) / 0xffffffff - 0.5);
    block = block.subarray(4);
  }
  const norm = Math.hypot(...out) || 1;
  return out.map((x) => Math.fround(x / norm));
}

/**
 * Which scripted failure a model (or deployment / endpoint) name asks for: fail-400, fail-401, fail-429, fail-500,
 * fail-503.
 */
export function scriptedFailure(name: string | undefined): 400 | 401 | 429 | 500 | 503 | null {
  const m = /fail-(400|401|429|500|503)/.exec(name ?? "");
  return m ? (Number(m[1]) as 400 | 401 | 429 | 500 | 503) : null;
}

export interface ToolCallReply {
  id: string;
  name: string;
  arguments: string;
}

/** Arguments for a tool from its JSON schema: "mock" for strings, 1 for numbers, true for booleans. */
function argumentsFor(parameters: unknown): string {
  const props = isObject(parameters) && isObject(parameters.properties) ? parameters.properties : {};
  const args: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(props)) {
    const type = isObject(schema) ? schema.type : undefined;
    args[key] =
      type === "number" || type === "integer"
        ? 1
        : type === "boolean"
          ? true
          : isObject(schema) && Array.isArray(schema.enum)
            ? schema.enum[0]
            : "mock";
  }
  return JSON.stringify(args);
}

/**
 * The deterministic "model": models named *tool* call the first tool given (unless the last message is
 * already a tool result, which is then echoed); everything else echoes the last user message.
 */
export function reply(
  model: string,
  messages: { role?: unknown; content?: unknown }[],
  tools: unknown,
): { text: string | null; toolCall?: ToolCallReply } {
  const last = messages.at(-1);
  const firstTool =
    Array.isArray(tools) && isObject(tools[0]) && isObject(tools[0].function) ? tools[0].function : null;
  if (model.includes("tool") && firstTool && last?.role !== "tool")
    return {
      text: null,
      toolCall: {
        id: randomId("call_").slice(0, 29),
        name: String(firstTool.name),
        arguments: argumentsFor(firstTool.parameters),
      },
    };
  if (last?.role === "tool") return { text: `Tool result: ${contentText(last.content)}` };
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  return { text: `Echo: ${contentText(lastUser?.content)}` };
}

export function promptTokensOf(messages: { content?: unknown }[]): number {
  return messages.reduce<number>((sum, m) => sum + tokens(contentText(m.content)) + 3, 3);
}

export function completionTokensOf(r: { text: string | null; toolCall?: ToolCallReply }): number {
  return r.toolCall ? tokens(r.toolCall.name + r.toolCall.arguments) : tokens(r.text ?? "");
}
