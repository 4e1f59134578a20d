import type { ApiError } from "@edgeserve/api";
import { jsonResponse, textResponse } from "../../../http/known-body-text";
import { withEncodingFormat } from "./embeddings-encoding";
import { forwardOpenAiStream } from "./forward-openai-stream";
import { fromOpenAiUsage, openAiOutputText } from "./openai-answer-schema";
import { parseOpenAiAnswer, parseOpenAiEmbeddings } from "./parse-openai-json";
import type { UnifiedUsage } from "./unified";
import { estimatedUsage, estimateTokens } from "./usage";

/** Asks an OpenAI-compatible upstream to end its stream with usage, so streamed calls are counted exactly. */
export function withStreamUsage(body: Record<string, unknown>): Record<string, unknown> {
  if (body.stream !== true) return body;
  const options =
    body.stream_options && typeof body.stream_options === "object"
      ? (body.stream_options as Record<string, unknown>)
      : {};
  return { ...body, stream_options: { ...options, include_usage: true } };
}

export interface ForwardOptions {
  /** The provider's name in error messages. */
  provider: string;
  /** Removes the endpoint's credentials from a provider's text in an error event (ProviderCall.redact). */
  redact(text: string): string;
  stream: boolean;
  clientWantsUsage: boolean;
  promptText: string;
  /** llm/v1/embeddings, and the `encoding_format` the client asked for (answered so whatever the upstream sent). */
  embeddings?: { encodingFormat: unknown };
  onUsage: (usage: UnifiedUsage, failed?: ApiError) => void;
}

/**
 * Forwards an OpenAI-format answer unchanged while reading its usage (or estimating it). A JSON body
 * is passed through as the same text, once it is known to hold what the gateway reads (a body that is
 * not JSON, lacks `choices` or breaks off is a 502 naming why); embeddings are re-encoded only when the
 * upstream answered in another encoding than the client asked for. A stream: see forwardOpenAiStream.
 */
export async function forwardOpenAiResponse(response: Response, options: ForwardOptions): Promise<Response> {
  if (options.stream && response.body) return forwardOpenAiStream(response.body, options);
  const text = await response.text();
  if (options.embeddings) {
    const json = parseOpenAiEmbeddings(text, options.provider);
    options.onUsage(
      fromOpenAiUsage(json.usage) ?? {
        promptTokens: estimateTokens(options.promptText),
        completionTokens: 0,
        estimated: true,
      },
    );
    const answer = withEncodingFormat(json, options.embeddings.encodingFormat, options.provider);
    return answer === json
      ? textResponse(text, { status: 200, headers: { "content-type": "application/json" } })
      : jsonResponse(answer);
  }
  const json = parseOpenAiAnswer(text, options.provider);
  options.onUsage(fromOpenAiUsage(json.usage) ?? estimatedUsage(options.promptText, openAiOutputText(json)));
  return textResponse(text, { status: 200, headers: { "content-type": "application/json" } });
}
