import type { GuardrailParameters } from "@edgeserve/api";
import { checkSafety } from "./check-safety";
import { checkTopics } from "./check-topics";
import type { GuardrailBlock } from "./guardrail-block";
import type { GuardrailScope } from "./guardrail-scope";

/** The model-judged guardrails, run on text that the pattern guardrails already passed (and masked). */
export async function judgeWholeText(
  scope: GuardrailScope,
  params: GuardrailParameters,
  text: string,
): Promise<GuardrailBlock | null> {
  return (await checkSafety(scope, params, text)) ?? (await checkTopics(scope, params.valid_topics, text));
}
