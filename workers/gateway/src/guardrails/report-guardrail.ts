import type { Context } from "hono";
import type { LiveEndpoint } from "../endpoints/cache";
import type { StoredServedEntity } from "../endpoints/stored-config";
import type { AppEnv } from "../env";
import { recordUsage } from "../serving/usage/record-usage";
import type { GuardrailVerdict } from "./guardrail-verdict";

/**
 * Makes a guardrail's action visible: the `guardrail` context variable (for request logging), a
 * structured `guardrail` log line, and for a blocked input a usage record with status 400 (nothing
 * reached the model, so no tokens). Blocked outputs keep the model call's usage record: its tokens were spent.
 */
export function reportGuardrail(c: Context<AppEnv>, endpoint: LiveEndpoint, entity: StoredServedEntity, verdict: GuardrailVerdict, stream: boolean): void {
  c.set("guardrail", verdict);
  const blocked = verdict.action === "BLOCK";
  console.log(
    JSON.stringify({ type: "guardrail", requestId: c.get("requestId"), endpointName: endpoint.row.name, servedEntity: entity.name, ...verdict, ...(blocked ? { status: 400 } : {}) }),
  );
  if (!blocked || verdict.stage !== "input") return;
  const principal = c.get("principal");
  recordUsage(
    {
      requestId: c.get("requestId"),
      timestamp: Date.now(),
      endpointId: endpoint.row.id,
      endpointName: endpoint.row.name,
      servedEntity: entity.name,
      requester: principal.name,
      requesterKind: principal.kind,
      task: entity.external_model?.task ?? endpoint.row.task ?? null,
      provider: entity.external_model?.provider ?? null,
      stream,
      promptTokens: 0,
      completionTokens: 0,
      estimated: false,
      status: 400,
      latencyMs: 0,
    },
    (promise) => c.executionCtx.waitUntil(promise),
  );
}
