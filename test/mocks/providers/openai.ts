/**
 * Mock of OpenAI (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `Authorization: Bearer sk-…`),
 * Azure OpenAI (`/openai/deployments/{deployment}/…?api-version=…` with an `api-key` header or an Entra ID
 * bearer token) and Microsoft Entra ID's token endpoint (`/{tenant}/oauth2/v2.0/token`, form-encoded
 * client-credentials grant). Served for the provider keys "openai" and "microsoft-entra".
 *
 * Validation as the real services do it: unknown body fields → 400 "Unrecognized request argument
 * supplied: …"; a missing/unknown key → 401; Azure without a known api-version → 404 "Resource not
 * found"; `stream_options` on Azure API versions before 2024-09-01 → 400. Error bodies are OpenAI's
 * `{"error":{"message","type","param","code"}}` (Azure: `{"error":{"code","message"}}`), Entra ID's
 * `{"error","error_description",…}`.
 *
 * Accepted credentials: OpenAI keys starting `sk-` (but not `sk-invalid`), Azure api-keys not starting
 * `invalid`, Entra client secrets not starting `invalid`, and the access tokens this mock issued.
 * Scripted: a model (or Azure deployment) named fail-400/401/429/500/503 fails so; a model named *tool*
 * calls the first tool given.
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
  type MockRequest,
} from "./_openai-wire";

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
/** Azure OpenAI data-plane API versions this mock knows (GA and preview). */
const AZURE_API_VERSIONS = new Set([
  "2024-02-01",
  "2024-06-01",
  "2024-10-21",
  "2024-02-15-preview",
  "2024-08-01-preview",
  "2024-09-01-preview",
  "2024-12-01-preview",
  "2025-01-01-preview",
  "2025-04-01-preview",
]);
const AZURE_SCOPE = "https://cognitiveservices.azure.com/.default";

type Flavor = "openai" | "azure";

class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = "invalid_request_error",
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function bad(message: string, param: string | null = null, code: string | null = null): OpenAiError {
  return new OpenAiError(400, message, "invalid_request_error", param, code);
}

function sendError(res: http.ServerResponse, flavor: Flavor, e: OpenAiError) {
  const body =
    flavor === "azure"
      ? {
          error: {
            code: e.code ?? String(e.status),
            message: e.message,
            ...(e.param ? { param: e.param } : {}),
            type: e.type,
          },
        }
      : { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
  sendJson(res, e.status, body, {
    ...(flavor === "openai" ? { "openai-version": "2020-10-01" } : { "apim-request-id": randomId("") }),
    ...e.headers,
  });
}

function scripted(name: string | undefined, flavor: Flavor): OpenAiError | null {
  switch (scriptedFailure(name)) {
    case 400:
      return bad("Invalid value for 'messages': scripted failure of the mock.", "messages", "invalid_value");
    case 401:
      return flavor === "azure"
        ? new OpenAiError(
            401,
            "Access denied due to invalid subscription key or wrong API " +
              "endpoint. Make sure to provide a valid key for an active subscription " +
              "and use a correct regional API endpoint for your resource.",
            "invalid_request_error",
            null,
            "401",
          )
        : new OpenAiError(
            401,
            "Incorrect API key provided: sk-inval*****. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            null,
            "invalid_api_key",
          );
    case 429:
      return new OpenAiError(
        429,
        `Rate limit reached for ${name} on requests per min (RPM): ` +
          `Limit 3, Used 3, Requested 1. Please try again in 2s.`,
        "requests",
        null,
        "rate_limit_exceeded",
        {
          "retry-after": "2",
          "x-ratelimit-remaining-requests": "0",
        },
      );
    case 500:
      return new OpenAiError(
        500,
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
      );
    case 503:
      return new OpenAiError(
        503,
        "The engine is currently overloaded, please try again later.",
        "server_error",
        null,
        null,
        { "retry-after": "1" },
      );
    default:
      return null;
  }
}

function rejectUnknownFields(body: Record<string, unknown>, allowed: Set<string>) {
  for (const key of Object.keys(body))
    if (!allowed.has(key)) throw bad(`Unrecognized request argument supplied: ${key}`);
}

function validateContent(content: unknown, param: string, allowNull: boolean) {
  if (typeof content === "string" || (content === null && allowNull)) return;
  if (!Array.isArray(content))
    throw bad(
      `Invalid type for '${param}': expected one of a string or ` +
        `array of objects, but got ${typeName(content)} instead.`,
      param,
      "invalid_type",
    );
  content.forEach((part, i) => {
    if (!isObject(part) || (part.type !== "text" && part.type !== "image_url"))
      throw bad(
        `Invalid value: '${String(isObject(part) ? part.type : part)}'. Supported values are: 'text' and 'image_url'.`,
        `${param}[${i}].type`,
        "invalid_value",
      );
    if (part.type === "text" && typeof part.text !== "string")
      throw bad(
        `Invalid type for '${param}[${i}].text': expected a string, but got ${typeName(part.text)} instead.`,
        `${param}[${i}].text`,
        "invalid_type",
      );
  });
}

function validateMessages(messages: unknown): Record<string, unknown>[] {
  if (messages === undefined)
    throw bad("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages))
    throw bad(
      `Invalid type for 'messages': expected an array, but got ${typeName(messages)} instead.`,
      "messages",
      "invalid_type",
    );
  if (messages.length === 0)
    throw bad(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  return messages.map((m, i) => {
    const p = `messages[${i}]`;
    if (!isObject(m))
      throw bad(`Invalid type for '${p}': expected an object, but got ${typeName(m)} instead.`, p, "invalid_type");
    if (typeof m.role !== "string" || !ROLES.has(m.role))
      throw bad(
        `Invalid value: '${String(m.role)}'. Supported values are: ` +
          `'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${p}.role`,
        "invalid_value",
      );
    if (!("content" in m) && !(m.role === "assistant" && "tool_calls" in m))
      throw bad(`Missing required parameter: '${p}.content'.`, `${p}.content`, "missing_required_parameter");
    if ("content" in m) validateContent(m.content, `${p}.content`, m.role === "assistant");
    if (m.role === "tool" && typeof m.tool_call_id !== "string")
      throw bad(`Missing required parameter: '${p}.tool_call_id'.`, `${p}.tool_call_id`, "missing_required_parameter");
    if (m.tool_calls !== undefined) {
      if (!Array.isArray(m.tool_calls))
        throw bad(
          `Invalid type for '${p}.tool_calls': expected an array, but got ${typeName(m.tool_calls)} instead.`,
          `${p}.tool_calls`,
          "invalid_type",
        );
      m.tool_calls.forEach((t, j) => {
        if (
          !isObject(t) ||
          typeof t.id !== "string" ||
          t.type !== "function" ||
          !isObject(t.function) ||
          typeof t.function.name !== "string" ||
          typeof t.function.arguments !== "string"
        )
          throw bad(
            `Invalid '${p}.tool_calls[${j}]': expected {id, type: 'function', function: {name, arguments}}.`,
            `${p}.tool_calls[${j}]`,
            "invalid_value",
          );
      });
    }
    return m;
  });
}

function validateTools(body: Record<string, unknown>) {
  if (body.tools === undefined) {
    if (body.tool_choice !== undefined && body.tool_choice !== "none")
      throw bad(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        "tool_choice",
        null,
      );
    return;
  }
  if (!Array.isArray(body.tools))
    throw bad(
      `Invalid type for 'tools': expected an array, but got ${typeName(body.tools)} instead.`,
      "tools",
      "invalid_type",
    );
  body.tools.forEach((t, i) => {
    if (!isObject(t) || t.type !== "function")
      throw bad(
        `Invalid value: '${String(isObject(t) ? t.type : t)}'. Supported values are: 'function' and 'custom'.`,
        `tools[${i}].type`,
        "invalid_value",
      );
    if (!isObject(t.function) || typeof t.function.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(t.function.name))
      throw bad(
        `Invalid 'tools[${i}].function.name': string does not match pattern. ` +
          `Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `tools[${i}].function.name`,
        "invalid_value",
      );
  });
}

function validateSampling(body: Record<string, unknown>) {
  if (body.stream !== undefined && typeof body.stream !== "boolean")
    throw bad(
      `Invalid type for 'stream': expected a boolean, but got ${typeName(body.stream)} instead.`,
      "stream",
      "invalid_type",
    );
  if (body.stream_options !== undefined) {
    if (!isObject(body.stream_options))
      throw bad(
        `Invalid type for 'stream_options': expected an object, but got ${typeName(body.stream_options)} instead.`,
        "stream_options",
        "invalid_type",
      );
    if (body.stream !== true)
      throw bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", null);
  }
  if (body.n !== undefined && (typeof body.n !== "number" || !Number.isInteger(body.n) || body.n < 1 || body.n > 128))
    throw bad("Invalid 'n': expected an integer between 1 and 128.", "n", "invalid_value");
  if (
    body.temperature !== undefined &&
    (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
  )
    throw bad(
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
      throw bad(`Invalid '${key}': expected a positive integer.`, key, "invalid_value");
}

/** Azure adds content-filter annotations to every answer. */
const FILTERS = {
  hate: { filtered: false, severity: "safe" },
  self_harm: { filtered: false, severity: "safe" },
  sexual: { filtered: false, severity: "safe" },
  violence: { filtered: false, severity: "safe" },
};

function chat(body: Record<string, unknown>, res: http.ServerResponse, flavor: Flavor, deployment?: string) {
  rejectUnknownFields(body, CHAT_FIELDS);
  if (flavor === "openai" && (typeof body.model !== "string" || !body.model))
    throw bad("you must provide a model parameter");
  const messages = validateMessages(body.messages);
  validateTools(body);
  validateSampling(body);
  const name = deployment ?? String(body.model);
  const failure = scripted(name, flavor) ?? scripted(typeof body.model === "string" ? body.model : undefined, flavor);
  if (failure) return sendError(res, flavor, failure);

  const answer = reply(name, messages, body.tools);
  const n = (body.n as number | undefined) ?? 1;
  const promptTokens = promptTokensOf(messages);
  const completionTokens = completionTokensOf(answer) * n;
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
  const model = flavor === "azure" ? "gpt-4o-2024-08-06" : String(body.model);
  const common = {
    id: randomId("chatcmpl-"),
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: "fp_mock0001",
    ...(flavor === "openai" ? { service_tier: "default" } : {}),
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

  if (body.stream !== true) {
    return sendJson(res, 200, {
      ...common,
      object: "chat.completion",
      choices: Array.from({ length: n }, (_, index) => ({
        index,
        message: {
          role: "assistant",
          content: answer.text,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
          annotations: [],
        },
        logprobs: null,
        finish_reason: finish,
        ...(flavor === "azure" ? { content_filter_results: FILTERS } : {}),
      })),
      usage,
      ...(flavor === "azure" ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTERS }] } : {}),
    });
  }

  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const send = startSse(res);
  const chunk = (choices: unknown[]) =>
    send({ ...common, object: "chat.completion.chunk", choices, ...(includeUsage ? { usage: null } : {}) });
  // Azure's first event carries the prompt's filter results and no choices.
  if (flavor === "azure")
    send({
      choices: [],
      created: 0,
      id: "",
      model: "",
      object: "",
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTERS }],
    });
  for (let index = 0; index < n; index++) {
    if (answer.toolCall) {
      const args = answer.toolCall.arguments;
      chunk([
        {
          index,
          delta: {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                index: 0,
                id: answer.toolCall.id,
                type: "function",
                function: { name: answer.toolCall.name, arguments: "" },
              },
            ],
            refusal: null,
          },
          logprobs: null,
          finish_reason: null,
        },
      ]);
      for (let i = 0; i < args.length; i += 8)
        chunk([
          {
            index,
            delta: { tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 8) } }] },
            logprobs: null,
            finish_reason: null,
          },
        ]);
    } else {
      chunk([{ index, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }]);
      for (const part of deltas(answer.text ?? ""))
        chunk([{ index, delta: { content: part }, logprobs: null, finish_reason: null }]);
    }
    chunk([{ index, delta: {}, logprobs: null, finish_reason: finish }]);
  }
  if (includeUsage) send({ ...common, object: "chat.completion.chunk", choices: [], usage });
  send("[DONE]");
  res.end();
}

function completions(body: Record<string, unknown>, res: http.ServerResponse, flavor: Flavor, deployment?: string) {
  rejectUnknownFields(body, COMPLETION_FIELDS);
  if (flavor === "openai" && (typeof body.model !== "string" || !body.model))
    throw bad("you must provide a model parameter");
  const prompt = body.prompt;
  if (prompt === undefined) throw bad("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
  const prompts =
    typeof prompt === "string"
      ? [prompt]
      : Array.isArray(prompt) && prompt.every((p) => typeof p === "string")
        ? (prompt as string[])
        : null;
  if (!prompts || prompts.length === 0)
    throw bad(
      `Invalid type for 'prompt': expected one of a string or array of strings, but got ${typeName(prompt)} instead.`,
      "prompt",
      "invalid_type",
    );
  validateSampling(body);
  const failure = scripted(deployment ?? String(body.model), flavor);
  if (failure) return sendError(res, flavor, failure);
  const texts = prompts.map((p) => ` Echo: ${p}`);
  const promptTokens = prompts.reduce((s, p) => s + tokens(p), 0);
  const completionTokens = texts.reduce((s, t) => s + tokens(t), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const common = {
    id: randomId("cmpl-"),
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: flavor === "azure" ? "gpt-35-turbo-instruct" : String(body.model),
  };
  if (body.stream !== true)
    return sendJson(res, 200, {
      ...common,
      choices: texts.map((text, index) => ({ text, index, logprobs: null, finish_reason: "stop" })),
      usage,
    });
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const send = startSse(res);
  for (const [index, text] of texts.entries()) {
    for (const part of deltas(text))
      send({
        ...common,
        choices: [{ text: part, index, logprobs: null, finish_reason: null }],
        ...(includeUsage ? { usage: null } : {}),
      });
    send({
      ...common,
      choices: [{ text: "", index, logprobs: null, finish_reason: "stop" }],
      ...(includeUsage ? { usage: null } : {}),
    });
  }
  if (includeUsage) send({ ...common, choices: [], usage });
  send("[DONE]");
  res.end();
}

function embeddings(body: Record<string, unknown>, res: http.ServerResponse, flavor: Flavor, deployment?: string) {
  rejectUnknownFields(body, EMBEDDING_FIELDS);
  if (flavor === "openai" && (typeof body.model !== "string" || !body.model))
    throw bad("you must provide a model parameter");
  const input = body.input;
  if (input === undefined) throw bad("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  const inputs =
    typeof input === "string"
      ? [input]
      : Array.isArray(input) && input.every((p) => typeof p === "string")
        ? (input as string[])
        : null;
  if (!inputs || inputs.length === 0 || inputs.some((s) => s === ""))
    throw bad(
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      "input",
      null,
    );
  if (body.encoding_format !== undefined && body.encoding_format !== "float" && body.encoding_format !== "base64")
    throw bad(
      `Invalid value: '${String(body.encoding_format)}'. Supported values are: 'float' and 'base64'.`,
      "encoding_format",
      "invalid_value",
    );
  const dimensions = body.dimensions === undefined ? 8 : body.dimensions;
  if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 3072)
    throw bad("Invalid 'dimensions': expected an integer between 1 and 3072.", "dimensions", "invalid_value");
  const failure = scripted(deployment ?? String(body.model), flavor);
  if (failure) return sendError(res, flavor, failure);
  const promptTokens = inputs.reduce((s, t) => s + tokens(t), 0);
  sendJson(res, 200, {
    object: "list",
    data: inputs.map((text, index) => {
      const vector = embeddingFor(text, dimensions);
      return {
        object: "embedding",
        index,
        embedding:
          body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
      };
    }),
    model: flavor === "azure" ? "text-embedding-3-small" : String(body.model),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

const TASKS: Record<string, typeof chat> = { "chat/completions": chat, completions, embeddings };

export default async function start(): Promise<ProviderMock> {
  const issuedTokens = new Set<string>();

  function entraToken(req: MockRequest, res: http.ServerResponse, tenant: string) {
    const entraError = (status: number, error: string, description: string, code: number) =>
      sendJson(res, status, {
        error,
        error_description:
          `AADSTS${code}: ${description} Trace ID: ${randomId("")} Correlation ` +
          `ID: ${randomId("")} Timestamp: ${new Date().toISOString()}`,
        error_codes: [code],
        timestamp: `${new Date().toISOString().replace("T", " ").slice(0, 19)}Z`,
        trace_id: randomId(""),
        correlation_id: randomId(""),
        error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      });
    if (req.method !== "POST")
      return entraError(405, "invalid_request", "The request is not supported: use POST.", 900561);
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
      return entraError(
        400,
        "invalid_request",
        "The request body must contain the following parameter: 'grant_type'.",
        900144,
      );
    const form = req.body as Record<string, string>;
    if (form.grant_type !== "client_credentials")
      return entraError(
        400,
        "unsupported_grant_type",
        `The provided value for the input parameter 'grant_type' is not valid.`,
        70003,
      );
    if (!form.client_id)
      return entraError(
        400,
        "invalid_request",
        "The request body must contain the following parameter: 'client_id'.",
        900144,
      );
    if (form.scope !== AZURE_SCOPE)
      return entraError(
        400,
        "invalid_scope",
        `The provided value for the input parameter 'scope' is not valid. The scope ${form.scope ?? ""} is not valid.`,
        1002012,
      );
    if (!form.client_secret)
      return entraError(
        401,
        "invalid_client",
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        7000218,
      );
    if (form.client_secret.startsWith("invalid"))
      return entraError(
        401,
        "invalid_client",
        `Invalid client secret provided. Ensure the secret being sent in the request is the client ` +
          `secret value, not the client secret ID, for a secret added to app '${form.client_id}'.`,
        7000215,
      );
    if (tenant === "unknown-tenant") return entraError(400, "invalid_request", `Tenant '${tenant}' not found.`, 90002);
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: "https://cognitiveservices.azure.com", tid: tenant, appid: form.client_id })).toString("base64url")}.${randomId("")}`;
    issuedTokens.add(token);
    sendJson(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  function parseBody(req: MockRequest): Record<string, unknown> {
    if (
      !String(req.headers["content-type"] ?? "")
        .toLowerCase()
        .startsWith("application/json")
    )
      throw bad("Invalid content type. Expected application/json.");
    if (!isObject(req.body))
      throw bad(
        "We could not parse the JSON body of your request. (HINT: This likely " +
          "means you aren't using your HTTP library correctly. The OpenAI " +
          "API expects a JSON payload, but what was sent was not valid JSON.)",
      );
    return req.body;
  }

  const server = await startRecordingServer("openai", async (req, res) => {
    const path = req.url.pathname;
    const entra = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (entra) return entraToken(req, res, decodeURIComponent(entra[1]!));

    const azure = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/.exec(path);
    const openai = /^\/v1\/(chat\/completions|completions|embeddings)$/.exec(path);
    const flavor: Flavor = azure ? "azure" : "openai";
    try {
      if (!azure && !openai)
        throw new OpenAiError(
          404,
          flavor === "openai" ? `Invalid URL (${req.method} ${path})` : "Resource not found",
          "invalid_request_error",
          null,
          flavor === "azure" ? "404" : null,
        );
      if (req.method !== "POST") throw new OpenAiError(405, `Invalid method for URL (${req.method} ${path})`);
      if (azure) {
        const version = req.url.searchParams.get("api-version");
        if (!version || !AZURE_API_VERSIONS.has(version))
          throw new OpenAiError(404, "Resource not found", "invalid_request_error", null, "404");
        const key = req.headers["api-key"];
        const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
        if (typeof key === "string") {
          if (!key || key.startsWith("invalid"))
            throw new OpenAiError(
              401,
              "Access denied due to invalid subscription key or wrong API " +
                "endpoint. Make sure to provide a valid key for an active subscription " +
                "and use a correct regional API endpoint for your resource.",
              "invalid_request_error",
              null,
              "401",
            );
        } else if (!bearer || !issuedTokens.has(bearer)) {
          throw new OpenAiError(
            401,
            "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
            "invalid_request_error",
            null,
            "PermissionDenied",
          );
        }
        const body = parseBody(req);
        if (body.stream_options !== undefined && version.slice(0, 10) < "2024-09-01")
          throw bad("Unrecognized request argument supplied: stream_options");
        return TASKS[azure[2]!]!(body, res, "azure", decodeURIComponent(azure[1]!));
      }
      const auth = String(req.headers.authorization ?? "");
      const key = /^Bearer (.+)$/.exec(auth)?.[1];
      if (!key)
        throw new OpenAiError(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        );
      if (!key.startsWith("sk-") || key.startsWith("sk-invalid"))
        throw new OpenAiError(
          401,
          `Incorrect API key provided: ${key.slice(0, 8)}*****. You can find your API key at https://platform.openai.com/account/api-keys.`,
          "invalid_request_error",
          null,
          "invalid_api_key",
        );
      return TASKS[openai![1]!]!(parseBody(req), res, "openai");
    } catch (e) {
      if (e instanceof OpenAiError) return sendError(res, flavor, e);
      throw e;
    }
  });
  return { providers: ["openai", "microsoft-entra"], url: server.url, close: server.close };
}
