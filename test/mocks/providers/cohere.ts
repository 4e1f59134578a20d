/**
 * Local stand-in for Cohere's v2 API: POST /v2/chat (JSON, or SSE with v2 event types when
 * `stream: true`) and POST /v2/embed. It checks `Authorization: Bearer <key>` (keys are 40
 * alphanumerics, like Cohere's), validates bodies against the v2 schema (unknown fields, roles,
 * tool messages, embed's required `input_type`/`embedding_types`) and answers errors as Cohere does:
 * `{"id": …, "message": …}` with the status.
 *
 * Scripted by `model`: fail-400 / fail-401 / fail-429 (retry-after: 1) / fail-500 / fail-503; a model
 * containing "tool" calls the first tool; otherwise "Echo: <last user text>". Streams use
 * `event: <type>` + `data: <json>` per event: message-start, content-start, content-delta, content-end,
 * tool-plan-delta, tool-call-start, tool-call-delta, tool-call-end, message-end (finish_reason + usage).
 */
import crypto from "node:crypto";
import type http from "node:http";
import type { ProviderMock } from "./index";
import {
  deltas,
  embeddingFor,
  isObject,
  reply,
  scriptedFailure,
  sendJson,
  startRecordingServer,
  tokens,
  type MockRequest,
} from "./_openai-wire";

const CHAT_FIELDS = new Set([
  "model",
  "messages",
  "stream",
  "tools",
  "strict_tools",
  "documents",
  "citation_options",
  "response_format",
  "safety_mode",
  "max_tokens",
  "stop_sequences",
  "temperature",
  "seed",
  "frequency_penalty",
  "presence_penalty",
  "k",
  "p",
  "logprobs",
  "tool_choice",
  "thinking",
  "priority",
]);
const EMBED_FIELDS = new Set([
  "model",
  "texts",
  "images",
  "inputs",
  "input_type",
  "embedding_types",
  "output_dimension",
  "max_tokens",
  "truncate",
  "priority",
]);
const INPUT_TYPES = new Set(["search_document", "search_query", "classification", "clustering", "image"]);

class CohereError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const invalid = (message: string) => new CohereError(400, `invalid request: ${message}`);

const SCRIPTED: Record<number, CohereError> = {
  400: invalid("model 'fail-400' is not supported for this request."),
  401: new CohereError(401, "invalid api token"),
  429: new CohereError(429, "You are using a Trial key, which is limited to 10 API calls / minute.", {
    "retry-after": "1",
  }),
  500: new CohereError(500, "internal server error, this has been reported to our developers"),
  503: new CohereError(503, "service unavailable: the model is overloaded, please try again later"),
};

function text(content: unknown, at: string, parts: string[]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw invalid(`${at}.content must be a string or a list of content objects`);
  return content
    .map((p, i) => {
      if (!isObject(p) || typeof p.type !== "string")
        throw invalid(`${at}.content[${i}] must be an object with a type`);
      if (!parts.includes(p.type)) throw invalid(`${at}.content[${i}]: unsupported content type '${p.type}'`);
      if (p.type === "text") {
        if (typeof p.text !== "string") throw invalid(`${at}.content[${i}].text is required`);
        return p.text;
      }
      if (p.type === "image_url" && !(isObject(p.image_url) && typeof p.image_url.url === "string"))
        throw invalid(`${at}.content[${i}].image_url.url is required`);
      return "";
    })
    .join("");
}

/** Validates v2 messages; returns them OpenAI-like ({role, content}) for the deterministic reply. */
function validateMessages(messages: unknown): { role: string; content: string }[] {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid("messages must be a non-empty list");
  const callIds = new Set<string>();
  return messages.map((m, i) => {
    const at = `messages[${i}]`;
    if (!isObject(m)) throw invalid(`${at} must be an object`);
    const allowed: Record<string, string[]> = {
      system: ["role", "content"],
      user: ["role", "content"],
      assistant: ["role", "content", "tool_plan", "tool_calls", "citations"],
      tool: ["role", "tool_call_id", "content"],
    };
    const keys = allowed[String(m.role)];
    if (!keys) throw invalid(`${at}.role must be one of system, user, assistant, tool`);
    for (const k of Object.keys(m))
      if (!keys.includes(k)) throw invalid(`unknown field: parameter ${at}.${k} is not a valid field`);
    switch (m.role) {
      case "system":
        return { role: "system", content: text(m.content, at, ["text"]) };
      case "user":
        return { role: "user", content: text(m.content, at, ["text", "image_url"]) };
      case "assistant": {
        if (m.tool_calls !== undefined) {
          if (!Array.isArray(m.tool_calls)) throw invalid(`${at}.tool_calls must be a list`);
          m.tool_calls.forEach((t, j) => {
            if (
              !isObject(t) ||
              typeof t.id !== "string" ||
              t.type !== "function" ||
              !isObject(t.function) ||
              typeof t.function.name !== "string" ||
              typeof t.function.arguments !== "string"
            )
              throw invalid(`${at}.tool_calls[${j}] must be {id, type: "function", function: {name, arguments}}`);
            callIds.add(t.id);
          });
        } else if (m.content === undefined) throw invalid(`${at}: an assistant message needs content or tool_calls`);
        return { role: "assistant", content: m.content === undefined ? "" : text(m.content, at, ["text"]) };
      }
      default: {
        if (typeof m.tool_call_id !== "string") throw invalid(`${at}.tool_call_id is required`);
        if (!callIds.has(m.tool_call_id))
          throw invalid(`${at}.tool_call_id '${m.tool_call_id}' does not match any previous tool call`);
        return { role: "tool", content: text(m.content, at, ["text", "document"]) };
      }
    }
  });
}

function validateChat(body: Record<string, unknown>) {
  for (const k of Object.keys(body))
    if (!CHAT_FIELDS.has(k)) throw invalid(`unknown field: parameter ${k} is not a valid field`);
  if (typeof body.model !== "string" || !body.model) throw invalid("model is required");
  const messages = validateMessages(body.messages);
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalid("tools must be a list");
    body.tools.forEach((t, i) => {
      if (!isObject(t) || t.type !== "function" || !isObject(t.function) || typeof t.function.name !== "string")
        throw invalid(`tools[${i}] must be {type: "function", function: {name, ...}}`);
    });
  }
  if (body.tool_choice !== undefined && body.tool_choice !== "REQUIRED" && body.tool_choice !== "NONE")
    throw invalid("tool_choice must be one of REQUIRED, NONE");
  if (body.temperature !== undefined && (typeof body.temperature !== "number" || body.temperature < 0))
    throw invalid("temperature must be a non-negative number");
  if (body.p !== undefined && (typeof body.p !== "number" || body.p < 0.01 || body.p > 0.99))
    throw invalid("p must be between 0.01 and 0.99");
  if (body.stop_sequences !== undefined && !(Array.isArray(body.stop_sequences) && body.stop_sequences.length <= 5))
    throw invalid("stop_sequences must be a list of at most 5 strings");
  if (
    body.response_format !== undefined &&
    !(isObject(body.response_format) && ["text", "json_object"].includes(String(body.response_format.type)))
  )
    throw invalid("response_format.type must be one of text, json_object");
  return messages;
}

function chat(_req: MockRequest, res: http.ServerResponse, body: Record<string, unknown>) {
  const messages = validateChat(body);
  const model = String(body.model);
  const answer = reply(model, messages, body.tools);
  const inputTokens = messages.reduce((n, m) => n + tokens(m.content), 0);
  const outputTokens = answer.toolCall
    ? tokens(answer.toolCall.name + answer.toolCall.arguments)
    : tokens(answer.text ?? "");
  const usage = {
    billed_units: { input_tokens: inputTokens, output_tokens: outputTokens },
    tokens: { input_tokens: inputTokens + 5, output_tokens: outputTokens },
  };
  const id = crypto.randomUUID();
  const call = answer.toolCall
    ? {
        id: `${answer.toolCall.name}_${crypto.randomBytes(6).toString("hex")}`,
        type: "function",
        function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
      }
    : null;
  const plan = call ? `I will use the ${call.function.name} tool.` : null;
  const finish = call ? "TOOL_CALL" : "COMPLETE";
  if (body.stream !== true) {
    const message = call
      ? { role: "assistant", tool_plan: plan, tool_calls: [call] }
      : { role: "assistant", content: [{ type: "text", text: answer.text }] };
    return sendJson(res, 200, { id, message, finish_reason: finish, usage });
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (event: Record<string, unknown>) =>
    res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  send({
    id,
    type: "message-start",
    delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } },
  });
  if (call) {
    for (const d of deltas(plan!)) send({ type: "tool-plan-delta", delta: { message: { tool_plan: d } } });
    send({
      type: "tool-call-start",
      index: 0,
      delta: { message: { tool_calls: { ...call, function: { name: call.function.name, arguments: "" } } } },
    });
    const args = call.function.arguments;
    const mid = Math.ceil(args.length / 2);
    for (const part of [args.slice(0, mid), args.slice(mid)])
      if (part)
        send({
          type: "tool-call-delta",
          index: 0,
          delta: { message: { tool_calls: { function: { arguments: part } } } },
        });
    send({ type: "tool-call-end", index: 0 });
  } else {
    send({ type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } });
    for (const d of deltas(answer.text ?? ""))
      send({ type: "content-delta", index: 0, delta: { message: { content: { text: d } } } });
    send({ type: "content-end", index: 0 });
  }
  send({ type: "message-end", delta: { finish_reason: finish, usage } });
  res.end();
}

function embed(res: http.ServerResponse, body: Record<string, unknown>) {
  for (const k of Object.keys(body))
    if (!EMBED_FIELDS.has(k)) throw invalid(`unknown field: parameter ${k} is not a valid field`);
  if (typeof body.model !== "string" || !body.model) throw invalid("model is required");
  if (!Array.isArray(body.texts) || !body.texts.every((t) => typeof t === "string"))
    throw invalid("texts must be a list of strings");
  if (body.texts.length > 96) throw invalid(`too many texts: the maximum is 96, got ${body.texts.length}`);
  if (!INPUT_TYPES.has(String(body.input_type))) throw invalid("input_type is required for embed models v3 and higher");
  if (!Array.isArray(body.embedding_types) || !body.embedding_types.length)
    throw invalid("embedding_types is required");
  const dims = typeof body.output_dimension === "number" ? body.output_dimension : 8;
  const texts = body.texts as string[];
  sendJson(res, 200, {
    id: crypto.randomUUID(),
    texts,
    embeddings: { float: texts.map((t) => embeddingFor(t, dims)) },
    meta: { api_version: { version: "2" }, billed_units: { input_tokens: texts.reduce((n, t) => n + tokens(t), 0) } },
    response_type: "embeddings_by_type",
  });
}

export default async function start(): Promise<ProviderMock> {
  const server = await startRecordingServer("cohere", (req, res) => {
    try {
      if (req.method !== "POST" || !["/v2/chat", "/v2/embed"].includes(req.url.pathname))
        throw new CohereError(404, `Not Found: ${req.method} ${req.url.pathname}`);
      const auth = String(req.headers.authorization ?? "");
      if (!/^Bearer [A-Za-z0-9]{40}$/i.test(auth)) throw new CohereError(401, "invalid api token");
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
        throw invalid("content-type must be application/json");
      if (!isObject(req.body)) throw invalid("the body must be a JSON object");
      const failure = SCRIPTED[scriptedFailure(String(req.body.model ?? "")) ?? 0];
      if (failure) throw failure;
      if (req.url.pathname === "/v2/embed") return embed(res, req.body);
      return chat(req, res, req.body);
    } catch (e) {
      if (!(e instanceof CohereError)) throw e;
      sendJson(res, e.status, { id: crypto.randomUUID(), message: e.message }, e.headers);
    }
  });
  return { providers: ["cohere"], url: server.url, close: server.close };
}
