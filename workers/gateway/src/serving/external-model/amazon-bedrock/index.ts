import { ApiError, errors } from "@edgeserve/api";
import { z } from "zod";
import { fetchUpstream } from "../../upstream-fetch";
import { type ExternalProvider, type ProviderCall, upstreamDeadlines } from "../provider";
import { toOpenAiChatCompletion, toOpenAiCompletion, toOpenAiEmbeddings } from "../shared/openai-format";
import { openAiStreamResponse } from "../shared/openai-stream";
import { readProviderJson } from "../shared/provider-json";
import { withEncodingFormat } from "../shared/embeddings-encoding";
import type { UnifiedUsage } from "../shared/unified";
import { estimatedUsage, estimateTokens, promptText } from "../shared/usage";
import { readEventStream } from "./aws-event-stream";
import { mapBedrockError } from "./bedrock-errors";
import {
  BEDROCK_EMBEDDING_PROVIDERS,
  bedrockEmbeddingsToUnified,
  buildBedrockEmbeddingsRequests,
} from "./build-bedrock-embeddings-request";
import { buildConverseCompletionsRequest, buildConverseRequest, type BedrockProvider } from "./build-converse-request";
import { converseResponseSchema } from "./bedrock-response-schema";
import { converseResponseToUnified } from "./converse-response-to-unified";
import { converseStreamToChunks } from "./converse-stream-to-chunks";
import { signBedrockRequest, type AwsCredentials } from "./sign-bedrock-request";
import { jsonResponse } from "../../../http/known-body-text";

/** Calls several InvokeModel requests at once, but not too many (Titan embeds one text per call). */
const EMBED_CONCURRENCY = 4;

function configOf(call: ProviderCall) {
  const config = call.model.amazon_bedrock_config;
  if (!config) throw errors.invalid("amazon_bedrock_config is missing.");
  return config;
}

function credentialsOf(call: ProviderCall): AwsCredentials {
  const config = configOf(call);
  const accessKeyId = call.credentials.get("aws_access_key_id");
  const secretAccessKey = call.credentials.get("aws_secret_access_key");
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  if (config.instance_profile_arn) throw new ApiError("NOT_IMPLEMENTED", INSTANCE_PROFILE_UNSUPPORTED);
  throw errors.invalid("amazon_bedrock_config has no AWS access keys.");
}

/** Why `instance_profile_arn` cannot work here: a Worker has no EC2 instance role to assume it with. */
const INSTANCE_PROFILE_UNSUPPORTED =
  "amazon_bedrock_config.instance_profile_arn cannot be used here: an instance profile " +
  "is assumed through the role of the AWS compute a server runs on, and Cloudflare Workers " +
  "have none. Give aws_access_key_id and aws_secret_access_key (as secrets) instead.";

/** `https://bedrock-runtime.<region>.amazonaws.com/model/<model id>/<action>` (or the overridden base). */
function bedrockUrl(
  call: Pick<ProviderCall, "baseUrl">,
  region: string,
  modelId: string,
  action: "converse" | "converse-stream" | "invoke",
): string {
  const base = call.baseUrl(`https://bedrock-runtime.${region}.amazonaws.com`).replace(/\/+$/, "");
  return `${base}/model/${encodeURIComponent(modelId)}/${action}`;
}

async function post(
  call: ProviderCall,
  action: "converse" | "converse-stream" | "invoke",
  body: Record<string, unknown>,
): Promise<Response> {
  const config = configOf(call);
  const credentials = credentialsOf(call);
  const url = bedrockUrl(call, config.aws_region, call.model.name, action);
  const text = JSON.stringify(body);
  const accept = action === "converse-stream" ? "application/vnd.amazon.eventstream" : "application/json";
  const headers = await signBedrockRequest(
    url,
    text,
    { "content-type": "application/json", accept },
    credentials,
    config.aws_region,
  );
  const response = await fetchUpstream(
    url,
    { method: "POST", headers, body: text },
    { ...upstreamDeadlines(call), provider: "amazon-bedrock" },
  );
  if (!response.ok) throw mapBedrockError(response.status, response.headers, await response.text());
  return response;
}

async function embeddings(call: ProviderCall, provider: BedrockProvider): Promise<Response> {
  const bodies = buildBedrockEmbeddingsRequests(call.body, provider);
  const results: unknown[] = new Array(bodies.length);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      // Read as any JSON here; bedrockEmbeddingsToUnified checks each answer against its family's schema.
      results[i] = await readProviderJson(await post(call, "invoke", bodies[i]!), z.unknown(), "amazon-bedrock");
    }
  };
  await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, bodies.length) }, worker));
  const unified = bedrockEmbeddingsToUnified(results, provider, call.model.name);
  const usage: UnifiedUsage = unified.usage ?? {
    promptTokens: estimateTokens(promptText(call.body)),
    completionTokens: 0,
    estimated: true,
  };
  call.onUsage(usage);
  return jsonResponse(withEncodingFormat(toOpenAiEmbeddings({ ...unified, usage }), call.body.encoding_format));
}

/**
 * `amazon-bedrock`: chat and completions through the Converse API (ConverseStream's binary
 * event stream when streaming), embeddings through InvokeModel in the model family's format.
 * Every request is SigV4-signed (aws4fetch) with the endpoint's access keys.
 */
export const amazonBedrockProvider: ExternalProvider = {
  deployProblem(model) {
    const config = model.amazon_bedrock_config;
    if (config?.instance_profile_arn) return INSTANCE_PROFILE_UNSUPPORTED;
    if (model.task === "llm/v1/embeddings" && config && !BEDROCK_EMBEDDING_PROVIDERS.includes(config.bedrock_provider))
      return (
        `Amazon Bedrock has no embedding models for bedrock_provider '${config.bedrock_provider}' ` +
        `(use ${BEDROCK_EMBEDDING_PROVIDERS.map((p) => `'${p}'`).join(" or ")}).`
      );
    return null;
  },
  async invoke(call) {
    const provider = configOf(call).bedrock_provider;
    credentialsOf(call);
    if (call.task === "llm/v1/embeddings") return embeddings(call, provider);

    const text = call.task === "llm/v1/completions";
    const body = text
      ? buildConverseCompletionsRequest(call.body, provider)
      : buildConverseRequest(call.body, provider);
    const meta = {
      id: `${text ? "cmpl" : "chatcmpl"}-${call.requestId}`,
      model: call.model.name,
      created: Math.floor(Date.now() / 1000),
    };
    if (call.stream) {
      const response = await post(call, "converse-stream", body);
      if (!response.body)
        throw new ApiError("BAD_GATEWAY", "The provider 'amazon-bedrock' sent an empty stream.", { status: 502 });
      return openAiStreamResponse(converseStreamToChunks(readEventStream(response.body)), {
        ...meta,
        provider: "amazon-bedrock",
        redact: call.redact,
        includeUsage: (call.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
        kind: text ? "text" : "chat",
        promptText: promptText(call.body),
        onUsage: call.onUsage,
      });
    }
    const unified = converseResponseToUnified(
      await readProviderJson(await post(call, "converse", body), converseResponseSchema, "amazon-bedrock"),
      meta,
    );
    const choice = unified.choices[0]!;
    const usage =
      unified.usage ??
      estimatedUsage(
        promptText(call.body),
        `${choice.content ?? ""}${choice.toolCalls ? JSON.stringify(choice.toolCalls) : ""}`,
      );
    call.onUsage(usage);
    if (!text) return jsonResponse(toOpenAiChatCompletion({ ...unified, usage }));
    return jsonResponse(
      toOpenAiCompletion({
        ...meta,
        choices: [{ index: 0, text: choice.content ?? "", finishReason: choice.finishReason }],
        usage,
      }),
    );
  },
};
