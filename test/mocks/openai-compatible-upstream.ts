/**
 * A local stand-in for an OpenAI-compatible provider (what an external model of provider `custom`
 * or `openai` points at). It speaks OpenAI's wire format for /v1/chat/completions (plain and SSE),
 * /v1/completions and /v1/embeddings, validates what it receives as strictly as OpenAI does (auth,
 * body shape, unknown fields — so Databricks-only fields leaking upstream are caught), and records
 * every request so tests can assert on what the gateway sent.
 *
 * Scripted behaviour by `model` name:
 *   fail-500 → 500 server_error · fail-429 → 429 with `retry-after: 1` · fail-404 → 404 model_not_found
 *   slow-<ms> → answers after <ms> milliseconds · cut-stream → a streamed answer cut off mid-way
 *
 * Control routes (for tests running in other processes than the mock):
 *   GET  /__mock/requests[?model=…&token=…]  → { requests: RecordedRequest[] }
 *   POST /__mock/credentials {header, value}   → accept one more credential
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path and query as received, e.g. `/v1/chat/completions`. */
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The status the mock answered with. */
  status: number;
  /** The accepted credential (header value) or null when auth failed. */
  credential: string | null;
}

/** A credential the mock accepts: `Authorization: Bearer x` or a custom header such as `x-api-key: y`. */
interface Credential {
  header: string;
  value: string;
}

export interface MockUpstreamOptions {
  /** Credentials to accept from the start; more can be added with `accept()` or POST /__mock/credentials. */
  credentials?: Credential[];
  /** Log every request to stderr. */
  verbose?: boolean;
}

export interface MockUpstream {
  /** Base URL without the `/v1` suffix, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: RecordedRequest[];
  accept(credential: Credential): void;
  close(): Promise<void>;
}

interface OpenAIError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  headers?: Record<string, string>;
}

const CHAT_FIELDS = new Set([
  "model",
  "messages",
  "audio",
  "frequency_penalty",
  "function_call",
  "functions",
  "logit_bias",
  "logprobs",
  "max_completion_tokens",
  "max_tokens",
  "metadata",
  "modalities",
  "n",
  "parallel_tool_calls",
  "prediction",
  "presence_penalty",
  "prompt_cache_key",
  "reasoning_effort",
  "response_format",
  "safety_identifier",
  "seed",
  "service_tier",
  "stop",
  "store",
  "stream",
  "stream_options",
  "temperature",
  "tool_choice",
  "tools",
  "top_logprobs",
  "top_p",
  "user",
  "verbosity",
  "web_search_options",
]);
const COMPLETION_FIELDS = new Set([
  "model",
  "prompt",
  "best_of",
  "echo",
  "frequency_penalty",
  "logit_bias",
  "logprobs",
  "max_tokens",
  "n",
  "presence_penalty",
  "seed",
  "stop",
  "stream",
  "stream_options",
  "suffix",
  "temperature",
  "top_p",
  "user",
]);
const EMBEDDING_FIELDS = new Set(["model", "input", "dimensions", "encoding_format", "user"]);
const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);
const MAX_RECORDS = 5000;

class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : typeof v;
}

function rejectUnknownFields(body: Record<string, unknown>, allowed: Set<string>) {
  for (const key of Object.keys(body)) {
    // OpenAI's exact wording for an argument it does not know.
    if (!allowed.has(key)) throw new BadRequest(`Unrecognized request argument supplied: ${key}`);
  }
}

function requireModel(body: Record<string, unknown>): string {
  if (body.model === undefined) throw new BadRequest("you must provide a model parameter");
  if (typeof body.model !== "string" || body.model === "")
    throw new BadRequest(
      `Invalid type for 'model': expected a string, but got ${typeName(body.model)} instead.`,
      "model",
      "invalid_type",
    );
  return body.model;
}

/** The text of a message's content: a string or an array of `{type:"text", text}` parts. */
function contentText(content: unknown, param: string, allowNull: boolean): string {
  if (typeof content === "string") return content;
  if (content === null && allowNull) return "";
  if (!Array.isArray(content))
    throw new BadRequest(
      `Invalid type for '${param}': expected one of a string or ` +
        `array of objects, but got ${typeName(content)} instead.`,
      param,
      "invalid_type",
    );
  return content
    .map((part, i) => {
      const p = `${param}[${i}]`;
      if (!isObject(part))
        throw new BadRequest(
          `Invalid type for '${p}': expected an object, but got ${typeName(part)} instead.`,
          p,
          "invalid_type",
        );
      if (part.type !== "text")
        throw new BadRequest(
          `Invalid value: '${String(part.type)}'. Supported values are: 'text'.`,
          `${p}.type`,
          "invalid_value",
        );
      if (typeof part.text !== "string")
        throw new BadRequest(
          `Invalid type for '${p}.text': expected a string, but got ${typeName(part.text)} instead.`,
          `${p}.text`,
          "invalid_type",
        );
      return part.text;
    })
    .join("");
}

function validateMessages(messages: unknown): { role: string; text: string }[] {
  if (messages === undefined)
    throw new BadRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages))
    throw new BadRequest(
      `Invalid type for 'messages': expected an array, but got ${typeName(messages)} instead.`,
      "messages",
      "invalid_type",
    );
  if (messages.length === 0)
    throw new BadRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  return messages.map((m, i) => {
    const p = `messages[${i}]`;
    if (!isObject(m))
      throw new BadRequest(
        `Invalid type for '${p}': expected an object, but got ${typeName(m)} instead.`,
        p,
        "invalid_type",
      );
    if (typeof m.role !== "string" || !ROLES.has(m.role))
      throw new BadRequest(
        `Invalid value: '${String(m.role)}'. Supported values are: ` +
          `'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${p}.role`,
        "invalid_value",
      );
    if (!("content" in m) && !(m.role === "assistant" && "tool_calls" in m))
      throw new BadRequest(`Missing required parameter: '${p}.content'.`, `${p}.content`, "missing_required_parameter");
    return { role: m.role, text: contentText(m.content, `${p}.content`, m.role === "assistant") };
  });
}

function validateSampling(body: Record<string, unknown>) {
  if (body.stream !== undefined && typeof body.stream !== "boolean")
    throw new BadRequest(
      `Invalid type for 'stream': expected a boolean, but got ${typeName(body.stream)} instead.`,
      "stream",
      "invalid_type",
    );
  if (body.stream_options !== undefined) {
    if (!isObject(body.stream_options))
      throw new BadRequest(
        `Invalid type for 'stream_options': expected an object, but got ${typeName(body.stream_options)} instead.`,
        "stream_options",
        "invalid_type",
      );
    if (body.stream !== true)
      throw new BadRequest(
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        "stream_options",
        null,
      );
  }
  if (body.n !== undefined && (typeof body.n !== "number" || !Number.isInteger(body.n) || body.n < 1 || body.n > 128))
    throw new BadRequest(`Invalid 'n': expected an integer between 1 and 128.`, "n", "invalid_value");
  if (
    body.temperature !== undefined &&
    (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
  )
    throw new BadRequest(
      `Invalid 'temperature': decimal above maximum value. Expected ` +
        `a value <= 2, but got ${String(body.temperature)} instead.`,
      "temperature",
      "decimal_above_max_value",
    );
  for (const key of ["max_tokens", "max_completion_tokens"])
    if (
      body[key] !== undefined &&
      (typeof body[key] !== "number" || !Number.isInteger(body[key]) || (body[key] as number) < 1)
    )
      throw new BadRequest(`Invalid '${key}': expected a positive integer.`, key, "invalid_value");
}

/** Rough but deterministic token count: words and punctuation. */
function tokens(text: string): number {
  return Math.max(1, (text.match(/\w+|[^\s\w]/g) ?? []).length);
}

function scripted(model: string): OpenAIError | null {
  if (model === "fail-500")
    return {
      status: 500,
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
      param: null,
      code: null,
    };
  if (model === "fail-429")
    return {
      status: 429,
      message:
        `Rate limit reached for ${model} on requests per min (RPM): ` +
        `Limit 3, Used 3, Requested 1. Please try again in 1s.`,
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
      headers: { "retry-after": "1", "x-ratelimit-limit-requests": "3", "x-ratelimit-remaining-requests": "0" },
    };
  if (model === "fail-404")
    return {
      status: 404,
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: "invalid_request_error",
      param: null,
      code: "model_not_found",
    };
  return null;
}

function delayFor(model: string): number {
  const m = /^slow-(\d+)$/.exec(model);
  return m ? Number(m[1]) : 0;
}

/** Deterministic unit vector for a text (so equal inputs embed equally, different ones differ). */
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

function id(prefix: string) {
  return `${prefix}-${crypto.randomBytes(12).toString("base64url")}`;
}

/** The reply of the mock's "model": it echoes the last user message, which makes assertions easy. */
function replyTo(lastUserText: string): string {
  return `Echo: ${lastUserText}`;
}

/** Splits a reply into a few stream deltas (word by word). */
function deltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const credentials: Credential[] = [...(options.credentials ?? [])];
  let seq = 0;

  const accept = (c: Credential) => {
    credentials.push({ header: c.header.toLowerCase(), value: c.value });
  };
  for (const c of credentials) c.header = c.header.toLowerCase();

  function matchCredential(headers: http.IncomingHttpHeaders): string | null {
    for (const c of credentials) {
      const got = headers[c.header];
      if (typeof got === "string" && got === c.value) return got;
    }
    return null;
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "openai-version": "2020-10-01",
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, e: OpenAIError) {
    sendJson(
      res,
      e.status,
      { error: { message: e.message, type: e.type, param: e.param, code: e.code } },
      { ...e.headers },
    );
  }

  function startSse(res: http.ServerResponse) {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    return (data: unknown) => res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  }

  async function chat(body: Record<string, unknown>, res: http.ServerResponse) {
    rejectUnknownFields(body, CHAT_FIELDS);
    const model = requireModel(body);
    const messages = validateMessages(body.messages);
    validateSampling(body);
    const failure = scripted(model);
    if (failure) return sendError(res, failure);
    await sleep(delayFor(model));

    const lastUser = [...messages].reverse().find((m) => m.role === "user")?.text ?? "";
    const reply = replyTo(lastUser);
    const n = (body.n as number | undefined) ?? 1;
    const promptTokens = messages.reduce((sum, m) => sum + tokens(m.text) + 3, 3);
    const completionTokens = tokens(reply) * n;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const common = {
      id: id("chatcmpl"),
      created: Math.floor(Date.now() / 1000),
      model,
      service_tier: "default",
      system_fingerprint: "fp_mock0001",
    };

    if (body.stream !== true) {
      return sendJson(res, 200, {
        ...common,
        object: "chat.completion",
        choices: Array.from({ length: n }, (_, index) => ({
          index,
          message: { role: "assistant", content: reply, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: "stop",
        })),
        usage,
      });
    }

    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
    const send = startSse(res);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      send({ ...common, object: "chat.completion.chunk", choices, ...(includeUsage ? { usage: null } : {}), ...extra });
    const parts = deltas(reply);
    for (let index = 0; index < n; index++)
      chunk([{ index, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }]);
    for (const [i, part] of parts.entries()) {
      if (model === "cut-stream" && i === 1) {
        res.destroy();
        return;
      }
      for (let index = 0; index < n; index++)
        chunk([{ index, delta: { content: part }, logprobs: null, finish_reason: null }]);
    }
    for (let index = 0; index < n; index++) chunk([{ index, delta: {}, logprobs: null, finish_reason: "stop" }]);
    if (includeUsage) send({ ...common, object: "chat.completion.chunk", choices: [], usage });
    send("[DONE]");
    res.end();
  }

  async function completions(body: Record<string, unknown>, res: http.ServerResponse) {
    rejectUnknownFields(body, COMPLETION_FIELDS);
    const model = requireModel(body);
    const prompt = body.prompt;
    if (prompt === undefined)
      throw new BadRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
    const prompts =
      typeof prompt === "string"
        ? [prompt]
        : Array.isArray(prompt) && prompt.every((p) => typeof p === "string")
          ? (prompt as string[])
          : null;
    if (!prompts || prompts.length === 0)
      throw new BadRequest(
        `Invalid type for 'prompt': expected one of a string or array of strings, but got ${typeName(prompt)} instead.`,
        "prompt",
        "invalid_type",
      );
    validateSampling(body);
    const failure = scripted(model);
    if (failure) return sendError(res, failure);
    await sleep(delayFor(model));

    const n = (body.n as number | undefined) ?? 1;
    const texts = prompts.map((p) => ` ${replyTo(p)}`);
    const promptTokens = prompts.reduce((s, p) => s + tokens(p), 0);
    const completionTokens = texts.reduce((s, t) => s + tokens(t), 0) * n;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const common = {
      id: id("cmpl"),
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model,
      system_fingerprint: "fp_mock0001",
    };
    const choiceIndex = (p: number, k: number) => p * n + k;

    if (body.stream !== true) {
      return sendJson(res, 200, {
        ...common,
        choices: texts.flatMap((text, p) =>
          Array.from({ length: n }, (_, k) => ({
            text,
            index: choiceIndex(p, k),
            logprobs: null,
            finish_reason: "stop",
          })),
        ),
        usage,
      });
    }
    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
    const send = startSse(res);
    for (const [p, text] of texts.entries())
      for (let k = 0; k < n; k++) {
        for (const part of deltas(text))
          send({
            ...common,
            choices: [{ text: part, index: choiceIndex(p, k), logprobs: null, finish_reason: null }],
            ...(includeUsage ? { usage: null } : {}),
          });
        send({
          ...common,
          choices: [{ text: "", index: choiceIndex(p, k), logprobs: null, finish_reason: "stop" }],
          ...(includeUsage ? { usage: null } : {}),
        });
      }
    if (includeUsage) send({ ...common, choices: [], usage });
    send("[DONE]");
    res.end();
  }

  async function embeddings(body: Record<string, unknown>, res: http.ServerResponse) {
    rejectUnknownFields(body, EMBEDDING_FIELDS);
    const model = requireModel(body);
    const input = body.input;
    if (input === undefined)
      throw new BadRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
    const inputs =
      typeof input === "string"
        ? [input]
        : Array.isArray(input) && input.every((p) => typeof p === "string")
          ? (input as string[])
          : null;
    if (!inputs || inputs.length === 0 || inputs.some((s) => s === ""))
      throw new BadRequest(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        "input",
        null,
      );
    if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64")
      throw new BadRequest(
        `Invalid value: '${String(body.encoding_format)}'. Supported values are: 'float' and 'base64'.`,
        "encoding_format",
        "invalid_value",
      );
    const dimensions = body.dimensions === undefined ? 8 : body.dimensions;
    if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096)
      throw new BadRequest(
        "Invalid 'dimensions': expected an integer between 1 and 4096.",
        "dimensions",
        "invalid_value",
      );
    const failure = scripted(model);
    if (failure) return sendError(res, failure);
    await sleep(delayFor(model));

    const promptTokens = inputs.reduce((s, t) => s + tokens(t), 0);
    sendJson(res, 200, {
      object: "list",
      data: inputs.map((text, index) => {
        const vector = embeddingFor(text, dimensions);
        const embedding =
          body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding", index, embedding };
      }),
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  }

  const routes: Record<string, (body: Record<string, unknown>, res: http.ServerResponse) => Promise<void>> = {
    "/chat/completions": chat,
    "/completions": completions,
    "/embeddings": embeddings,
  };

  async function control(req: http.IncomingMessage, res: http.ServerResponse, url: URL, text: string) {
    if (req.method === "GET" && url.pathname === "/__mock/requests") {
      const model = url.searchParams.get("model");
      const token = url.searchParams.get("token");
      const list = requests.filter(
        (r) =>
          (!model || (isObject(r.body) && r.body.model === model)) &&
          (!token || Object.values(r.headers).some((v) => v.includes(token))),
      );
      return sendJson(res, 200, { requests: list });
    }
    if (req.method === "POST" && url.pathname === "/__mock/credentials") {
      const c = JSON.parse(text) as Credential;
      accept(c);
      return sendJson(res, 200, {});
    }
    sendJson(res, 404, { error: "unknown control route" });
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://mock");
    if (url.pathname.startsWith("/__mock/"))
      return control(req, res, url, text).catch((e) => sendJson(res, 500, { error: String(e) }));

    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
    );
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Recorded as raw text; answered below.
    }
    const record: RecordedRequest = {
      seq: ++seq,
      method: req.method ?? "",
      url: req.url ?? "",
      headers,
      body,
      status: 0,
      credential: null,
    };
    requests.push(record);
    if (requests.length > MAX_RECORDS) requests.splice(0, requests.length - MAX_RECORDS);
    res.on("finish", () => (record.status = res.statusCode));
    res.on("close", () => (record.status ||= res.statusCode));
    if (options.verbose) console.error(`[mock-upstream] ${req.method} ${req.url}`);

    try {
      const suffix = Object.keys(routes).find((r) => url.pathname === `/v1${r}` || url.pathname === r);
      if (!suffix)
        return sendError(res, {
          status: 404,
          message: `Invalid URL (${req.method} ${url.pathname})`,
          type: "invalid_request_error",
          param: null,
          code: null,
        });
      if (req.method !== "POST")
        return sendError(res, {
          status: 405,
          message: `Invalid method for URL (${req.method} ${url.pathname})`,
          type: "invalid_request_error",
          param: null,
          code: null,
        });

      record.credential = matchCredential(req.headers);
      if (!record.credential) {
        const sent = req.headers.authorization
          ? "Incorrect API key provided."
          : "You didn't provide an API key. You need to provide your API key in an " +
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
        return sendError(res, {
          status: 401,
          message: sent,
          type: "invalid_request_error",
          param: null,
          code: req.headers.authorization ? "invalid_api_key" : null,
        });
      }
      if (
        !String(req.headers["content-type"] ?? "")
          .toLowerCase()
          .startsWith("application/json")
      )
        throw new BadRequest("Invalid content type. Expected application/json.");
      if (text === "" || typeof body !== "object" || body === null)
        throw new BadRequest(
          "We could not parse the JSON body of your request. (HINT: This likely " +
            "means you aren't using your HTTP library correctly. The OpenAI " +
            "API expects a JSON payload, but what was sent was not valid JSON.)",
        );
      if (!isObject(body))
        throw new BadRequest(`Invalid type for request body: expected an object, but got ${typeName(body)} instead.`);
      await routes[suffix]!(body, res);
    } catch (e) {
      if (e instanceof BadRequest)
        return sendError(res, {
          status: 400,
          message: e.message,
          type: "invalid_request_error",
          param: e.param,
          code: e.code,
        });
      if (!res.headersSent)
        sendError(res, { status: 500, message: String(e), type: "server_error", param: null, code: null });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accept,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sleep(ms: number) {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
