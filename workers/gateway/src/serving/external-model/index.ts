import { ApiError, QUERY_SCHEMAS, parseOrThrow } from "@edgeserve/api";
import type { QueryContext } from "../query-context";
import { upstreamIdleTimeoutMs, upstreamTimeoutMs } from "../upstream-fetch";
import { chargeTokens } from "../../rate-limits";
import { recordQueryUsage } from "../usage/record-usage";
import { PROVIDER_IMPLEMENTATIONS } from "./providers";
import { loggingStreamFailures } from "./log-stream-failure";
import { credentialRedactor, redactCredentials } from "./redact-credentials";
import { resolveCredentials } from "./resolve-credentials";
import { providerBaseUrl } from "./shared/provider-urls";
import type { UnifiedUsage } from "./shared/unified";
import { estimateTokens, promptText } from "./shared/usage";

/** Serves a query with an `external_model` entity: validate for its task, resolve credentials, call the provider. */
export async function invokeExternalModel(ctx: QueryContext): Promise<Response> {
  const model = ctx.entity.external_model!;
  const body = parseOrThrow(QUERY_SCHEMAS[model.task].request, ctx.body) as Record<string, unknown>;
  const provider = PROVIDER_IMPLEMENTATIONS[model.provider];
  if (!provider)
    throw new ApiError(
      "NOT_IMPLEMENTED",
      `Provider '${model.provider}' is configured on this endpoint but this gateway version cannot call it yet.`,
    );
  const stream = body.stream === true;
  if (stream && model.task === "llm/v1/embeddings")
    throw new ApiError("INVALID_PARAMETER_VALUE", "Streaming is not supported for embeddings.");

  const memoKey = `credentials:${ctx.entity.name}`;
  let credentials = ctx.endpoint.memo.get(memoKey) as Map<string, string> | undefined;
  if (!credentials) {
    credentials = await resolveCredentials(ctx.db, ctx.env, model);
    ctx.endpoint.memo.set(memoKey, credentials);
  }
  const started = Date.now();
  const record = (usage: UnifiedUsage, status: number) =>
    recordQueryUsage(ctx, started, {
      task: model.task,
      provider: model.provider,
      stream,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      estimated: usage.estimated ?? false,
      status,
    });
  const redact = credentialRedactor(credentials);
  const onUsage = (usage: UnifiedUsage, failed?: ApiError) => {
    // A stream that failed after its first bytes was a 200 for the client but counts as an error here.
    record(usage, failed ? failed.status : 200);
    // Token limits are charged with the real counts once known (for streams: at the end).
    chargeTokens(ctx.env, ctx.endpoint, ctx.principal, usage.promptTokens + usage.completionTokens, ctx.waitUntil);
  };
  try {
    return await provider.invoke({
      task: model.task,
      model,
      body,
      stream,
      credentials,
      redact,
      signal: ctx.signal,
      timeoutMs: upstreamTimeoutMs(ctx.env),
      idleTimeoutMs: upstreamIdleTimeoutMs(ctx.env),
      requestId: ctx.requestId,
      baseUrl: (publicUrl, key = model.provider) => providerBaseUrl(ctx.env, key, publicUrl),
      onUsage: loggingStreamFailures(onUsage, redact, ctx.requestId),
    });
  } catch (error) {
    // Failed calls are recorded too (no completion; the prompt as sent is estimated).
    record(
      { promptTokens: estimateTokens(promptText(body)), completionTokens: 0, estimated: true },
      error instanceof ApiError ? error.status : 500,
    );
    // A provider's message is passed on; never with the endpoint's own credentials in it.
    throw redactCredentials(error, redact);
  }
}
