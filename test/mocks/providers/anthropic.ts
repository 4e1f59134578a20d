/**
 * Local stand-in for Anthropic's Messages API (POST /v1/messages, anthropic-version 2023-06-01).
 * It reproduces the wire format: required `x-api-key` and `anthropic-version` headers, the request
 * schema (unknown fields → "Extra inputs are not permitted"), the response body, the SSE stream
 * (message_start, ping, content_block_start/delta/stop with text_delta and input_json_delta,
 * message_delta, message_stop) and the error body `{"type":"error","error":{type,message},"request_id"}`.
 *
 * Scripted behaviour by `model`:
 *   fail-400 / fail-401 / fail-403 / fail-404 / fail-429 (retry-after: 1) / fail-500 / fail-503 / fail-529
 *   → that status with Anthropic's error type · a model containing "tool" answers with a tool_use of
 *   the first tool given · midstream-error → a stream that ends with an `error` event (overloaded).
 * Otherwise the reply is "Echo: <last user text>".
 *
 * Control: GET <url>/__mock/requests[?model=…] → {requests}, DELETE <url>/__mock/requests clears them.
 * Any key that starts with `sk-ant-` is accepted (as `x-api-key`, or `Authorization: Bearer` as recent SDKs send it).
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderMock } from "./index";

export interface AnthropicRecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

class AnthropicError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string) => new AnthropicError(400, "invalid_request_error", message);

const TOP_LEVEL = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "metadata",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "service_tier",
  "output_config",
  "container",
  "mcp_servers",
  "context_management",
  "inference_geo",
]);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

const SCRIPTED: Record<string, AnthropicError> = {
  "fail-400": invalid("messages: text content blocks must be non-empty"),
  "fail-401": new AnthropicError(401, "authentication_error", "invalid x-api-key"),
  "fail-403": new AnthropicError(
    403,
    "permission_error",
    "Your API key does not have permission to use the specified resource.",
  ),
  "fail-404": new AnthropicError(404, "not_found_error", "model: fail-404"),
  "fail-429": new AnthropicError(
    429,
    "rate_limit_error",
    "Number of request tokens has exceeded your per-minute rate limit",
    { "retry-after": "1" },
  ),
  "fail-500": new AnthropicError(500, "api_error", "Internal server error"),
  "fail-503": new AnthropicError(503, "api_error", "Service unavailable"),
  "fail-529": new AnthropicError(529, "overloaded_error", "Overloaded"),
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function tokens(text: string): number {
  return Math.max(1, (text.match(/\w+|[^\s\w]/g) ?? []).length);
}

function checkExtra(obj: Record<string, unknown>, allowed: string[], where: string) {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) throw invalid(`${where}${key}: Extra inputs are not permitted`);
}

function validateTextBlock(b: Record<string, unknown>, at: string) {
  checkExtra(b, ["type", "text", "cache_control", "citations"], `${at}.`);
  if (typeof b.text !== "string") throw invalid(`${at}.text: Field required`);
  if (b.text === "") throw invalid(`${at}: text content blocks must be non-empty`);
}

function validateImageBlock(b: Record<string, unknown>, at: string) {
  checkExtra(b, ["type", "source", "cache_control"], `${at}.`);
  const s = b.source;
  if (!isObject(s)) throw invalid(`${at}.source: Field required`);
  if (s.type === "base64") {
    if (!["image/jpeg", "image/png", "image/gif", "image/webp"].includes(String(s.media_type)))
      throw invalid(
        `${at}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
      );
    if (typeof s.data !== "string") throw invalid(`${at}.source.base64.data: Field required`);
  } else if (s.type === "url") {
    if (typeof s.url !== "string") throw invalid(`${at}.source.url.url: Field required`);
  } else
    throw invalid(
      `${at}.source: Input tag '${String(s.type)}' found using ` +
        `'type' does not match any of the expected tags: 'base64', 'url'`,
    );
}

/** Validates messages as the API does; returns the text of each for token counting. */
function validateMessages(messages: unknown): { role: string; text: string }[] {
  if (!Array.isArray(messages)) throw invalid("messages: Field required");
  if (messages.length === 0) throw invalid("messages: at least one message is required");
  let pendingToolUses = new Set<string>();
  return messages.map((m, i) => {
    const at = `messages.${i}`;
    if (!isObject(m)) throw invalid(`${at}: Input should be a valid dictionary`);
    checkExtra(m, ["role", "content"], `${at}.`);
    if (m.role !== "user" && m.role !== "assistant") throw invalid(`${at}.role: Input should be 'user' or 'assistant'`);
    if (
      (m.content === "" || (Array.isArray(m.content) && m.content.length === 0)) &&
      !(m.role === "assistant" && i === messages.length - 1)
    )
      throw invalid(`${at}: all messages must have non-empty content except for the optional final assistant message`);
    if (typeof m.content === "string") {
      if (m.role === "user" && pendingToolUses.size)
        throw invalid(
          `${at}: tool_use ids were found without tool_result blocks ` +
            `immediately after: ${[...pendingToolUses].join(", ")}`,
        );
      pendingToolUses = new Set();
      return { role: m.role, text: m.content };
    }
    if (!Array.isArray(m.content)) throw invalid(`${at}.content: Input should be a valid list`);
    let text = "";
    const toolUses = new Set<string>();
    let seenNonResult = false;
    m.content.forEach((b, j) => {
      const bt = `${at}.content.${j}`;
      if (!isObject(b)) throw invalid(`${bt}: Input should be a valid dictionary`);
      switch (b.type) {
        case "text":
          validateTextBlock(b, bt);
          text += `${b.text as string}\n`;
          seenNonResult = true;
          break;
        case "image":
          if (m.role !== "user") throw invalid(`${bt}: image blocks are only allowed in user messages`);
          validateImageBlock(b, bt);
          seenNonResult = true;
          break;
        case "tool_use":
          if (m.role !== "assistant") throw invalid(`${bt}: tool_use blocks are only allowed in assistant messages`);
          checkExtra(b, ["type", "id", "name", "input", "cache_control"], `${bt}.`);
          if (typeof b.id !== "string" || !/^[a-zA-Z0-9_-]+$/.test(b.id))
            throw invalid(`${bt}.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
          if (typeof b.name !== "string") throw invalid(`${bt}.name: Field required`);
          if (!isObject(b.input)) throw invalid(`${bt}.input: Input should be a valid dictionary`);
          toolUses.add(b.id);
          text += JSON.stringify(b.input);
          break;
        case "tool_result": {
          if (m.role !== "user") throw invalid(`${bt}: tool_result blocks are only allowed in user messages`);
          checkExtra(b, ["type", "tool_use_id", "content", "is_error", "cache_control"], `${bt}.`);
          if (seenNonResult)
            throw invalid(`${at}: tool_result blocks must come first in the content of a user message`);
          if (typeof b.tool_use_id !== "string") throw invalid(`${bt}.tool_use_id: Field required`);
          if (!pendingToolUses.has(b.tool_use_id))
            throw invalid(
              `${bt}: unexpected \`tool_use_id\` found in \`tool_result\` ` +
                `blocks: ${b.tool_use_id}. Each \`tool_result\` block must have ` +
                `a corresponding \`tool_use\` block in the previous message.`,
            );
          pendingToolUses.delete(b.tool_use_id);
          if (typeof b.content === "string") text += b.content;
          else if (Array.isArray(b.content))
            b.content.forEach((c, k) => {
              if (!isObject(c) || (c.type !== "text" && c.type !== "image"))
                throw invalid(`${bt}.content.${k}: Input should be a text or image block`);
              if (c.type === "text") {
                validateTextBlock(c, `${bt}.content.${k}`);
                text += c.text as string;
              }
            });
          else if (b.content !== undefined) throw invalid(`${bt}.content: Input should be a valid string or list`);
          break;
        }
        case "thinking":
        case "redacted_thinking":
          if (m.role !== "assistant") throw invalid(`${bt}: thinking blocks are only allowed in assistant messages`);
          break;
        default:
          throw invalid(
            `${bt}: Input tag '${String(b.type)}' found using 'type' does not match any of the expected tags`,
          );
      }
    });
    if (m.role === "user" && pendingToolUses.size)
      throw invalid(
        `${at}: tool_use ids were found without tool_result blocks ` +
          `immediately after: ${[...pendingToolUses].join(", ")}`,
      );
    pendingToolUses = m.role === "assistant" ? toolUses : new Set();
    return { role: m.role, text };
  });
}

interface ToolDef {
  name: string;
  input_schema: { properties?: Record<string, { type?: string }> };
}

function validateRequest(body: Record<string, unknown>): {
  model: string;
  texts: { role: string; text: string }[];
  tools: ToolDef[];
  system: string;
} {
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) throw invalid(`${key}: Extra inputs are not permitted`);
  if (typeof body.model !== "string" || body.model === "") throw invalid("model: Field required");
  if (body.max_tokens === undefined) throw invalid("max_tokens: Field required");
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)
    throw invalid("max_tokens: Input should be a valid integer greater than or equal to 1");
  const texts = validateMessages(body.messages);
  let system = "";
  if (body.system !== undefined) {
    if (typeof body.system === "string") system = body.system;
    else if (Array.isArray(body.system))
      body.system.forEach((b, i) => {
        if (!isObject(b) || b.type !== "text") throw invalid(`system.${i}: Input should be a text block`);
        validateTextBlock(b, `system.${i}`);
        system += b.text as string;
      });
    else throw invalid("system: Input should be a valid string or list");
  }
  for (const f of ["temperature", "top_p"])
    if (body[f] !== undefined && (typeof body[f] !== "number" || (body[f] as number) < 0 || (body[f] as number) > 1))
      throw invalid(`${f}: Input should be less than or equal to 1`);
  if (body.top_k !== undefined && (typeof body.top_k !== "number" || !Number.isInteger(body.top_k) || body.top_k < 0))
    throw invalid("top_k: Input should be a valid integer");
  if (body.stream !== undefined && typeof body.stream !== "boolean")
    throw invalid("stream: Input should be a valid boolean");
  if (
    body.stop_sequences !== undefined &&
    (!Array.isArray(body.stop_sequences) || !body.stop_sequences.every((s) => typeof s === "string"))
  )
    throw invalid("stop_sequences: Input should be a valid list of strings");
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) throw invalid("metadata: Input should be a valid dictionary");
    checkExtra(body.metadata, ["user_id"], "metadata.");
  }
  const tools: ToolDef[] = [];
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalid("tools: Input should be a valid list");
    body.tools.forEach((t, i) => {
      if (!isObject(t)) throw invalid(`tools.${i}: Input should be a valid dictionary`);
      checkExtra(t, ["name", "description", "input_schema", "type", "cache_control", "strict"], `tools.${i}.custom.`);
      if (typeof t.name !== "string" || !TOOL_NAME.test(t.name))
        throw invalid(`tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      if (!isObject(t.input_schema)) throw invalid(`tools.${i}.custom.input_schema: Field required`);
      if (t.input_schema.type !== "object")
        throw invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
      tools.push(t as unknown as ToolDef);
    });
  }
  if (body.tool_choice !== undefined) {
    const c = body.tool_choice;
    if (!isObject(c) || !["auto", "any", "tool", "none"].includes(String(c.type)))
      throw invalid("tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    checkExtra(c, ["type", "name", "disable_parallel_tool_use"], "tool_choice.");
    if (c.type === "tool" && !tools.some((t) => t.name === c.name))
      throw invalid(`tool_choice.name: tool '${String(c.name)}' not found in tools`);
    if (c.type !== "none" && tools.length === 0)
      throw invalid("tool_choice may only be specified while providing tools.");
  }
  if (body.output_config !== undefined) {
    if (!isObject(body.output_config)) throw invalid("output_config: Input should be a valid dictionary");
    checkExtra(body.output_config, ["effort", "format"], "output_config.");
  }
  return { model: body.model, texts, tools, system };
}

/** A deterministic input that fits the tool's schema. */
function toolInputFor(tool: ToolDef): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.input_schema.properties ?? {}))
    input[name] =
      schema?.type === "number" || schema?.type === "integer"
        ? 1
        : schema?.type === "boolean"
          ? true
          : schema?.type === "array"
            ? []
            : schema?.type === "object"
              ? {}
              : "Paris";
  return input;
}

const id = (prefix: string) => `${prefix}_01${crypto.randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

export default async function start(): Promise<ProviderMock> {
  const requests: AnthropicRecordedRequest[] = [];

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://mock");
    const requestId = id("req");

    if (url.pathname === "/__mock/requests") {
      if (req.method === "DELETE") {
        requests.length = 0;
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        return;
      }
      const model = url.searchParams.get("model");
      const list = requests.filter((r) => !model || (isObject(r.body) && r.body.model === model));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests: list }));
      return;
    }

    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // recorded as text
    }
    const record: AnthropicRecordedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers as Record<string, string>,
      body,
      status: 0,
    };
    requests.push(record);

    const sendError = (e: AnthropicError) => {
      record.status = e.status;
      res.writeHead(e.status, { "content-type": "application/json", "request-id": requestId, ...e.headers });
      res.end(JSON.stringify({ type: "error", error: { type: e.type, message: e.message }, request_id: requestId }));
    };

    try {
      if (url.pathname !== "/v1/messages")
        throw new AnthropicError(404, "not_found_error", `${url.pathname}: not found`);
      if (req.method !== "POST")
        throw new AnthropicError(405, "invalid_request_error", `Method ${req.method} not allowed`);
      // The API takes the key as `x-api-key`; recent SDKs send it as `Authorization: Bearer`, also accepted.
      const key = req.headers["x-api-key"] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!key) throw new AnthropicError(401, "authentication_error", "x-api-key header is required");
      if (typeof key !== "string" || !key.startsWith("sk-ant-"))
        throw new AnthropicError(401, "authentication_error", "invalid x-api-key");
      if (!req.headers["anthropic-version"]) throw invalid("anthropic-version: header is required");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(req.headers["anthropic-version"])))
        throw invalid(`anthropic-version: invalid version ${String(req.headers["anthropic-version"])}`);
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
        throw invalid("content-type must be application/json");
      if (!isObject(body)) throw invalid("There was an issue with your request body: it is not valid JSON.");

      const { model, texts, tools, system } = validateRequest(body);
      const scripted = SCRIPTED[model];
      if (scripted) throw scripted;

      const lastUser =
        [...texts]
          .reverse()
          .find((m) => m.role === "user")
          ?.text.trim() ?? "";
      const inputTokens = texts.reduce((s, m) => s + tokens(m.text) + 3, tokens(system) + 3);
      const useTool =
        model.includes("tool") &&
        tools.length > 0 &&
        (body.tool_choice as { type?: string } | undefined)?.type !== "none";
      const tool = useTool ? tools[0]! : null;
      const input = tool ? toolInputFor(tool) : null;
      const reply = tool ? "I'll use a tool." : `Echo: ${lastUser}`;
      const outputTokens = tokens(reply) + (input ? tokens(JSON.stringify(input)) : 0);
      const message = {
        id: id("msg"),
        type: "message",
        role: "assistant",
        model,
        content: [
          { type: "text", text: reply },
          ...(tool ? [{ type: "tool_use", id: id("toolu"), name: tool.name, input }] : []),
        ],
        stop_reason: tool ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: outputTokens,
          service_tier: "standard",
        },
      };

      record.status = 200;
      if (body.stream !== true) {
        res.writeHead(200, { "content-type": "application/json", "request-id": requestId });
        res.end(JSON.stringify(message));
        return;
      }
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "request-id": requestId,
      });
      const send = (event: Record<string, unknown>) =>
        res.write(`event: ${event.type as string}\ndata: ${JSON.stringify(event)}\n\n`);
      send({
        type: "message_start",
        message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
      });
      send({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
      send({ type: "ping" });
      for (const word of reply.match(/\S+\s*/g) ?? [reply])
        send({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: word } });
      if (model === "midstream-error") {
        send({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
        res.end();
        return;
      }
      send({ type: "content_block_stop", index: 0 });
      if (tool) {
        const toolBlock = message.content[1] as { id: string; name: string };
        send({
          type: "content_block_start",
          index: 1,
          content_block: { type: "tool_use", id: toolBlock.id, name: toolBlock.name, input: {} },
        });
        send({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } });
        const json = JSON.stringify(input);
        for (let i = 0; i < json.length; i += 7)
          send({
            type: "content_block_delta",
            index: 1,
            delta: { type: "input_json_delta", partial_json: json.slice(i, i + 7) },
          });
        send({ type: "content_block_stop", index: 1 });
      }
      send({
        type: "message_delta",
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: { output_tokens: outputTokens },
      });
      send({ type: "message_stop" });
      res.end();
    } catch (e) {
      if (e instanceof AnthropicError) sendError(e);
      else sendError(new AnthropicError(500, "api_error", "Internal server error"));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    providers: ["anthropic"],
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
