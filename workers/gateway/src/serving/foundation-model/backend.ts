import type { ExternalModel } from "@edgeserve/api";
import type { Env } from "../../env";
import { secretOf } from "../../foundation-models/foundation-endpoints";
import type { EnabledModel } from "../../foundation-models/operator-config";
import { customProvider } from "../external-model/custom";
import type { ExternalProvider } from "../external-model/provider";
import { workersAiProvider } from "./workers-ai";

/** How one enabled model is called: a provider over the OpenAI-format body, and the credentials it uses. */
export interface FoundationBackend {
  provider: ExternalProvider;
  /** The ProviderCall's model: what an OpenAI-compatible server is asked for, by the `custom` provider's rules. */
  model: ExternalModel;
  credentials: ReadonlyMap<string, string>;
}

/** The Workers AI or OpenAI-compatible backend of a model (the inference backend is called directly). */
export function backendFor(
  env: Env,
  enabled: Exclude<EnabledModel, { backend: "inference" }>,
  task: ExternalModel["task"],
): FoundationBackend {
  if (enabled.backend === "workers-ai")
    return {
      provider: workersAiProvider(env.AI!, enabled.model),
      model: { name: enabled.model, provider: "custom", task },
      credentials: new Map(),
    };
  // The `custom` provider already speaks to any OpenAI-compatible server (streaming, usage, errors).
  const token = enabled.api_key_secret ? secretOf(env, enabled.api_key_secret) : undefined;
  return {
    provider: customProvider,
    model: {
      name: enabled.model,
      provider: "custom",
      task,
      custom_provider_config: {
        custom_provider_url: enabled.url,
        ...(token ? { bearer_token_auth: {} } : {}),
      },
    },
    credentials: token ? new Map([["bearer_token_auth.token", token]]) : new Map(),
  };
}
