import type { QueryContext } from "../serving/query-context";
import { recordQueryUsage } from "../serving/usage/record-usage";
import type { GuardrailVerdict } from "./guardrail-verdict";

/**
 * Makes a guardrail's action visible: a structured `guardrail` log line, and for a blocked input a usage
 * record with status 400 (nothing reached the model, so no tokens). Blocked outputs keep the model call's
 * usage record: its tokens were spent. `ctx.body` is the query as received, so the record keeps the
 * caller's client_request_id and usage_context.
 */
export function reportGuardrail(ctx: QueryContext, verdict: GuardrailVerdict, stream: boolean): void {
  const { endpoint, entity } = ctx;
  const blocked = verdict.action === "BLOCK";
  console.log(
    JSON.stringify({
      type: "guardrail",
      requestId: ctx.requestId,
      endpointName: endpoint.row.name,
      servedEntity: entity.name,
      ...verdict,
      ...(blocked ? { status: 400 } : {}),
    }),
  );
  if (!blocked || verdict.stage !== "input") return;
  recordQueryUsage(ctx, Date.now(), {
    task: entity.external_model?.task ?? endpoint.row.task ?? null,
    provider: entity.external_model?.provider ?? null,
    stream,
    promptTokens: 0,
    completionTokens: 0,
    estimated: false,
    status: 400,
  });
}
