import { ApiError, type EmbeddingsRequest, errors } from "@edgeserve/api";
import { z } from "zod";
import { jsonResponse } from "../../../http/known-body-text";
import { textsOfRequest } from "../../builtin-embeddings/texts-of-request";
import type { ExternalProvider, ProviderCall } from "../../external-model/provider";
import { withEncodingFormat } from "../../external-model/shared/embeddings-encoding";
import { toOpenAiChatCompletion, toOpenAiEmbeddings } from "../../external-model/shared/openai-format";
import { clientWantsStreamUsage } from "../../external-model/shared/openai-compatible-call";
import { openAiStreamResponse } from "../../external-model/shared/openai-stream";
import { parseProviderValue } from "../../external-model/shared/provider-json";
import { estimateTokens, promptText } from "../../external-model/shared/usage";
import type { WorkersAiBinding } from "./binding";
import { buildWorkersAiInput } from "./build-workers-ai-input";
import { runWorkersAi } from "./run-workers-ai";
import { workersAiOutput, workersAiToUnified } from "./workers-ai-output";
import { workersAiStreamChunks } from "./workers-ai-stream";

const PROVIDER = "workers-ai";

const embeddingsOutput = z.object({ shape: z.array(z.number()), data: z.array(z.array(z.number())) });

/**
 * Embeddings: `{text: [...]}` → `{shape, data}`. Workers AI reports no token counts: estimated, as Databricks
 * does.
 */
async function embed(ai: WorkersAiBinding, model: string, call: ProviderCall): Promise<Response> {
  const texts = textsOfRequest(call.body as EmbeddingsRequest, { label: "This Workers AI model", dimensions: null });
  const output = parseProviderValue(
    embeddingsOutput,
    await runWorkersAi(ai, model, { text: texts }, call),
    PROVIDER,
    "embeddings",
  );
  const usage = { promptTokens: estimateTokens(texts.join("\n")), completionTokens: 0, estimated: true };
  call.onUsage(usage);
  return jsonResponse(
    withEncodingFormat(toOpenAiEmbeddings({ model, embeddings: output.data, usage }), call.body.encoding_format),
  );
}

/** Chat: `{messages, stream, max_tokens, tools…}` → `{response, tool_calls, usage}`, or its SSE stream. */
async function chat(ai: WorkersAiBinding, model: string, call: ProviderCall): Promise<Response> {
  const meta = { id: `chatcmpl-${call.requestId}`, model, created: Math.floor(Date.now() / 1000) };
  const answer = await runWorkersAi(ai, model, buildWorkersAiInput(call.body), call);
  if (call.stream) {
    if (!(answer instanceof ReadableStream))
      throw new ApiError("BAD_GATEWAY", "Workers AI answered a stream request without a stream.", { status: 502 });
    return openAiStreamResponse(workersAiStreamChunks(answer, call.requestId), {
      provider: PROVIDER,
      redact: call.redact,
      ...meta,
      includeUsage: clientWantsStreamUsage(call.body),
      promptText: promptText(call.body),
      onUsage: call.onUsage,
    });
  }
  const unified = workersAiToUnified(parseProviderValue(workersAiOutput, answer, PROVIDER, "an answer"), meta);
  const usage = unified.usage ?? {
    promptTokens: estimateTokens(promptText(call.body)),
    completionTokens: estimateTokens(unified.choices[0]?.content ?? ""),
    estimated: true,
  };
  call.onUsage(usage);
  return jsonResponse(toOpenAiChatCompletion({ ...unified, usage }));
}

/** A Workers AI model (`@cf/…`) as a provider: chat (JSON or streamed) and embeddings. */
export function workersAiProvider(ai: WorkersAiBinding, model: string): ExternalProvider {
  return {
    invoke(call) {
      if (call.task === "llm/v1/embeddings") return embed(ai, model, call);
      if (call.task === "llm/v1/chat") return chat(ai, model, call);
      throw errors.invalid("Workers AI backends serve chat and embeddings only.");
    },
  };
}
