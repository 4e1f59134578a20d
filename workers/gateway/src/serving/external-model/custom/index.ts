import { errors } from "@edgeserve/api";
import { mapUpstreamError } from "../../upstream-errors";
import { fetchUpstream } from "../../upstream-fetch";
import type { ExternalProvider } from "../provider";
import { forwardOpenAiResponse, withStreamUsage } from "../shared/openai-passthrough";
import { promptText } from "../shared/usage";
import { authHeaders, toUpstreamBody, upstreamUrl } from "./build-request";

/**
 * `custom`: any OpenAI-compatible server. Requests and responses are already in OpenAI's format,
 * so the body is forwarded and the answer (JSON or SSE) streams back as it arrives.
 */
export const customProvider: ExternalProvider = {
  async invoke(call) {
    const config = call.model.custom_provider_config;
    if (!config) throw errors.invalid("custom_provider_config is missing.");
    const clientWantsUsage = (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const response = await fetchUpstream(
      upstreamUrl(config.custom_provider_url, call.task),
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: call.stream ? "text/event-stream" : "application/json", ...authHeaders(call.model, call.credentials) },
        body: JSON.stringify(withStreamUsage(toUpstreamBody(call.body, call.model.name))),
      },
      { timeoutMs: call.timeoutMs, signal: call.signal, provider: "custom" },
    );
    if (!response.ok) throw mapUpstreamError(response.status, response.headers, await response.text(), "custom");
    return forwardOpenAiResponse(response, {
      stream: call.stream,
      clientWantsUsage,
      promptText: promptText(call.body),
      embeddings: call.task === "llm/v1/embeddings",
      onUsage: call.onUsage,
    });
  },
};
