import { errors } from "@edgeserve/api";
import type { ExternalProvider } from "../provider";
import { callOpenAiCompatible } from "../shared/openai-compatible-call";
import { authHeaders, toUpstreamBody, upstreamUrl } from "./build-request";

/**
 * `custom`: any OpenAI-compatible server. Requests and responses are already in OpenAI's format,
 * so the body is forwarded and the answer (JSON or SSE) streams back as it arrives.
 */
export const customProvider: ExternalProvider = {
  async invoke(call) {
    const config = call.model.custom_provider_config;
    if (!config) throw errors.invalid("custom_provider_config is missing.");
    return callOpenAiCompatible(call, {
      url: upstreamUrl(config.custom_provider_url, call.task),
      headers: authHeaders(call.model, call.credentials),
      body: toUpstreamBody(call.body, call.model.name),
      provider: "custom",
      injectStreamUsage: true,
      forwardsEncodingFormat: false,
    });
  },
};
