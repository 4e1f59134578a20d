import { ApiError } from "@edgeserve/api";
import { cosineSimilarity } from "./cosine-similarity";
import type { GuardrailBlock } from "./guardrail-block";
import type { GuardrailScope } from "./guardrail-scope";
import { queryGuardrailEndpoint } from "./query-guardrail-endpoint";
import { readEmbeddings } from "./read-embeddings";

export const DEFAULT_EMBEDDINGS_ENDPOINT = "embeddings";
const DEFAULT_TOPIC_THRESHOLD = 0.5;
const MAX_CACHED_TOPICS = 2000;

/** Topic vectors per isolate, keyed by embeddings endpoint and topic: topics change rarely, texts always. */
const topicVectors = new Map<string, number[]>();

function topicThreshold(raw: string | undefined): number {
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value >= -1 && value <= 1 ? value : DEFAULT_TOPIC_THRESHOLD;
}

/**
 * The `valid_topics` guardrail: the text must be at least `EDGESERVE_GUARDRAILS_TOPIC_THRESHOLD`
 * cosine-similar to one topic, both embedded by the endpoint `EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT`.
 */
export async function checkTopics(
  scope: GuardrailScope,
  topics: readonly string[] | undefined,
  text: string,
): Promise<GuardrailBlock | null> {
  if (!topics?.length || text.trim() === "") return null;
  const name = scope.env.EDGESERVE_GUARDRAILS_EMBEDDINGS_ENDPOINT || DEFAULT_EMBEDDINGS_ENDPOINT;
  const key = (topic: string) => `${name}\u0000${topic}`;
  const missing = topics.filter((t) => !topicVectors.has(key(t)));
  const inputs = [text, ...missing];
  const vectors = readEmbeddings(await queryGuardrailEndpoint(scope, "valid_topics", name, () => ({ input: inputs })));
  if (!vectors || vectors.length !== inputs.length)
    throw new ApiError(
      "BAD_GATEWAY",
      `Guardrail 'valid_topics' could not be evaluated: endpoint '${name}' ` +
        `gave no embeddings for the texts; the query was not served.`,
    );
  const fresh = new Map(missing.map((topic, i) => [topic, vectors[i + 1]!]));
  for (const [topic, vector] of fresh) {
    if (topicVectors.size >= MAX_CACHED_TOPICS) topicVectors.delete(topicVectors.keys().next().value!);
    topicVectors.set(key(topic), vector);
  }
  const threshold = topicThreshold(scope.env.EDGESERVE_GUARDRAILS_TOPIC_THRESHOLD);
  const best = Math.max(
    ...topics.map((t) => cosineSimilarity(vectors[0]!, fresh.get(t) ?? topicVectors.get(key(t)) ?? [])),
  );
  return best >= threshold
    ? null
    : {
        guardrail: "valid_topics",
        reason: `it matches none of the valid topics (best similarity ${best.toFixed(2)} < ${threshold})`,
      };
}
