/**
 * A misbehaving OpenAI-compatible upstream for the fault-injection suite (test/e2e/upstream-faults.test.ts):
 * `/v1/chat/completions` (plain and SSE), `/v1/completions`, `/v1/embeddings` with `Authorization:
 * Bearer sk-…`, validated as OpenAI validates (unknown fields, types), answering in OpenAI's wire format
 * unless the request names a fault. The fault is chosen per request: the header `x-fault: <kind>`, or
 * (what the gateway forwards) a model name that starts with `fault-<kind>`, e.g. `fault-stall-mid-stream-3f2a`.
 *
 * Faults (`FAULTS`): failure statuses, connection resets before the headers and in the middle of an
 * answer, stalls before the headers and between chunks, streams cut off (no [DONE], or mid-line),
 * an event that is not JSON, an error event mid-stream, a slow trickle that stays within the idle
 * deadline, a changed field, and a server that echoes the credential it was sent in its errors (as
 * some proxies do). Wire shapes real servers differ in (`SHAPES`, by the same naming):
 * embeddings always as floats or always as base64 whatever `encoding_format` says, a strict server
 * that refuses fields it does not know (pydantic's 422 `extra_forbidden`, as Mistral's API and
 * FastAPI servers answer), and a server that never reports usage.
 *
 * Every request is recorded with when its connection closed (`closedAfterMs`), so a test can check
 * that the gateway let go of a stalled upstream by its deadline: `GET /__mock/requests[?model=…]`.
 */
import http from "node:http";
import {
  contentText,
  deltas,
  embeddingFor,
  isObject,
  listenLocally,
  promptTokensOf,
  randomId,
  sendJson,
  startSse,
  tokens,
  typeName,
} from "./providers/_openai-wire";

export const FAULTS = [
  "status-500",
  "status-502",
  "status-503",
  "reset-before-headers",
  "reset-mid-stream",
  "stall-before-headers",
  "stall-mid-stream",
  "truncated",
  "cut-mid-line",
  "invalid-json",
  "error-event",
  "slow-body",
  "changed-field",
  "echo-credentials",
] as const;
const SHAPES = ["floats-only", "base64-only", "strict", "no-usage"] as const;
type Fault = (typeof FAULTS)[number] | (typeof SHAPES)[number];

/**
 * Pause between the chunks of `slow-body`: under the e2e stack's idle deadline, while the whole answer takes longer
 * than it.
 */
export const SLOW_BODY_GAP_MS = 700;

export interface FaultRequest {
  seq: number;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  fault: Fault | null;
  status: number;
  /** Milliseconds from the request's arrival to its connection closing (either side); null while open. */
  closedAfterMs: number | null;
}

export interface FaultUpstream {
  /** Base URL without `/v1`. */
  url: string;
  requests: FaultRequest[];
  close(): Promise<void>;
}

const CHAT_FIELDS = new Set([
  "model",
  "messages",
  "frequency_penalty",
  "logit_bias",
  "logprobs",
  "max_completion_tokens",
  "max_tokens",
  "n",
  "presence_penalty",
  "response_format",
  "seed",
  "stop",
  "stream",
  "stream_options",
  "temperature",
  "tool_choice",
  "tools",
  "top_logprobs",
  "top_p",
  "user",
]);
const COMPLETION_FIELDS = new Set([
  "model",
  "prompt",
  "max_tokens",
  "n",
  "stop",
  "stream",
  "stream_options",
  "temperature",
  "top_p",
  "user",
  "seed",
]);
const EMBEDDING_FIELDS = new Set(["model", "input", "dimensions", "encoding_format", "user"]);
/** What the strict server knows: no `stream_options`, no `encoding_format`. */
const STRICT_FIELDS = new Set([
  "model",
  "messages",
  "prompt",
  "input",
  "max_tokens",
  "n",
  "stop",
  "stream",
  "temperature",
  "top_p",
  "tools",
  "tool_choice",
  "seed",
  "user",
]);

class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

function faultOf(headers: http.IncomingHttpHeaders, model: unknown): Fault | null {
  const named =
    typeof headers["x-fault"] === "string"
      ? headers["x-fault"]
      : typeof model === "string" && model.startsWith("fault-")
        ? model.slice("fault-".length)
        : "";
  return [...FAULTS, ...SHAPES].find((f) => named === f || named.startsWith(`${f}-`)) ?? null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function validate(path: string, body: Record<string, unknown>, fault: Fault | null) {
  const allowed =
    fault === "strict"
      ? STRICT_FIELDS
      : path === "/chat/completions"
        ? CHAT_FIELDS
        : path === "/completions"
          ? COMPLETION_FIELDS
          : EMBEDDING_FIELDS;
  for (const key of Object.keys(body))
    if (!allowed.has(key)) throw new BadRequest(`Unrecognized request argument supplied: ${key}`, key);
  if (typeof body.model !== "string" || !body.model)
    throw new BadRequest("you must provide a model parameter", "model");
  if (body.stream !== undefined && typeof body.stream !== "boolean")
    throw new BadRequest(
      `Invalid type for 'stream': expected a boolean, but got ${typeName(body.stream)} instead.`,
      "stream",
    );
  if (body.stream_options !== undefined && body.stream !== true)
    throw new BadRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
  if (
    path === "/chat/completions" &&
    (!Array.isArray(body.messages) ||
      body.messages.length === 0 ||
      !body.messages.every((m) => isObject(m) && typeof m.role === "string"))
  )
    throw new BadRequest("Invalid 'messages': expected a non-empty array of messages.", "messages");
  if (path === "/completions" && typeof body.prompt !== "string")
    throw new BadRequest("Invalid type for 'prompt': expected a string.", "prompt");
  if (path === "/embeddings") {
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => typeof t === "string" && t))
      throw new BadRequest("'$.input' is invalid.", "input");
    if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64")
      throw new BadRequest(
        `Invalid value: '${String(body.encoding_format)}'. Supported values are: 'float' and 'base64'.`,
        "encoding_format",
      );
  }
}

/** FastAPI/pydantic's answer to a field it forbids. */
function sendExtraForbidden(res: http.ServerResponse, field: string, value: unknown) {
  sendJson(res, 422, {
    detail: [{ type: "extra_forbidden", loc: ["body", field], msg: "Extra inputs are not permitted", input: value }],
  });
}

export async function startFaultUpstream(): Promise<FaultUpstream> {
  const requests: FaultRequest[] = [];
  let seq = 0;
  const open = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const arrived = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://mock");
    if (url.pathname === "/__mock/requests") {
      const model = url.searchParams.get("model");
      return sendJson(res, 200, {
        requests: requests.filter((r) => !model || (isObject(r.body) && r.body.model === model)),
      });
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // recorded as text
    }
    const fault = faultOf(req.headers, isObject(body) ? body.model : undefined);
    const record: FaultRequest = {
      seq: ++seq,
      url: req.url ?? "",
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
      ),
      body,
      fault,
      status: 0,
      closedAfterMs: null,
    };
    requests.push(record);
    open.add(res);
    res.on("close", () => {
      record.status ||= res.headersSent ? res.statusCode : 0;
      record.closedAfterMs = Date.now() - arrived;
      open.delete(res);
    });
    const error = (
      status: number,
      message: string,
      type: string,
      param: string | null = null,
      headers: Record<string, string> = {},
    ) => sendJson(res, status, { error: { message, type, param, code: null } }, headers);

    const path = ["/chat/completions", "/completions", "/embeddings"].find((p) => url.pathname === `/v1${p}`);
    if (!path || req.method !== "POST")
      return error(404, `Invalid URL (${req.method} ${url.pathname})`, "invalid_request_error");
    if (!/^Bearer sk-/.test(String(req.headers.authorization ?? "")))
      return error(401, "You didn't provide an API key.", "invalid_request_error");
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json") || !isObject(body))
      return error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
    try {
      if (fault === "strict")
        for (const field of ["stream_options", "encoding_format"])
          if (field in body) return sendExtraForbidden(res, field, body[field]);
      validate(path, body, fault);
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message, "invalid_request_error", e.param);
      throw e;
    }
    await answer(path, body, fault, req, res);
  });

  async function answer(
    path: string,
    body: Record<string, unknown>,
    fault: Fault | null,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) {
    const stream = body.stream === true;
    switch (fault) {
      case "status-500":
        return sendJson(res, 500, {
          error: {
            message: "The server had an error while processing your request. Sorry about that!",
            type: "server_error",
            param: null,
            code: null,
          },
        });
      case "status-502":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
      case "status-503":
        return sendJson(
          res,
          503,
          {
            error: {
              message: "The engine is currently overloaded, please try again later.",
              type: "server_error",
              param: null,
              code: null,
            },
          },
          { "retry-after": "3" },
        );
      case "reset-before-headers":
        return req.socket.resetAndDestroy();
      case "stall-before-headers":
        return; // never answers; the connection stays open until the client lets go
      case "echo-credentials":
        if (!stream)
          return sendJson(res, 400, {
            error: {
              message: `The key ${req.headers.authorization} may not call ${String(body.model)}.`,
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          });
    }
    if (path === "/embeddings") return embeddings(body, fault, res);

    const chat = path === "/chat/completions";
    const messages = chat
      ? (body.messages as { role?: unknown; content?: unknown }[])
      : [{ role: "user", content: body.prompt }];
    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    const reply = `Echo: ${contentText(lastUser?.content)}`;
    const promptTokens = promptTokensOf(messages);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: tokens(reply),
      total_tokens: promptTokens + tokens(reply),
    };
    const common = chat
      ? {
          id: randomId("chatcmpl-"),
          object: "chat.completion.chunk",
          created: Math.floor(Date.now() / 1000),
          model: String(body.model),
        }
      : {
          id: randomId("cmpl-"),
          object: "text_completion",
          created: Math.floor(Date.now() / 1000),
          model: String(body.model),
        };
    const withUsage = fault !== "no-usage";

    if (!stream) {
      const choice = chat
        ? {
            index: 0,
            message: { role: "assistant", content: reply, refusal: null },
            logprobs: null,
            finish_reason: "stop",
          }
        : { index: 0, text: reply, logprobs: null, finish_reason: "stop" };
      const whole = {
        ...common,
        object: chat ? "chat.completion" : "text_completion",
        choices: fault === "changed-field" ? { 0: choice } : [choice],
        ...(withUsage ? { usage } : {}),
      };
      if (fault === "reset-mid-stream") {
        const text = JSON.stringify(whole);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, text.length / 2));
        await sleep(50);
        return req.socket.resetAndDestroy();
      }
      if (fault === "stall-mid-stream") {
        const text = JSON.stringify(whole);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        return res.write(text.slice(0, text.length / 2)); // and nothing more
      }
      return sendJson(res, 200, whole);
    }

    const send = startSse(res);
    const piece = (content: string | null, finish: string | null, role = false) =>
      chat
        ? {
            ...common,
            choices: [
              {
                index: 0,
                delta: role ? { role: "assistant", content: content ?? "" } : content === null ? {} : { content },
                logprobs: null,
                finish_reason: finish,
              },
            ],
          }
        : { ...common, choices: [{ index: 0, text: content ?? "", logprobs: null, finish_reason: finish }] };
    if (fault === "changed-field") {
      send({ ...common, choices: { index: 0, delta: { content: reply } } });
      return res.end();
    }
    if (chat) send(piece("", null, true));
    const parts = deltas(reply);
    for (const [i, part] of parts.entries()) {
      if (i === 2) {
        switch (fault) {
          case "reset-mid-stream":
            await sleep(50);
            return req.socket.resetAndDestroy();
          case "stall-mid-stream":
            return; // the connection stays open, silent
          case "truncated":
            return res.end();
          case "cut-mid-line":
            res.write(`data: ${JSON.stringify(piece(part, null)).slice(0, 30)}`);
            return res.end();
          case "invalid-json":
            res.write('data: {"id": "chatcmpl-x", "choices": [{"delta": {"content": "half\n\n');
            return res.end();
          case "error-event":
            send({
              error: {
                message: "The model had an error while generating your answer.",
                type: "server_error",
                param: null,
                code: null,
              },
            });
            return res.end();
          case "echo-credentials":
            send({
              error: {
                message: `The key ${req.headers.authorization} ran out of quota.`,
                type: "server_error",
                param: null,
                code: null,
              },
            });
            return res.end();
        }
      }
      if (fault === "slow-body") await sleep(SLOW_BODY_GAP_MS);
      if (res.destroyed) return;
      send(piece(part, null));
    }
    send(piece(null, "stop"));
    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
    if (includeUsage && withUsage) send({ ...common, choices: [], usage });
    send("[DONE]");
    res.end();
  }

  function embeddings(body: Record<string, unknown>, fault: Fault | null, res: http.ServerResponse) {
    const inputs = (typeof body.input === "string" ? [body.input] : body.input) as string[];
    const base64 = fault === "base64-only" || (fault !== "floats-only" && body.encoding_format === "base64");
    const promptTokens = inputs.reduce((s, t) => s + tokens(t), 0);
    sendJson(res, 200, {
      object: "list",
      data: inputs.map((text, index) => {
        const vector = embeddingFor(text, 8);
        return {
          object: "embedding",
          index,
          embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
        };
      }),
      model: String(body.model),
      ...(fault === "no-usage" ? {} : { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
    });
  }

  const listening = await listenLocally(server);
  return {
    url: listening.url,
    requests,
    close: () => {
      // Stalled answers first: a response that never ends would keep the server from closing.
      for (const res of open) res.destroy();
      return listening.close();
    },
  };
}
