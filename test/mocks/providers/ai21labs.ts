/**
 * Mock of AI21 Studio's Jamba chat completions: `POST /studio/v1/chat/completions` with
 * `Authorization: Bearer <key>`. Validation as AI21's FastAPI service does it: unknown fields, non-string
 * content or out-of-range values → 422 `{"detail":[{"type","loc","msg","input"}]}`; other errors are
 * `{"detail":"…"}` (401 "Forbidden: Bad or missing API token."). Answers carry `id`, `model`, `choices`,
 * `usage` (no `created`); streams send `{"delta":{"role":"assistant"}}` first, then content deltas, the
 * last chunk with `finish_reason` and `usage`, and `data: [DONE]`.
 *
 * Accepted keys: any not starting with `invalid`. Scripted: a model named fail-400/401/429/500/503 fails so;
 * a model named *tool* calls the first tool given.
 */
import type http from "node:http";
import type { ProviderMock } from "./index";
import {
  completionTokensOf,
  deltas,
  isObject,
  promptTokensOf,
  randomId,
  reply,
  scriptedFailure,
  sendJson,
  startRecordingServer,
  startSse,
  typeName,
} from "./_openai-wire";

const FIELDS = new Set([
  "model",
  "messages",
  "tools",
  "documents",
  "response_format",
  "max_tokens",
  "temperature",
  "top_p",
  "stop",
  "n",
  "stream",
]);
const ROLES = new Set(["system", "user", "assistant", "tool"]);

interface Issue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

class Ai21Error extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | Issue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : detail.map((d) => d.msg).join("; "));
  }
}

function validate(body: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const key of Object.keys(body))
    if (!FIELDS.has(key))
      issues.push({
        type: "extra_forbidden",
        loc: ["body", key],
        msg: "Extra inputs are not permitted",
        input: body[key],
      });
  if (typeof body.model !== "string")
    issues.push({ type: "missing", loc: ["body", "model"], msg: "Field required", input: body });
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    issues.push({ type: "missing", loc: ["body", "messages"], msg: "Field required", input: body });
  else
    body.messages.forEach((m, i) => {
      if (!isObject(m) || typeof m.role !== "string" || !ROLES.has(m.role)) {
        issues.push({
          type: "literal_error",
          loc: ["body", "messages", i, "role"],
          msg: "Input should be 'system', 'user', 'assistant' or 'tool'",
          input: isObject(m) ? m.role : m,
        });
        return;
      }
      for (const key of Object.keys(m))
        if (!["role", "content", "tool_calls", "tool_call_id"].includes(key))
          issues.push({
            type: "extra_forbidden",
            loc: ["body", "messages", i, key],
            msg: "Extra inputs are not permitted",
            input: m[key],
          });
      const nullable = m.role === "assistant";
      if (!(typeof m.content === "string" || (nullable && (m.content === null || m.content === undefined))))
        issues.push({
          type: "string_type",
          loc: ["body", "messages", i, "content"],
          msg: "Input should be a valid string",
          input: m.content,
        });
      if (m.role === "tool" && typeof m.tool_call_id !== "string")
        issues.push({ type: "missing", loc: ["body", "messages", i, "tool_call_id"], msg: "Field required", input: m });
    });
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      issues.push({
        type: "list_type",
        loc: ["body", "tools"],
        msg: "Input should be a valid list",
        input: body.tools,
      });
    else
      body.tools.forEach((t, i) => {
        if (!isObject(t) || t.type !== "function" || !isObject(t.function) || typeof t.function.name !== "string")
          issues.push({
            type: "model_type",
            loc: ["body", "tools", i],
            msg: "Input should be a valid function tool definition",
            input: t,
          });
      });
  }
  if (
    body.response_format !== undefined &&
    !(
      isObject(body.response_format) &&
      (body.response_format.type === "text" || body.response_format.type === "json_object")
    )
  )
    issues.push({
      type: "literal_error",
      loc: ["body", "response_format", "type"],
      msg: "Input should be 'text' or 'json_object'",
      input: body.response_format,
    });
  const range = (key: string, min: number, max: number, integer: boolean) => {
    const v = body[key];
    if (v === undefined) return;
    if (typeof v !== "number" || (integer && !Number.isInteger(v)))
      issues.push({
        type: integer ? "int_type" : "float_type",
        loc: ["body", key],
        msg: `Input should be a valid ${integer ? "integer" : "number"}`,
        input: v,
      });
    else if (v < min)
      issues.push({
        type: "greater_than_equal",
        loc: ["body", key],
        msg: `Input should be greater than or equal to ${min}`,
        input: v,
      });
    else if (v > max)
      issues.push({
        type: "less_than_equal",
        loc: ["body", key],
        msg: `Input should be less than or equal to ${max}`,
        input: v,
      });
  };
  range("temperature", 0, 2, false);
  range("top_p", 0, 1, false);
  range("max_tokens", 0, 4096, true);
  range("n", 1, 16, true);
  if (
    body.stop !== undefined &&
    !(typeof body.stop === "string" || (Array.isArray(body.stop) && body.stop.every((s) => typeof s === "string")))
  )
    issues.push({ type: "list_type", loc: ["body", "stop"], msg: "Input should be a valid list", input: body.stop });
  if (body.stream !== undefined && typeof body.stream !== "boolean")
    issues.push({
      type: "bool_type",
      loc: ["body", "stream"],
      msg: "Input should be a valid boolean",
      input: body.stream,
    });
  return issues;
}

function scripted(model: string): Ai21Error | null {
  switch (scriptedFailure(model)) {
    case 400:
      return new Ai21Error(400, "Scripted failure: the request could not be processed.");
    case 401:
      return new Ai21Error(401, "Forbidden: Bad or missing API token.");
    case 429:
      return new Ai21Error(429, "Too many requests", { "retry-after": "2" });
    case 500:
      return new Ai21Error(500, "Internal server error");
    case 503:
      return new Ai21Error(503, "Service Unavailable", { "retry-after": "1" });
    default:
      return null;
  }
}

function chat(body: Record<string, unknown>, res: http.ServerResponse) {
  const model = String(body.model);
  const messages = body.messages as Record<string, unknown>[];
  const answer = reply(model, messages, body.tools);
  const n = (body.n as number | undefined) ?? 1;
  if (body.stream === true && n > 1) throw new Ai21Error(400, "Streaming is not supported with n > 1");
  const promptTokens = promptTokensOf(messages);
  const completionTokens = completionTokensOf(answer) * n;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const id = `chatcmpl-${randomId("")}`;
  const finish = answer.toolCall ? "tool_calls" : "stop";
  const toolCalls = answer.toolCall
    ? [
        {
          id: answer.toolCall.id,
          type: "function",
          function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
        },
      ]
    : null;
  if (body.stream !== true)
    return sendJson(res, 200, {
      id,
      choices: Array.from({ length: n }, (_, index) => ({
        index,
        message: { role: "assistant", content: answer.text, tool_calls: toolCalls },
        logprobs: null,
        finish_reason: finish,
      })),
      usage,
      meta: { requestDurationMillis: 42 },
      model,
    });
  const send = startSse(res);
  const chunk = (delta: unknown, finishReason: string | null, last = false) =>
    send({
      id,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      usage: last ? usage : null,
      model,
    });
  chunk({ role: "assistant" }, null);
  if (toolCalls) chunk({ tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }, null);
  else for (const part of deltas(answer.text ?? "")) chunk({ content: part }, null);
  chunk({ content: "" }, finish, true);
  send("[DONE]");
  res.end();
}

export default async function start(): Promise<ProviderMock> {
  const server = await startRecordingServer("ai21labs", async (req, res) => {
    try {
      if (req.url.pathname !== "/studio/v1/chat/completions") throw new Ai21Error(404, "Not Found");
      if (req.method !== "POST") throw new Ai21Error(405, "Method Not Allowed");
      const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      if (!key || key.startsWith("invalid")) throw new Ai21Error(401, "Forbidden: Bad or missing API token.");
      if (!isObject(req.body))
        throw new Ai21Error(422, [
          {
            type: "model_attributes_type",
            loc: ["body"],
            msg: "Input should be a valid dictionary or object to extract fields from",
            input: typeName(req.body),
          },
        ]);
      const issues = validate(req.body);
      if (issues.length) throw new Ai21Error(422, issues);
      const failure = scripted(String(req.body.model));
      if (failure) throw failure;
      return chat(req.body, res);
    } catch (e) {
      if (e instanceof Ai21Error) return sendJson(res, e.status, { detail: e.detail }, e.headers);
      throw e;
    }
  });
  return { providers: ["ai21labs"], url: server.url, close: server.close };
}
