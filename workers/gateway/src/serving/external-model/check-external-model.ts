import { PROVIDERS } from "@edgeserve/api";
import type { Database } from "@edgeserve/db";
import { entitySecretReferences } from "../../endpoints/config-secrets";
import { type EntityCheck, type Say, cannotServe } from "../../endpoints/entity-check";
import type { StoredServedEntity } from "../../endpoints/stored-config";
import type { Env } from "../../env";
import { getSecretValue } from "../../secrets/store";
import { PROVIDER_IMPLEMENTATIONS } from "./providers";

/**
 * The deployment check of an external model: a provider this gateway calls, that can serve it, and every secret it
 * references.
 */
export async function checkExternalModel(
  db: Database,
  env: Env,
  entity: StoredServedEntity,
  say: Say,
): Promise<EntityCheck> {
  const model = entity.external_model!;
  say(`Deploying external model '${model.name}' from provider '${model.provider}' for task ${model.task}.`);
  const provider = PROVIDER_IMPLEMENTATIONS[model.provider];
  if (!provider)
    return cannotServe(
      say,
      `Provider '${model.provider}' is accepted in configs, but this gateway version cannot call it.`,
    );
  const problem = provider.deployProblem?.(model);
  if (problem) return cannotServe(say, problem);
  for (const ref of entitySecretReferences(entity)) {
    if ((await getSecretValue(db, env, ref.scope, ref.key)) === null)
      return cannotServe(
        say,
        `Secret '${ref.key}' in scope '${ref.scope}' (referenced by ${ref.where}) does not exist.`,
      );
    say(`Credential ${ref.where} resolves from secret scope '${ref.scope}'.`);
  }
  if (model.provider === "custom") say(`Queries go to ${model.custom_provider_config!.custom_provider_url}.`);
  else say(`Provider config '${PROVIDERS[model.provider].configKey}' validated.`);
  return { ready: entity };
}
