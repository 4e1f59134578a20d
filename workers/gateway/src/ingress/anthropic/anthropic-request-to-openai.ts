import { errors } from "@edgeserve/api";

/**
 * Anthropic Messages request → OpenAI chat-completions body, so any chat endpoint (whatever provider
 * is behind it) can answer Anthropic's SDK. Errors are ApiError 400s naming the field the way
 * Anthropic does (`messages.0.content.1.type: …`); the route renders them in Anthropic's error shape.
 */

type Block = Record<string, unknown> & { type?: unknown };

const FIELDS = new Set([
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
  "output_config",
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function imagePart(block: Block, where: string) {
  const source = block.source as Record<string, unknown> | undefined;
  if (source?.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string")
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  if (source?.type === "url" && typeof source.url === "string")
    return { type: "image_url", image_url: { url: source.url } };
  throw errors.invalid(`${where}.source: only base64 and url image sources are supported.`);
}

/** A tool_result's content (string or text blocks) → the OpenAI tool message's text. */
function toolResultText(block: Block, where: string): string {
  const prefix = block.is_error === true ? "Error: " : "";
  const content = block.content;
  if (content === undefined) return prefix;
  if (typeof content === "string") return prefix + content;
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content: must be a string or a list of content blocks.`);
  return (
    prefix +
    content
      .map((b: Block, i) => {
        if (b?.type === "text" && typeof b.text === "string") return b.text;
        throw errors.invalid(`${where}.content.${i}.type: only text is supported inside a tool_result here.`);
      })
      .join("\n")
  );
}

function convertUser(content: unknown, where: string): Record<string, unknown>[] {
  if (typeof content === "string") return [{ role: "user", content }];
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content: Input should be a valid string or list.`);
  const toolMessages: Record<string, unknown>[] = [];
  const parts: Record<string, unknown>[] = [];
  content.forEach((block: Block, i) => {
    const at = `${where}.content.${i}`;
    if (block?.type === "text" && typeof block.text === "string") parts.push({ type: "text", text: block.text });
    else if (block?.type === "image") parts.push(imagePart(block, at));
    else if (block?.type === "tool_result") {
      if (typeof block.tool_use_id !== "string") throw errors.invalid(`${at}.tool_use_id: Field required`);
      toolMessages.push({ role: "tool", tool_call_id: block.tool_use_id, content: toolResultText(block, at) });
    } else
      throw errors.invalid(`${at}.type: '${String(block?.type)}' content blocks are not supported by this gateway.`);
  });
  // OpenAI wants tool results right after the assistant's tool calls, so they come first.
  return [...toolMessages, ...(parts.length ? [{ role: "user", content: parts }] : [])];
}

function convertAssistant(content: unknown, where: string): Record<string, unknown> {
  if (typeof content === "string") return { role: "assistant", content };
  if (!Array.isArray(content)) throw errors.invalid(`${where}.content: Input should be a valid string or list.`);
  let text = "";
  const toolCalls: Record<string, unknown>[] = [];
  content.forEach((block: Block, i) => {
    const at = `${where}.content.${i}`;
    if (block?.type === "text" && typeof block.text === "string") text += block.text;
    else if (block?.type === "tool_use") {
      if (typeof block.id !== "string" || typeof block.name !== "string")
        throw errors.invalid(`${at}: tool_use needs id and name.`);
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    } else if (block?.type === "thinking" || block?.type === "redacted_thinking") {
      // The model's own earlier reasoning: only Anthropic can read it back, other providers have no place for it.
    } else
      throw errors.invalid(`${at}.type: '${String(block?.type)}' content blocks are not supported by this gateway.`);
  });
  return {
    role: "assistant",
    content: text === "" && toolCalls.length ? null : text,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
}

function systemText(system: unknown): string {
  if (typeof system === "string") return system;
  if (!Array.isArray(system)) throw errors.invalid("system: Input should be a valid string or list.");
  return system
    .map((b: Block, i) => {
      if (b?.type === "text" && typeof b.text === "string") return b.text;
      throw errors.invalid(`system.${i}.type: only text blocks are allowed in system.`);
    })
    .join("\n");
}

function convertTools(tools: unknown): Record<string, unknown>[] {
  if (!Array.isArray(tools)) throw errors.invalid("tools: Input should be a valid list.");
  return tools.map((t: Block, i) => {
    if (t?.type !== undefined && t.type !== "custom")
      throw errors.invalid(`tools.${i}.type: server tools ('${String(t.type)}') are not supported by this gateway.`);
    if (typeof t.name !== "string" || !t.name) throw errors.invalid(`tools.${i}.name: Field required`);
    if (!isObject(t.input_schema)) throw errors.invalid(`tools.${i}.input_schema: Field required`);
    return {
      type: "function",
      function: {
        name: t.name,
        ...(typeof t.description === "string" ? { description: t.description } : {}),
        parameters: t.input_schema,
      },
    };
  });
}

function convertToolChoice(choice: unknown): { tool_choice?: unknown; parallel_tool_calls?: boolean } {
  if (!isObject(choice)) throw errors.invalid("tool_choice: Input should be an object.");
  const parallel = choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case "auto":
      return { tool_choice: "auto", ...parallel };
    case "any":
      return { tool_choice: "required", ...parallel };
    case "none":
      return { tool_choice: "none" };
    case "tool":
      if (typeof choice.name !== "string") throw errors.invalid("tool_choice.name: Field required");
      return { tool_choice: { type: "function", function: { name: choice.name } }, ...parallel };
    default:
      throw errors.invalid("tool_choice.type: must be one of 'auto', 'any', 'tool', 'none'.");
  }
}

export function anthropicRequestToOpenAi(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(body))
    if (!FIELDS.has(key)) throw errors.invalid(`${key}: Extra inputs are not permitted`);
  if (typeof body.model !== "string" || body.model === "")
    throw errors.invalid("model: Field required (the name of the serving endpoint).");
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)
    throw errors.invalid("max_tokens: Field required (a positive integer).");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw errors.invalid("messages: Field required (at least one message).");

  const messages: Record<string, unknown>[] = [];
  if (body.system !== undefined) {
    const text = systemText(body.system);
    if (text) messages.push({ role: "system", content: text });
  }
  body.messages.forEach((m: Record<string, unknown>, i) => {
    const where = `messages.${i}`;
    if (m?.role === "user") messages.push(...convertUser(m.content, where));
    else if (m?.role === "assistant") messages.push(convertAssistant(m.content, where));
    else throw errors.invalid(`${where}.role: Input should be 'user' or 'assistant'`);
  });

  const out: Record<string, unknown> = { model: body.model, messages, max_tokens: body.max_tokens };
  for (const field of ["temperature", "top_p", "top_k"]) if (body[field] !== undefined) out[field] = body[field];
  if (body.stop_sequences !== undefined) out.stop = body.stop_sequences;
  if (body.stream === true) {
    out.stream = true;
    // Anthropic streams always end with the token counts, so ask for them.
    out.stream_options = { include_usage: true };
  }
  if (isObject(body.metadata) && typeof body.metadata.user_id === "string") out.user = body.metadata.user_id;
  if (body.tools !== undefined) {
    const tools = convertTools(body.tools);
    if (tools.length) out.tools = tools;
  }
  if (body.tool_choice !== undefined) Object.assign(out, convertToolChoice(body.tool_choice));
  if (isObject(body.thinking) && body.thinking.type !== "disabled")
    throw errors.invalid("thinking: extended thinking is not supported through this gateway's Anthropic-format route.");
  if (body.output_config !== undefined) {
    const config = body.output_config as { format?: { type?: string; schema?: unknown }; [k: string]: unknown };
    for (const key of Object.keys(config ?? {}))
      if (key !== "format") throw errors.invalid(`output_config.${key}: not supported by this gateway.`);
    if (config.format) {
      if (config.format.type !== "json_schema" || !isObject(config.format.schema))
        throw errors.invalid("output_config.format: must be {type: 'json_schema', schema}.");
      out.response_format = { type: "json_schema", json_schema: { name: "output", schema: config.format.schema } };
    }
  }
  return out;
}
