import { errors } from "@edgeserve/api";
import type { ExternalProvider } from "../provider";
import { callOpenAiCompatible } from "../shared/openai-compatible-call";
import {
  openAiApiType,
  openAiAuthHeaders,
  openAiRequestBody,
  openAiRequestUrl,
  supportsStreamUsage,
} from "./build-openai-request";
import { ENTRA_PUBLIC_ORIGIN, getEntraToken } from "./microsoft-entra-token";

/**
 * `openai`: OpenAI itself, Azure OpenAI with an API key (`openai_api_type: azure`) or with a
 * Microsoft Entra ID service principal (`azuread`). All speak OpenAI's format, so the body is
 * forwarded and the answer (JSON or SSE) streams back as it arrives, usage read on the way.
 */
export const openAiProvider: ExternalProvider = {
  async invoke(call) {
    const config = call.model.openai_config;
    if (!config) throw errors.invalid("openai_config is missing.");
    const body = openAiRequestBody(call.body, call.model.name);
    const url = openAiRequestUrl(config, call.task, call.baseUrl);
    let entraToken: string | undefined;
    if (openAiApiType(config) === "azuread") {
      entraToken = await getEntraToken(
        {
          origin: call.baseUrl(ENTRA_PUBLIC_ORIGIN),
          tenantId: config.microsoft_entra_tenant_id ?? "",
          clientId: config.microsoft_entra_client_id ?? "",
          clientSecret: call.credentials.get("microsoft_entra_client_secret") ?? "",
        },
        { timeoutMs: call.timeoutMs, signal: call.signal },
      );
    }
    return callOpenAiCompatible(call, {
      url,
      headers: openAiAuthHeaders(config, call.credentials, entraToken),
      body,
      provider: "openai",
      injectStreamUsage: supportsStreamUsage(config),
      forwardsEncodingFormat: true,
    });
  },
};
