import { ApiError, type GuardrailParameters } from "@edgeserve/api";
import type { GuardrailBlock } from "./guardrail-block";
import type { GuardrailScope } from "./guardrail-scope";
import { queryGuardrailEndpoint } from "./query-guardrail-endpoint";
import { readSafetyVerdict } from "./safety-verdict";

/** The `safety` guardrail: asks the classifier endpoint (config `safety_endpoint_name`, else env) about the text. */
export async function checkSafety(
  scope: GuardrailScope,
  params: GuardrailParameters,
  text: string,
): Promise<GuardrailBlock | null> {
  if (params.safety !== true || text.trim() === "") return null;
  const name = params.safety_endpoint_name ?? scope.env.EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT;
  if (!name)
    throw new ApiError(
      "INVALID_STATE",
      "Guardrail 'safety' is enabled but names no classifier: set 'safety_endpoint_name' " +
        "in the guardrail or EDGESERVE_GUARDRAILS_SAFETY_ENDPOINT; the query was not served.",
    );
  const answer = await queryGuardrailEndpoint(scope, "safety", name, (task) =>
    task === "llm/v1/completions"
      ? { prompt: text }
      : task === null
        ? { inputs: [text] }
        : { messages: [{ role: "user", content: text }] },
  );
  const verdict = readSafetyVerdict(answer);
  if (verdict === null)
    throw new ApiError(
      "BAD_GATEWAY",
      `Guardrail 'safety' could not be evaluated: endpoint '${name}' ` +
        `gave no safe/unsafe verdict; the query was not served.`,
    );
  return verdict === "unsafe"
    ? { guardrail: "safety", reason: `the safety classifier '${name}' judged it unsafe` }
    : null;
}
