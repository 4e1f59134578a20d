/**
 * Mock of a Databricks workspace's serving endpoints: `POST /serving-endpoints/{name}/invocations` with
 * `Authorization: Bearer dapi…`, answering OpenAI-format chat (`messages`), completions (`prompt`) and
 * embeddings (`input`) as Databricks' foundation/external model endpoints do. Databricks' own query
 * fields (`client_request_id`, `usage_context`, `extra_params`) are accepted; anything else unknown is a
 * 400 in Databricks' error shape `{"error_code","message"}`. Streams end with `data: [DONE]`; the last
 * chunk carries `usage` (and a usage-only chunk follows when `stream_options.include_usage` is set).
 *
 * Accepted tokens: `dapi…` (not `dapi-invalid…`). Scripted: an endpoint named fail-400/401/429/500/503
 * fails so; an endpoint named *tool* calls the first tool given.
 */
import type http from "node:http";
import type { ProviderMock } from "./index";
import {
  completionTokensOf,
  deltas,
  embeddingFor,
  isObject,
  promptTokensOf,
  randomId,
  reply,
  scriptedFailure,
  sendJson,
  startRecordingServer,
  startSse,
  tokens,
  typeName,
} from "./_openai-wire";

const SAMPLING = [
  "model",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "n",
  "stop",
  "stream",
  "stream_options",
  "client_request_id",
  "usage_context",
  "extra_params",
];
const CHAT_FIELDS = new Set([
  ...SAMPLING,
  "messages",
  "tools",
  "tool_choice",
  "response_format",
  "logprobs",
  "top_logprobs",
  "reasoning_effort",
]);
const COMPLETION_FIELDS = new Set([...SAMPLING, "prompt"]);
const EMBEDDING_FIELDS = new Set([
  "model",
  "input",
  "encoding_format",
  "dimensions",
  "client_request_id",
  "usage_context",
  "extra_params",
]);

class DatabricksError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const invalid = (message: string) => new DatabricksError(400, "BAD_REQUEST", message);

function scripted(endpoint: string): DatabricksError | null {
  switch (scriptedFailure(endpoint)) {
    case 400:
      return new DatabricksError(400, "INVALID_PARAMETER_VALUE", "Scripted failure: the input is invalid.");
    case 401:
      return new DatabricksError(401, "UNAUTHENTICATED", "Invalid access token.");
    case 429:
      return new DatabricksError(
        429,
        "REQUEST_LIMIT_EXCEEDED",
        `Exceeded workspace rate limit for endpoint ${endpoint}. Please retry after some time.`,
        { "retry-after": "2" },
      );
    case 500:
      return new DatabricksError(500, "INTERNAL_ERROR", "The server encountered an internal error.");
    case 503:
      return new DatabricksError(
        503,
        "TEMPORARILY_UNAVAILABLE",
        `The endpoint ${endpoint} is temporarily unavailable.`,
        { "retry-after": "1" },
      );
    default:
      return null;
  }
}

function rejectUnknown(body: Record<string, unknown>, allowed: Set<string>) {
  for (const key of Object.keys(body))
    if (!allowed.has(key)) throw invalid(`Invalid request: unrecognized field '${key}'.`);
}

function chat(endpoint: string, body: Record<string, unknown>, res: http.ServerResponse) {
  rejectUnknown(body, CHAT_FIELDS);
  if (
    !Array.isArray(body.messages) ||
    body.messages.length === 0 ||
    !body.messages.every((m) => isObject(m) && typeof m.role === "string")
  )
    throw invalid("Invalid request: 'messages' must be a non-empty array of {role, content}.");
  const messages = body.messages as Record<string, unknown>[];
  const answer = reply(endpoint, messages, body.tools);
  const promptTokens = promptTokensOf(messages);
  const completionTokens = completionTokensOf(answer);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const common = {
    id: randomId("chatcmpl_"),
    created: Math.floor(Date.now() / 1000),
    model: "databricks-meta-llama-3-3-70b-instruct",
  };
  const finish = answer.toolCall ? "tool_calls" : "stop";
  const toolCalls = answer.toolCall
    ? [
        {
          id: answer.toolCall.id,
          type: "function",
          function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
        },
      ]
    : undefined;
  if (body.stream !== true)
    return sendJson(res, 200, {
      ...common,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: answer.text, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
          finish_reason: finish,
          logprobs: null,
        },
      ],
      usage,
    });
  const send = startSse(res);
  const chunk = (delta: unknown, finishReason: string | null, extra: Record<string, unknown> = {}) =>
    send({
      ...common,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...extra,
    });
  if (toolCalls)
    chunk({ role: "assistant", content: null, tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }, null);
  else
    for (const [i, part] of deltas(answer.text ?? "").entries())
      chunk(i === 0 ? { role: "assistant", content: part } : { content: part }, null);
  chunk({}, finish, { usage });
  if (isObject(body.stream_options) && body.stream_options.include_usage === true)
    send({ ...common, object: "chat.completion.chunk", choices: [], usage });
  send("[DONE]");
  res.end();
}

function completions(_endpoint: string, body: Record<string, unknown>, res: http.ServerResponse) {
  rejectUnknown(body, COMPLETION_FIELDS);
  const prompts =
    typeof body.prompt === "string" ? [body.prompt] : Array.isArray(body.prompt) ? (body.prompt as unknown[]) : [];
  if (prompts.length === 0 || !prompts.every((p) => typeof p === "string"))
    throw invalid("Invalid request: 'prompt' must be a string or a list of strings.");
  const texts = (prompts as string[]).map((p) => `Echo: ${p}`);
  const promptTokens = (prompts as string[]).reduce((s, p) => s + tokens(p), 0);
  const completionTokens = texts.reduce((s, t) => s + tokens(t), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const common = {
    id: randomId("cmpl_"),
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: "databricks-completions",
  };
  if (body.stream !== true)
    return sendJson(res, 200, {
      ...common,
      choices: texts.map((text, index) => ({ index, text, finish_reason: "stop", logprobs: null })),
      usage,
    });
  const send = startSse(res);
  for (const [index, text] of texts.entries()) {
    for (const part of deltas(text)) send({ ...common, choices: [{ index, text: part, finish_reason: null }] });
    send({
      ...common,
      choices: [{ index, text: "", finish_reason: "stop" }],
      ...(index === texts.length - 1 ? { usage } : {}),
    });
  }
  send("[DONE]");
  res.end();
}

function embeddings(_endpoint: string, body: Record<string, unknown>, res: http.ServerResponse) {
  rejectUnknown(body, EMBEDDING_FIELDS);
  const inputs =
    typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? (body.input as unknown[]) : [];
  if (inputs.length === 0 || !inputs.every((p) => typeof p === "string"))
    throw invalid(`Invalid request: 'input' must be a string or a list of strings, got ${typeName(body.input)}.`);
  const promptTokens = (inputs as string[]).reduce((s, t) => s + tokens(t), 0);
  sendJson(res, 200, {
    object: "list",
    data: (inputs as string[]).map((text, index) => ({ object: "embedding", index, embedding: embeddingFor(text, 8) })),
    model: "databricks-gte-large-en",
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

export default async function start(): Promise<ProviderMock> {
  const server = await startRecordingServer("databricks-model-serving", async (req, res) => {
    const send = (e: DatabricksError) => sendJson(res, e.status, { error_code: e.code, message: e.message }, e.headers);
    try {
      const m = /^\/serving-endpoints\/([^/]+)\/invocations$/.exec(req.url.pathname);
      if (!m) throw new DatabricksError(404, "ENDPOINT_NOT_FOUND", `No route for ${req.method} ${req.url.pathname}.`);
      if (req.method !== "POST") throw new DatabricksError(405, "BAD_REQUEST", `Method ${req.method} is not allowed.`);
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      if (!token)
        throw new DatabricksError(
          401,
          "UNAUTHENTICATED",
          "Credential was not sent or was of an unsupported type for this API.",
        );
      if (!token.startsWith("dapi") || token.startsWith("dapi-invalid"))
        throw new DatabricksError(401, "UNAUTHENTICATED", "Invalid access token.");
      const endpoint = decodeURIComponent(m[1]!);
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
        throw new DatabricksError(415, "BAD_REQUEST", "Content type must be application/json.");
      if (!isObject(req.body)) throw invalid("Invalid input. Ensure that input is a valid JSON formatted string.");
      const failure = scripted(endpoint);
      if (failure) throw failure;
      const body = req.body;
      if ("messages" in body) return chat(endpoint, body, res);
      if ("prompt" in body) return completions(endpoint, body, res);
      if ("input" in body) return embeddings(endpoint, body, res);
      throw invalid("The input must contain one of 'messages', 'prompt' or 'input'.");
    } catch (e) {
      if (e instanceof DatabricksError) return send(e);
      throw e;
    }
  });
  return { providers: ["databricks-model-serving"], url: server.url, close: server.close };
}
