import { DATABRICKS_QUERY_EXTRA_FIELDS, errors } from "@edgeserve/api";
import { convertToConverseMessages } from "./convert-to-converse-messages";
import { convertToConverseTools } from "./convert-to-converse-tools";

export type BedrockProvider = "anthropic" | "cohere" | "ai21labs" | "amazon";

/** Fields that change nothing in what the model generates. */
const NO_EFFECT = new Set(["model", "stream", "stream_options", "user", ...DATABRICKS_QUERY_EXTRA_FIELDS]);

/**
 * Converse request fields that `extra_params` may set at the top level; any other extra goes to
 * additionalModelRequestFields.
 */
const CONVERSE_TOP_LEVEL = new Set([
  "guardrailConfig",
  "performanceConfig",
  "requestMetadata",
  "additionalModelResponseFieldPaths",
  "promptVariables",
]);

/** `top_k` is not part of Converse's inferenceConfig: each model family takes it under its own name. */
function topK(provider: BedrockProvider, k: number): Record<string, unknown> {
  switch (provider) {
    case "anthropic":
      return { top_k: k };
    case "cohere":
      return { k };
    case "amazon":
      return { inferenceConfig: { topK: k } };
    default:
      throw errors.invalid(`Amazon Bedrock's ${provider} models do not support 'top_k'.`);
  }
}

function rejectUnknown(body: Record<string, unknown>, handled: readonly string[]) {
  for (const key of Object.keys(body)) {
    if (body[key] === undefined || NO_EFFECT.has(key) || handled.includes(key)) continue;
    throw errors.invalid(`Amazon Bedrock (Converse) does not support the parameter '${key}'.`);
  }
}

function inferenceAndExtras(body: Record<string, unknown>, provider: BedrockProvider): Record<string, unknown> {
  if (body.n !== undefined && body.n !== 1) throw errors.invalid("Amazon Bedrock does not support 'n' greater than 1.");
  const inference: Record<string, unknown> = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (body.temperature !== undefined) inference.temperature = body.temperature;
  if (body.top_p !== undefined) inference.topP = body.top_p;
  if (body.stop !== undefined) inference.stopSequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  const out: Record<string, unknown> = {};
  if (Object.keys(inference).length) out.inferenceConfig = inference;
  let additional: Record<string, unknown> = body.top_k !== undefined ? topK(provider, body.top_k as number) : {};
  const extra = body.extra_params;
  if (extra && typeof extra === "object") {
    for (const [key, value] of Object.entries(extra as Record<string, unknown>)) {
      if (CONVERSE_TOP_LEVEL.has(key)) out[key] = value;
      else additional = { ...additional, [key]: value };
    }
  }
  if (Object.keys(additional).length) out.additionalModelRequestFields = additional;
  return out;
}

/**
 * An OpenAI chat request → the body of Converse / ConverseStream (the model id is in the URL).
 * `extra_params` are model-specific fields (`additionalModelRequestFields`) or Converse's own
 * top-level options such as `guardrailConfig`.
 */
export function buildConverseRequest(
  body: Record<string, unknown>,
  provider: BedrockProvider,
): Record<string, unknown> {
  rejectUnknown(body, [
    "messages",
    "n",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "top_k",
    "stop",
    "tools",
    "tool_choice",
    "response_format",
    "parallel_tool_calls",
  ]);
  const format = (body.response_format as { type?: string } | undefined)?.type;
  if (format !== undefined && format !== "text")
    throw errors.invalid(`Amazon Bedrock's Converse API does not support response_format '${format}' (JSON mode).`);
  if (body.parallel_tool_calls === false)
    throw errors.invalid(
      "Amazon Bedrock does not support turning off parallel tool calls (parallel_tool_calls: false).",
    );
  const prompt = convertToConverseMessages(body.messages as Parameters<typeof convertToConverseMessages>[0]);
  const toolConfig = convertToConverseTools(
    body.tools as Parameters<typeof convertToConverseTools>[0],
    body.tool_choice,
  );
  return { ...prompt, ...(toolConfig ? { toolConfig } : {}), ...inferenceAndExtras(body, provider) };
}

/**
 * llm/v1/completions through Converse (Bedrock's text-completion APIs differ per model family and
 * many current models only chat): the prompt is one user message, the answer's text the completion.
 */
export function buildConverseCompletionsRequest(
  body: Record<string, unknown>,
  provider: BedrockProvider,
): Record<string, unknown> {
  rejectUnknown(body, ["prompt", "n", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop"]);
  const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
  if (prompts.length !== 1)
    throw errors.invalid("Amazon Bedrock serves completions through its Converse API: give one prompt per request.");
  return {
    messages: [{ role: "user", content: [{ text: String(prompts[0]) }] }],
    ...inferenceAndExtras(body, provider),
  };
}
