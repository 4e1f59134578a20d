import { ApiError, type EmbeddingsRequest, QUERY_SCHEMAS, type Task, errors, parseOrThrow } from "@edgeserve/api";
import { type FoundationEndpoint, foundationEndpoints } from "../../foundation-models/foundation-endpoints";
import type { EnabledModel } from "../../foundation-models/operator-config";
import { bandOf } from "../../foundation-models/provisioned-band";
import { embedWithInferenceWorker } from "../builtin-embeddings/embed-with-inference-worker";
import { textsOfRequest } from "../builtin-embeddings/texts-of-request";
import { toOpenAiEmbeddingsBody } from "../builtin-embeddings/to-openai-embeddings";
import { loggingStreamFailures } from "../external-model/log-stream-failure";
import { credentialRedactor, redactCredentials } from "../external-model/redact-credentials";
import type { UnifiedUsage } from "../external-model/shared/unified";
import { estimateTokens, promptText } from "../external-model/shared/usage";
import { jsonResponse } from "../../http/known-body-text";
import type { QueryContext } from "../query-context";
import { upstreamIdleTimeoutMs, upstreamTimeoutMs } from "../upstream-fetch";
import { recordQueryUsage } from "../usage/record-usage";
import { chargeTokens } from "../../rate-limits";
import { backendFor } from "./backend";
import { admitPayPerToken } from "./pay-per-token-limits";
import { costUsd } from "./price";
import { admitProvisioned } from "./provisioned-throughput";
import type { Reservation } from "./token-budgets";

type Admit = (request: { estimatedPromptTokens: number; maxTokens: number | undefined }) => Promise<Reservation>;

/**
 * Serves a query on a Foundation Model API endpoint (foundation-models/): checks the body for the task,
 * admits it under the pay-per-token limits, calls the operator's backend, and records tokens and cost.
 */
export function invokeFoundationModel(ctx: QueryContext): Promise<Response> {
  const endpoint = ctx.endpoint as FoundationEndpoint;
  const { enabled } = endpoint;
  return serveFoundationModel(ctx, enabled, endpoint.row.task as Task, {
    admit: (request) => admitPayPerToken(ctx.env, endpoint.row, enabled, request),
    cost: (prompt, completion) => costUsd(enabled, prompt, completion),
  });
}

/**
 * Serves a query on a provisioned-throughput entity (`system.ai.<model>`): the catalogue model's backend,
 * admitted up to the entity's band. Billed by the band, not per token: usage records carry tokens, cost 0.
 */
export function invokeProvisionedModel(ctx: QueryContext): Promise<Response> {
  const band = bandOf(ctx.entity)!;
  const foundation = foundationEndpoints(ctx.env).get(band.model);
  if (!foundation?.config)
    throw errors.unavailable(
      `Served entity '${ctx.entity.name}' cannot be served: the operator no longer serves '${band.model}' ` +
        "(EDGESERVE_FOUNDATION_MODELS), or its backend cannot answer.",
    );
  return serveFoundationModel(ctx, foundation.enabled, foundation.row.task as Task, {
    admit: (request) => admitProvisioned(ctx.env, ctx.endpoint.row, ctx.entity.name, band, request),
    cost: () => 0,
  });
}

async function serveFoundationModel(
  ctx: QueryContext,
  enabled: EnabledModel,
  task: Task,
  charging: { admit: Admit; cost: (promptTokens: number, completionTokens: number) => number },
): Promise<Response> {
  const body = parseOrThrow(QUERY_SCHEMAS[task].request, ctx.body) as Record<string, unknown>;
  const stream = body.stream === true;
  if (stream && task === "llm/v1/embeddings")
    throw new ApiError("INVALID_PARAMETER_VALUE", "Streaming is not supported for embeddings.");
  const estimatedPrompt = estimateTokens(promptText(body));
  const reservation = await charging.admit({
    estimatedPromptTokens: estimatedPrompt,
    maxTokens: typeof body.max_tokens === "number" ? body.max_tokens : undefined,
  });

  const started = Date.now();
  let reported = false;
  const onUsage = (usage: UnifiedUsage, failed?: ApiError) => {
    if (reported) return;
    reported = true;
    recordQueryUsage(ctx, started, {
      task,
      provider: enabled.backend,
      stream,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      estimated: usage.estimated ?? false,
      status: failed ? failed.status : 200,
      // A call that failed is not charged, as on Databricks (its tokens still count against the limits).
      costUsd: failed ? 0 : charging.cost(usage.promptTokens, usage.completionTokens),
    });
    reservation.settle(usage.promptTokens, usage.completionTokens, ctx.waitUntil);
    // AI Gateway token limits, when the operator's ai_gateway sets them.
    chargeTokens(ctx.env, ctx.endpoint, ctx.principal, usage.promptTokens + usage.completionTokens, ctx.waitUntil);
  };

  let redact = (text: string) => text;
  try {
    if (enabled.backend === "inference") {
      const texts = textsOfRequest(body as EmbeddingsRequest);
      const result = await embedWithInferenceWorker(ctx.env.INFERENCE, texts, {
        timeoutMs: upstreamTimeoutMs(ctx.env),
        signal: ctx.signal,
      });
      onUsage({ promptTokens: result.tokens, completionTokens: 0 });
      return jsonResponse(toOpenAiEmbeddingsBody(result, body.encoding_format));
    }
    const backend = backendFor(ctx.env, enabled, task);
    redact = credentialRedactor(backend.credentials);
    return await backend.provider.invoke({
      task,
      model: backend.model,
      body,
      stream,
      credentials: backend.credentials,
      redact,
      signal: ctx.signal,
      timeoutMs: upstreamTimeoutMs(ctx.env),
      idleTimeoutMs: upstreamIdleTimeoutMs(ctx.env),
      requestId: ctx.requestId,
      baseUrl: (publicUrl) => publicUrl,
      onUsage: loggingStreamFailures(onUsage, redact, ctx.requestId),
    });
  } catch (error) {
    // A failed call is recorded too (the prompt estimated, no completion), and gives back its reservation.
    const failed = error instanceof ApiError ? error : new ApiError("INTERNAL_ERROR", "The backend failed.");
    onUsage({ promptTokens: estimatedPrompt, completionTokens: 0, estimated: true }, failed);
    throw redactCredentials(error, redact);
  }
}
