/**
 * The Gemini `generateContent` wire format shared by the Vertex AI mock (google-cloud-vertex-ai.ts)
 * and the Gemini API mock (palm.ts): request validation with Google's own error bodies, deterministic
 * answers, and the `streamGenerateContent?alt=sse` framing (`data: <json>\r\n\r\n`).
 * (Files starting with `_` are helpers, not mocks: index.ts does not start them.)
 */
import crypto from "node:crypto";
import type http from "node:http";

export interface RecordedRequest {
  seq: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/** A Google API error: `{"error":{"code","message","status"}}` with the HTTP status. */
export class GoogleError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: string,
    readonly extra: { details?: unknown[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
  body() {
    return {
      error: {
        code: this.code,
        message: this.message,
        status: this.status,
        ...(this.extra.details ? { details: this.extra.details } : {}),
      },
    };
  }
}

export const unknownField = (name: string, at?: string) =>
  new GoogleError(
    400,
    `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ""}: Cannot find field.`,
    "INVALID_ARGUMENT",
  );
export const invalid = (message: string) => new GoogleError(400, message, "INVALID_ARGUMENT");

/** Scripted failures by model name, in Google's format. */
export function scriptedFailure(model: string): GoogleError | null {
  switch (model) {
    case "fail-400":
      return invalid("Request contains an invalid argument.");
    case "fail-401":
      return new GoogleError(
        401,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "UNAUTHENTICATED",
      );
    case "fail-429":
      return new GoogleError(429, "Resource exhausted. Please try again later.", "RESOURCE_EXHAUSTED", {
        headers: { "retry-after": "3" },
      });
    case "fail-500":
      return new GoogleError(500, "Internal error encountered.", "INTERNAL");
    case "fail-503":
      return new GoogleError(503, "The model is overloaded. Please try again later.", "UNAVAILABLE");
    default:
      return null;
  }
}

function checkKeys(obj: unknown, allowed: string[], at: string): Record<string, any> {
  if (!obj || typeof obj !== "object" || Array.isArray(obj))
    throw invalid(`Invalid value at '${at}': expected an object.`);
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw unknownField(key, at);
  return obj as Record<string, any>;
}

const SCHEMA_KEYS = [
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "anyOf",
  "propertyOrdering",
  "default",
  "items",
  "minimum",
  "maximum",
];
const TYPES = ["string", "number", "integer", "boolean", "array", "object", "null"];

function checkSchema(schema: unknown, at: string): void {
  const s = checkKeys(schema, SCHEMA_KEYS, at);
  if (s.type !== undefined && !TYPES.includes(String(s.type).toLowerCase()))
    throw invalid(`Invalid value at '${at}.type' (type.googleapis.com/google.cloud.aiplatform.v1.Type), "${s.type}"`);
  if (s.properties) for (const [k, v] of Object.entries(s.properties)) checkSchema(v, `${at}.properties[${k}].value`);
  if (s.items) checkSchema(s.items, `${at}.items`);
  if (s.anyOf) (s.anyOf as unknown[]).forEach((a, i) => checkSchema(a, `${at}.any_of[${i}]`));
  if (String(s.type).toLowerCase() === "object" && s.properties && Object.keys(s.properties).length === 0)
    throw invalid(`${at}.properties: should be non-empty for OBJECT type`);
}

const PART_KINDS = ["text", "inlineData", "fileData", "functionCall", "functionResponse"];
const GENERATION_KEYS = [
  "temperature",
  "topP",
  "topK",
  "candidateCount",
  "maxOutputTokens",
  "stopSequences",
  "presencePenalty",
  "frequencyPenalty",
  "seed",
  "responseMimeType",
  "responseSchema",
  "responseLogprobs",
  "logprobs",
  "thinkingConfig",
  "responseModalities",
];

/** Validates a GenerateContentRequest as Google does (unknown fields are 400 INVALID_ARGUMENT). */
export function validateGenerateContent(body: unknown): Record<string, any> {
  const req = checkKeys(
    body,
    [
      "contents",
      "systemInstruction",
      "tools",
      "toolConfig",
      "generationConfig",
      "safetySettings",
      "labels",
      "cachedContent",
    ],
    "",
  );
  if (!Array.isArray(req.contents) || req.contents.length === 0)
    throw invalid("* GenerateContentRequest.contents: contents is not specified\n");
  req.contents.forEach((c: unknown, i: number) => {
    const content = checkKeys(c, ["role", "parts"], `contents[${i}]`);
    if (!["user", "model"].includes(content.role)) throw invalid(`Please use a valid role: user, model.`);
    if (!Array.isArray(content.parts) || content.parts.length === 0)
      throw invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
    content.parts.forEach((p: unknown, j: number) => {
      const part = checkKeys(p, [...PART_KINDS, "thought", "thoughtSignature"], `contents[${i}].parts[${j}]`);
      const kinds = PART_KINDS.filter((k) => part[k] !== undefined);
      if (kinds.length !== 1)
        throw invalid(
          `* GenerateContentRequest.contents[${i}].parts[${j}].data: ` +
            `required oneof field 'data' must have one initialized field\n`,
        );
      if (part.functionCall)
        checkKeys(part.functionCall, ["name", "args", "id"], `contents[${i}].parts[${j}].function_call`);
      if (part.functionResponse) {
        const fr = checkKeys(
          part.functionResponse,
          ["name", "response", "id"],
          `contents[${i}].parts[${j}].function_response`,
        );
        if (!fr.response || typeof fr.response !== "object" || Array.isArray(fr.response))
          throw invalid(
            `Invalid value at 'contents[${i}].parts[${j}].function_response.response' ` +
              `(type.googleapis.com/google.protobuf.Struct)`,
          );
      }
      if (part.inlineData) checkKeys(part.inlineData, ["mimeType", "data"], `contents[${i}].parts[${j}].inline_data`);
    });
  });
  if (req.systemInstruction !== undefined) {
    const si = checkKeys(req.systemInstruction, ["role", "parts"], "system_instruction");
    if (!Array.isArray(si.parts)) throw invalid("system_instruction.parts must be a list");
    si.parts.forEach((p: unknown, j: number) => checkKeys(p, ["text"], `system_instruction.parts[${j}]`));
  }
  if (req.tools !== undefined) {
    if (!Array.isArray(req.tools)) throw invalid("Invalid value at 'tools': expected a list.");
    req.tools.forEach((t: unknown, i: number) => {
      const tool = checkKeys(t, ["functionDeclarations", "googleSearch", "codeExecution"], `tools[${i}]`);
      (tool.functionDeclarations ?? []).forEach((d: unknown, j: number) => {
        const decl = checkKeys(
          d,
          ["name", "description", "parameters", "response"],
          `tools[${i}].function_declarations[${j}]`,
        );
        if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(String(decl.name ?? "")))
          throw invalid(
            `* GenerateContentRequest.tools[${i}].function_declarations[${j}].name: Invalid function name.\n`,
          );
        if (decl.parameters !== undefined)
          checkSchema(decl.parameters, `tools[${i}].function_declarations[${j}].parameters`);
      });
    });
  }
  if (req.toolConfig !== undefined) {
    const tc = checkKeys(req.toolConfig, ["functionCallingConfig"], "tool_config");
    const fcc = checkKeys(
      tc.functionCallingConfig,
      ["mode", "allowedFunctionNames"],
      "tool_config.function_calling_config",
    );
    if (!["AUTO", "ANY", "NONE", "VALIDATED"].includes(fcc.mode))
      throw invalid(`Invalid value at 'tool_config.function_calling_config.mode', "${fcc.mode}"`);
  }
  if (req.generationConfig !== undefined) {
    const g = checkKeys(req.generationConfig, GENERATION_KEYS, "generation_config");
    if (g.responseSchema !== undefined) checkSchema(g.responseSchema, "generation_config.response_schema");
    if (g.temperature !== undefined && (typeof g.temperature !== "number" || g.temperature < 0 || g.temperature > 2))
      throw invalid("Unable to submit request because it has a temperature value outside the supported range.");
    if (g.candidateCount !== undefined && (g.candidateCount < 1 || g.candidateCount > 8))
      throw invalid("Only 1 to 8 candidates are supported.");
    if (g.stopSequences !== undefined && !Array.isArray(g.stopSequences))
      throw invalid("Invalid value at 'generation_config.stop_sequences'");
  }
  return req;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function allText(req: Record<string, any>): string {
  const parts = [...(req.systemInstruction?.parts ?? []), ...req.contents.flatMap((c: any) => c.parts)];
  return parts.map((p: any) => p.text ?? JSON.stringify(p.functionCall ?? p.functionResponse ?? "")).join(" ");
}

/** Arguments that satisfy a declaration's schema: strings "Paris", numbers 1, booleans true. */
function sampleArgs(schema: any): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries<any>(schema?.properties ?? {})) {
    const type = String(prop?.type ?? "string").toLowerCase();
    args[name] = prop?.enum
      ? prop.enum[0]
      : type === "number" || type === "integer"
        ? 1
        : type === "boolean"
          ? true
          : type === "object"
            ? {}
            : type === "array"
              ? []
              : "Paris";
  }
  return args;
}

interface Answer {
  parts: Record<string, unknown>[];
  finishReason: string;
  outputTokens: number;
}

/** The deterministic answer: a function call for "tool" models, else `Echo: <last user text>`. */
function answer(model: string, req: Record<string, any>): Answer {
  const last = req.contents.at(-1);
  const decl = req.tools?.[0]?.functionDeclarations?.[0];
  const mode = req.toolConfig?.functionCallingConfig?.mode ?? "AUTO";
  const lastIsResult = last.parts.some((p: any) => p.functionResponse);
  if (model.includes("tool") && decl && mode !== "NONE" && !lastIsResult) {
    const name = req.toolConfig?.functionCallingConfig?.allowedFunctionNames?.[0] ?? decl.name;
    const chosen = req.tools[0].functionDeclarations.find((d: any) => d.name === name) ?? decl;
    return {
      parts: [{ functionCall: { name: chosen.name, args: sampleArgs(chosen.parameters) } }],
      finishReason: "STOP",
      outputTokens: 5,
    };
  }
  let text = lastIsResult
    ? `Tool result: ${JSON.stringify(last.parts.find((p: any) => p.functionResponse).functionResponse.response)}`
    : `Echo: ${last.parts.map((p: any) => p.text ?? "").join("")}`;
  if (req.generationConfig?.responseMimeType === "application/json") text = JSON.stringify({ echo: text });
  let finishReason = "STOP";
  const max = req.generationConfig?.maxOutputTokens;
  if (typeof max === "number" && words(text) > max) {
    text = text.split(/\s+/).slice(0, max).join(" ");
    finishReason = "MAX_TOKENS";
  }
  return { parts: [{ text }], finishReason, outputTokens: words(text) };
}

let responseCounter = 0;

/** Answers generateContent (JSON) or streamGenerateContent?alt=sse on `res`. */
export function serveGenerate(
  res: http.ServerResponse,
  model: string,
  req: Record<string, any>,
  stream: boolean,
  modelVersion: string,
): number {
  const a = answer(model, req);
  const n = req.generationConfig?.candidateCount ?? 1;
  const promptTokenCount = words(allText(req));
  const responseId = `mockresp${++responseCounter}`;
  if (!stream) {
    const body = {
      candidates: Array.from({ length: n }, (_, index) => ({
        content: { role: "model", parts: a.parts },
        finishReason: a.finishReason,
        avgLogprobs: -0.1,
        index,
      })),
      usageMetadata: {
        promptTokenCount,
        candidatesTokenCount: a.outputTokens * n,
        totalTokenCount: promptTokenCount + a.outputTokens * n,
      },
      modelVersion,
      responseId,
    };
    res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
    res.end(JSON.stringify(body, null, 2));
    return 200;
  }
  // Text arrives in pieces (each event a whole GenerateContentResponse); a function call in one event.
  const pieces: Record<string, unknown>[][] = [];
  const text = (a.parts[0] as { text?: string }).text;
  if (text !== undefined) {
    const cut1 = Math.ceil(text.length / 3);
    const cut2 = Math.ceil((2 * text.length) / 3);
    for (const piece of [text.slice(0, cut1), text.slice(cut1, cut2), text.slice(cut2)])
      if (piece) pieces.push([{ text: piece }]);
  } else pieces.push(a.parts);
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  pieces.forEach((parts, i) => {
    const last = i === pieces.length - 1;
    const event = {
      candidates: Array.from({ length: n }, (_, index) => ({
        content: { parts, role: "model" },
        ...(last ? { finishReason: a.finishReason } : {}),
        index,
      })),
      usageMetadata: last
        ? {
            promptTokenCount,
            candidatesTokenCount: a.outputTokens * n,
            totalTokenCount: promptTokenCount + a.outputTokens * n,
          }
        : { promptTokenCount, totalTokenCount: promptTokenCount },
      modelVersion,
      createTime: new Date().toISOString(),
      responseId,
    };
    res.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
  });
  res.end();
  return 200;
}

/** A deterministic unit-ish vector for a text. */
export function embeddingOf(text: string, dims: number): number[] {
  const hash = crypto.createHash("sha256").update(text).digest();
  return Array.from({ length: dims }, (_, i) => Math.round(((hash[i % hash.length]! - 128) / 128) * 1e6) / 1e6);
}

export const wordCount = words;

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendGoogleError(res: http.ServerResponse, e: GoogleError): number {
  res.writeHead(e.code, { "content-type": "application/json; charset=UTF-8", ...(e.extra.headers ?? {}) });
  res.end(JSON.stringify(e.body(), null, 2));
  return e.code;
}

/** The control routes every mock has: GET/DELETE /__mock/requests. Returns true when handled. */
export function serveControl(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  requests: RecordedRequest[],
): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== "/__mock/requests") return false;
  if (req.method === "DELETE") requests.length = 0;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ requests }));
  return true;
}

export function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") out[k] = v;
  return out;
}
