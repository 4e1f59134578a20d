import { ApiError, errors } from "@edgeserve/api";
import { callDeadline, clientClosedRequest } from "../../call-deadline";
import type { ExternalProvider, ProviderCall } from "../../external-model/provider";
import { toOpenAiChatCompletion } from "../../external-model/shared/openai-format";
import { openAiStreamResponse } from "../../external-model/shared/openai-stream";
import { withEncodingFormat } from "../../external-model/shared/embeddings-encoding";
import { parseProviderJson, parseProviderValue } from "../../external-model/shared/provider-json";
import { readSseEvents } from "../../external-model/shared/sse";
import { finishReason } from "../../external-model/shared/finish-reason";
import type { UnifiedChunk } from "../../external-model/shared/unified";
import { estimateTokens, promptText } from "../../external-model/shared/usage";
import { jsonResponse } from "../../../http/known-body-text";
import { toOpenAiEmbeddings } from "../../external-model/shared/openai-format";
import { textsOfRequest } from "../../builtin-embeddings/texts-of-request";
import type { EmbeddingsRequest } from "@edgeserve/api";
import { z } from "zod";
import type { WorkersAiBinding } from "./binding";
import { buildWorkersAiInput } from "./build-workers-ai-input";
import { workersAiFrameToChunks, workersAiOutput, workersAiToUnified } from "./workers-ai-output";

const PROVIDER = "workers-ai";

const embeddingsOutput = z.object({ shape: z.array(z.number()), data: z.array(z.array(z.number())) });

/** `env.AI.run` under the call's deadline and the client's signal; its failures as ApiErrors. */
async function run(ai: WorkersAiBinding, model: string, inputs: Record<string, unknown>, call: ProviderCall) {
  const deadline = callDeadline(call.timeoutMs, call.signal);
  try {
    return await ai.run(model, inputs, { signal: deadline.signal });
  } catch (e) {
    if (deadline.expired)
      throw new ApiError(
        "DEADLINE_EXCEEDED",
        `Workers AI did not answer within ${Math.round(call.timeoutMs / 1000)} s.`,
      );
    if (deadline.clientGone) throw clientClosedRequest();
    // The binding's errors carry Workers AI's code and reason ("3040: Capacity temporarily exceeded…").
    const message = e instanceof Error ? e.message : String(e);
    if (/capacity|rate limit/i.test(message))
      throw errors.unavailable(`Workers AI model '${model}' is over capacity: ${message}`, 1);
    throw new ApiError("BAD_GATEWAY", `Workers AI model '${model}' failed: ${message}`, { status: 502, cause: e });
  }
}

async function* streamChunks(body: ReadableStream<Uint8Array>, requestId: string): AsyncGenerator<UnifiedChunk> {
  let first = true;
  let sawToolCalls = false;
  for await (const event of readSseEvents(body)) {
    if (event.data === "[DONE]") break;
    const frame = parseProviderJson(workersAiOutput, event.data, PROVIDER, "a stream frame");
    for (const chunk of workersAiFrameToChunks(frame, requestId, first)) {
      if (chunk.content !== undefined) first = false;
      if (chunk.toolCalls) sawToolCalls = true;
      yield chunk;
    }
  }
  yield { index: 0, finishReason: finishReason(sawToolCalls ? "tool_calls" : "stop") };
}

/** A Workers AI model (`@cf/…`) as a provider: chat (JSON or streamed) and embeddings (`{text}` → `{shape, data}`). */
export function workersAiProvider(ai: WorkersAiBinding, model: string): ExternalProvider {
  return {
    async invoke(call) {
      const created = Math.floor(Date.now() / 1000);
      const meta = { id: `chatcmpl-${call.requestId}`, model, created };
      if (call.task === "llm/v1/embeddings") {
        const texts = textsOfRequest(call.body as EmbeddingsRequest, {
          label: "This Workers AI model",
          dimensions: null,
        });
        const output = parseProviderValue(
          embeddingsOutput,
          await run(ai, model, { text: texts }, call),
          PROVIDER,
          "embeddings",
        );
        // Workers AI reports no token counts for embeddings: estimated, as Databricks does.
        const usage = { promptTokens: estimateTokens(texts.join("\n")), completionTokens: 0, estimated: true };
        call.onUsage(usage);
        const body = toOpenAiEmbeddings({ model, embeddings: output.data, usage });
        return jsonResponse(withEncodingFormat(body, call.body.encoding_format));
      }
      if (call.task !== "llm/v1/chat") throw errors.invalid(`Workers AI backends serve chat and embeddings only.`);
      const inputs = buildWorkersAiInput(call.body);
      const answer = await run(ai, model, inputs, call);
      if (call.stream) {
        if (!(answer instanceof ReadableStream))
          throw new ApiError("BAD_GATEWAY", "Workers AI answered a stream request without a stream.", { status: 502 });
        return openAiStreamResponse(streamChunks(answer, call.requestId), {
          provider: PROVIDER,
          redact: call.redact,
          ...meta,
          includeUsage: (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
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
    },
  };
}
