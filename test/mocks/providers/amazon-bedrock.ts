/**
 * Local stand-in for the Amazon Bedrock runtime: POST /model/{modelId}/converse,
 * /model/{modelId}/converse-stream (binary `application/vnd.amazon.eventstream` frames with CRC32s,
 * `:event-type` messageStart … metadata, `:message-type: exception` for errors) and
 * /model/{modelId}/invoke (Titan and Cohere embedding bodies).
 *
 * Every request must carry a valid SigV4 signature (service `bedrock`) made with the test key below:
 * the mock recomputes it from what it received (method, raw path, query, signed headers, body hash)
 * and answers 403 InvalidSignatureException when it differs, 403 UnrecognizedClientException for an
 * unknown key. Errors are `{"message": …}` with `x-amzn-ErrorType`, as Bedrock sends them.
 *
 * Scripted by model id: fail-400 (ValidationException) / fail-401 (403 UnrecognizedClientException —
 * Bedrock never answers 401) / fail-429 (ThrottlingException, retry-after: 1) / fail-500 / fail-503;
 * "midstream-error" → a stream that ends with a modelStreamErrorException; a model id containing
 * "tool" answers with a toolUse of the first tool; otherwise "Echo: <last user text>".
 */
import crypto from "node:crypto";
import type http from "node:http";
import type { ProviderMock } from "./index";
import {
  deltas,
  embeddingFor,
  isObject,
  scriptedFailure,
  sendJson,
  startRecordingServer,
  tokens,
  type MockRequest,
} from "./_openai-wire";

/** The AWS key pair the mock accepts (AWS's documentation example key). */
export const BEDROCK_TEST_KEY = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

class BedrockError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
const validation = (message: string) => new BedrockError(400, "ValidationException", message);

const SCRIPTED: Record<number, BedrockError> = {
  400: validation("The provided model identifier is invalid."),
  401: new BedrockError(403, "UnrecognizedClientException", "The security token included in the request is invalid."),
  429: new BedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again.", {
    "retry-after": "1",
  }),
  500: new BedrockError(
    500,
    "InternalServerException",
    "The server encountered an internal error while processing the request.",
  ),
  503: new BedrockError(503, "ServiceUnavailableException", "Bedrock is unable to process your request."),
};

// ---- SigV4 verification (an implementation of its own, independent of the gateway's aws4fetch) ----

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => crypto.createHmac("sha256", key).update(data).digest();
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function verifySignature(req: MockRequest, rawPath: string, region: { value?: string }) {
  const auth = String(req.headers.authorization ?? "");
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m)
    throw new BedrockError(
      403,
      "IncompleteSignatureException",
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
    );
  const [, keyId, date, scopeRegion, service, signedHeaders, signature] = m as unknown as string[];
  if (keyId !== BEDROCK_TEST_KEY.accessKeyId)
    throw new BedrockError(
      403,
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    );
  if (service !== "bedrock")
    throw new BedrockError(
      403,
      "InvalidSignatureException",
      `Credential should be scoped to correct service: 'bedrock'.`,
    );
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date!))
    throw new BedrockError(
      403,
      "InvalidSignatureException",
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.",
    );
  const when = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}` +
      `T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Math.abs(Date.now() - when) > 15 * 60_000)
    throw new BedrockError(403, "InvalidSignatureException", "Signature expired.");
  const names = signedHeaders!.split(";");
  if (!names.includes("host") || !names.includes("x-amz-date"))
    throw new BedrockError(403, "InvalidSignatureException", "host and x-amz-date must be signed.");
  const canonicalHeaders = names
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  // Non-S3 services: each path segment of the raw request path is URI-encoded once more.
  const canonicalPath = rawPath.split("/").map(rfc3986).join("/");
  const query = [...req.url.searchParams]
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join("&");
  const canonical = [req.method, canonicalPath, query, canonicalHeaders, signedHeaders, sha256(req.text)].join("\n");
  const scope = `${date}/${scopeRegion}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${BEDROCK_TEST_KEY.secretAccessKey}`, date!), scopeRegion!), service!),
    "aws4_request",
  );
  const expected = crypto.createHmac("sha256", key).update(toSign).digest("hex");
  if (expected !== signature)
    throw new BedrockError(
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your " +
        "AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  region.value = scopeRegion;
}

// ---- event-stream encoding ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const b of buf) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function frame(headers: Record<string, string>, payload: unknown): Buffer {
  const h = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name);
      const v = Buffer.from(value);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(v.length);
      return Buffer.concat([Buffer.from([n.length]), n, Buffer.from([7]), len, v]);
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const total = 16 + h.length + body.length;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(h.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const withoutCrc = Buffer.concat([prelude, h, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(withoutCrc));
  return Buffer.concat([withoutCrc, crc]);
}
const event = (type: string, payload: Record<string, unknown>) =>
  frame(
    { ":event-type": type, ":content-type": "application/json", ":message-type": "event" },
    { ...payload, p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ" },
  );
const exception = (type: string, message: string) =>
  frame({ ":exception-type": type, ":content-type": "application/json", ":message-type": "exception" }, { message });

// ---- Converse ----

const CONVERSE_FIELDS = new Set([
  "messages",
  "system",
  "inferenceConfig",
  "toolConfig",
  "guardrailConfig",
  "additionalModelRequestFields",
  "promptVariables",
  "additionalModelResponseFieldPaths",
  "requestMetadata",
  "performanceConfig",
]);
const INFERENCE_FIELDS = new Set(["maxTokens", "temperature", "topP", "stopSequences"]);
const BLOCK_KINDS = [
  "text",
  "image",
  "document",
  "video",
  "toolUse",
  "toolResult",
  "guardContent",
  "reasoningContent",
  "cachePoint",
];

function extraneous(key: string) {
  return validation(
    `Malformed input request: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
  );
}

interface Tool {
  name: string;
  schema: Record<string, unknown>;
}

function validateConverse(body: Record<string, unknown>): {
  lastUserText: string;
  promptText: string;
  tools: Tool[];
  lastIsToolResult: string | null;
} {
  for (const k of Object.keys(body)) if (!CONVERSE_FIELDS.has(k)) throw extraneous(k);
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw validation(
      "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
    );
  let promptText = "";
  let lastUserText = "";
  let lastIsToolResult: string | null = null;
  let pendingToolUses = new Set<string>();
  body.messages.forEach((m, i) => {
    if (!isObject(m)) throw validation(`messages.${i} must be an object`);
    for (const k of Object.keys(m)) if (k !== "role" && k !== "content") throw extraneous(k);
    if (m.role !== "user" && m.role !== "assistant")
      throw validation(
        `1 validation error detected: Value '${String(m.role)}' at 'messages.${i + 1}.member.role' ` +
          `failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    if (i === 0 && m.role !== "user")
      throw validation(
        "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
      );
    if (i > 0 && (body.messages as { role: string }[])[i - 1]!.role === m.role)
      throw validation(
        "A conversation must alternate between user and assistant roles. Make sure " +
          "the conversation alternates between user and assistant roles and try again.",
      );
    if (!Array.isArray(m.content) || m.content.length === 0)
      throw validation(
        `The content field in the Message object at messages.${i} is empty. ` +
          `Add a ContentBlock object to the content field and try again.`,
      );
    let text = "";
    const toolUses = new Set<string>();
    lastIsToolResult = null;
    m.content.forEach((b, j) => {
      const kinds = isObject(b) ? Object.keys(b) : [];
      if (kinds.length !== 1 || !BLOCK_KINDS.includes(kinds[0]!))
        throw validation(
          `messages.${i}.content.${j}: a ContentBlock must have exactly one of ${BLOCK_KINDS.join(", ")}`,
        );
      const block = b as Record<string, any>;
      if ("text" in block) {
        if (typeof block.text !== "string" || !block.text)
          throw validation(`messages.${i}.content.${j}.text must be a non-empty string`);
        text += block.text;
      } else if ("toolUse" in block) {
        if (m.role !== "assistant") throw validation("toolUse blocks are only allowed in assistant messages");
        const t = block.toolUse;
        if (!isObject(t) || typeof t.toolUseId !== "string" || typeof t.name !== "string" || !isObject(t.input))
          throw validation(`messages.${i}.content.${j}.toolUse must be {toolUseId, name, input: object}`);
        toolUses.add(t.toolUseId);
      } else if ("toolResult" in block) {
        if (m.role !== "user") throw validation("toolResult blocks are only allowed in user messages");
        const r = block.toolResult;
        if (!isObject(r) || typeof r.toolUseId !== "string" || !Array.isArray(r.content))
          throw validation(`messages.${i}.content.${j}.toolResult must be {toolUseId, content: [...]}`);
        if (!pendingToolUses.has(r.toolUseId))
          throw validation(
            `The toolUseId ${r.toolUseId} in a toolResult block does not match a toolUse block of the previous turn.`,
          );
        pendingToolUses.delete(r.toolUseId);
        const resultText = r.content
          .map((c: any) => (typeof c?.text === "string" ? c.text : JSON.stringify(c?.json ?? "")))
          .join("");
        text += resultText;
        lastIsToolResult = resultText;
      } else if ("image" in block) {
        const img = block.image;
        if (
          !isObject(img) ||
          !["png", "jpeg", "gif", "webp"].includes(String(img.format)) ||
          !isObject(img.source) ||
          typeof img.source.bytes !== "string"
        )
          throw validation(`messages.${i}.content.${j}.image must be {format, source: {bytes}}`);
      }
    });
    if (m.role === "user" && pendingToolUses.size)
      throw validation(
        `Expected toolResult blocks for the toolUse ids ${[...pendingToolUses].join(", ")} in the next user turn.`,
      );
    pendingToolUses = m.role === "assistant" ? toolUses : new Set();
    promptText += `${text}\n`;
    if (m.role === "user" && !lastIsToolResult) lastUserText = text;
  });
  if (body.system !== undefined) {
    if (!Array.isArray(body.system) || !body.system.every((s) => isObject(s) && typeof s.text === "string"))
      throw validation("system must be a list of {text} blocks");
    promptText += body.system.map((s: any) => s.text).join("\n");
  }
  if (body.inferenceConfig !== undefined) {
    if (!isObject(body.inferenceConfig)) throw validation("inferenceConfig must be an object");
    for (const k of Object.keys(body.inferenceConfig)) if (!INFERENCE_FIELDS.has(k)) throw extraneous(k);
    const t = body.inferenceConfig.temperature;
    if (t !== undefined && (typeof t !== "number" || t < 0 || t > 1))
      throw validation(
        "1 validation error detected: Value at 'inferenceConfig.temperature' failed " +
          "to satisfy constraint: Member must have value less than or equal to 1",
      );
  }
  const tools: Tool[] = [];
  if (body.toolConfig !== undefined) {
    const tc = body.toolConfig;
    if (!isObject(tc) || !Array.isArray(tc.tools) || !tc.tools.length)
      throw validation("toolConfig.tools must be a non-empty list");
    for (const k of Object.keys(tc)) if (k !== "tools" && k !== "toolChoice") throw extraneous(k);
    tc.tools.forEach((t, i) => {
      const spec = isObject(t) ? t.toolSpec : undefined;
      if (
        !isObject(spec) ||
        typeof spec.name !== "string" ||
        !isObject(spec.inputSchema) ||
        !isObject(spec.inputSchema.json)
      )
        throw validation(`toolConfig.tools.${i} must be {toolSpec: {name, inputSchema: {json}}}`);
      tools.push({ name: spec.name, schema: spec.inputSchema.json });
    });
    if (tc.toolChoice !== undefined) {
      const c = tc.toolChoice;
      if (!isObject(c) || Object.keys(c).length !== 1 || !["auto", "any", "tool"].includes(Object.keys(c)[0]!))
        throw validation("toolChoice must be one of {auto:{}}, {any:{}}, {tool:{name}}");
    }
  }
  return { lastUserText, promptText, tools, lastIsToolResult };
}

function inputFor(schema: Record<string, unknown>): Record<string, unknown> {
  const props = isObject(schema.properties) ? schema.properties : {};
  return Object.fromEntries(
    Object.entries(props).map(([k, s]) => [
      k,
      isObject(s) && (s.type === "number" || s.type === "integer")
        ? 1
        : isObject(s) && s.type === "boolean"
          ? true
          : "mock",
    ]),
  );
}

function converse(res: http.ServerResponse, modelId: string, body: Record<string, unknown>, stream: boolean) {
  const { lastUserText, promptText, tools, lastIsToolResult } = validateConverse(body);
  const tool = modelId.includes("tool") && tools[0] && lastIsToolResult === null ? tools[0] : null;
  const text = tool
    ? "Let me call a tool."
    : lastIsToolResult !== null
      ? `Tool result: ${lastIsToolResult}`
      : `Echo: ${lastUserText}`;
  const toolUse = tool
    ? {
        toolUseId: `tooluse_${crypto.randomBytes(11).toString("base64url")}`,
        name: tool.name,
        input: inputFor(tool.schema),
      }
    : null;
  const usage = {
    inputTokens: tokens(promptText),
    outputTokens: tokens(text) + (toolUse ? tokens(JSON.stringify(toolUse.input)) : 0),
    totalTokens: 0,
  };
  usage.totalTokens = usage.inputTokens + usage.outputTokens;
  const stopReason = toolUse ? "tool_use" : "end_turn";
  if (!stream) {
    const content: unknown[] = [{ text }];
    if (toolUse) content.push({ toolUse });
    return sendJson(
      res,
      200,
      { output: { message: { role: "assistant", content } }, stopReason, usage, metrics: { latencyMs: 42 } },
      { "x-amzn-requestid": crypto.randomUUID() },
    );
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": crypto.randomUUID() });
  res.write(event("messageStart", { role: "assistant" }));
  for (const d of deltas(text)) res.write(event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: d } }));
  res.write(event("contentBlockStop", { contentBlockIndex: 0 }));
  if (modelId.includes("midstream-error")) {
    res.end(exception("modelStreamErrorException", "The model stream failed."));
    return;
  }
  if (toolUse) {
    res.write(
      event("contentBlockStart", {
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } },
      }),
    );
    const input = JSON.stringify(toolUse.input);
    const mid = Math.ceil(input.length / 2);
    for (const part of [input.slice(0, mid), input.slice(mid)])
      if (part) res.write(event("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: part } } }));
    res.write(event("contentBlockStop", { contentBlockIndex: 1 }));
  }
  res.write(event("messageStop", { stopReason }));
  res.end(event("metadata", { usage, metrics: { latencyMs: 42 } }));
}

function invoke(res: http.ServerResponse, modelId: string, body: Record<string, unknown>) {
  if (modelId.startsWith("amazon.titan-embed")) {
    for (const k of Object.keys(body))
      if (!["inputText", "dimensions", "normalize", "embeddingTypes"].includes(k)) throw extraneous(k);
    if (typeof body.inputText !== "string" || !body.inputText)
      throw validation(
        "Malformed input request: #: required key [inputText] not found, please reformat your input and try again.",
      );
    if (body.dimensions !== undefined && ![256, 512, 1024].includes(body.dimensions as number))
      throw validation(
        "Malformed input request: #/dimensions: 7 is not a valid enum value, please reformat your input and try again.",
      );
    return sendJson(res, 200, {
      embedding: embeddingFor(body.inputText, (body.dimensions as number) ?? 8),
      inputTextTokenCount: tokens(body.inputText),
    });
  }
  if (modelId.startsWith("cohere.embed")) {
    for (const k of Object.keys(body))
      if (!["texts", "input_type", "truncate", "embedding_types", "images"].includes(k)) throw extraneous(k);
    if (!Array.isArray(body.texts) || body.texts.length > 96)
      throw validation(
        "Malformed input request: #/texts: expected maximum item count: 96, please reformat your input and try again.",
      );
    if (!["search_document", "search_query", "classification", "clustering"].includes(String(body.input_type)))
      throw validation(
        "Malformed input request: #: required key [input_type] not found, please reformat your input and try again.",
      );
    const texts = body.texts as string[];
    return sendJson(res, 200, {
      id: crypto.randomUUID(),
      texts,
      embeddings: texts.map((t) => embeddingFor(t)),
      response_type: "embeddings_floats",
    });
  }
  throw validation(
    `The provided model identifier is invalid (this mock embeds ` +
      `with amazon.titan-embed-* and cohere.embed-*, not ${modelId}).`,
  );
}

export default async function start(): Promise<ProviderMock> {
  const server = await startRecordingServer("amazon-bedrock", (req, res) => {
    try {
      const rawPath = req.record.url.split("?")[0]!;
      const m = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(rawPath);
      if (req.method !== "POST" || !m)
        throw new BedrockError(404, "UnknownOperationException", `Unknown operation: ${req.method} ${rawPath}`);
      verifySignature(req, rawPath, {});
      const modelId = decodeURIComponent(m[1]!);
      const action = m[2]!;
      let body: unknown;
      try {
        body = JSON.parse(req.text);
      } catch {
        throw new BedrockError(400, "SerializationException", "Malformed request body: not JSON.");
      }
      if (!isObject(body))
        throw new BedrockError(400, "SerializationException", "The request body must be a JSON object.");
      const failure = SCRIPTED[scriptedFailure(modelId) ?? 0];
      if (failure) throw failure;
      if (action === "invoke") return invoke(res, modelId, body);
      return converse(res, modelId, body, action === "converse-stream");
    } catch (e) {
      if (!(e instanceof BedrockError)) throw e;
      sendJson(
        res,
        e.status,
        { message: e.message },
        {
          "x-amzn-errortype": `${e.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
          "x-amzn-requestid": crypto.randomUUID(),
          ...e.headers,
        },
      );
    }
  });
  return { providers: ["amazon-bedrock"], url: server.url, close: server.close };
}
