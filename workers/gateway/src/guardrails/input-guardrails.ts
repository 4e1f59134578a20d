import type { QueryContext } from "../serving/query-context";
import { guardrailError } from "./guardrail-block";
import { guardrailScope } from "./guardrail-scope";
import { guardrailsOf } from "./guardrails-of";
import { judgeWholeText } from "./judge-whole-text";
import { reportGuardrail } from "./report-guardrail";
import { rewriteRequestTexts, textToJudge } from "./request-text";
import { screenTexts } from "./screen-text";

/**
 * `ai_gateway.guardrails.input`: returns the body to send (`ctx.body` with PII masked when configured), or
 * throws a 400 naming the guardrail. Keywords and PII first (cheap, and the classifier never sees masked PII),
 * then safety and valid_topics.
 */
export async function applyInputGuardrails(ctx: QueryContext): Promise<Record<string, unknown>> {
  const { body } = ctx;
  const params = guardrailsOf(ctx.endpoint).input;
  if (!params) return body;
  const stream = body.stream === true;
  const screened = screenTexts(params, (rewrite) => rewriteRequestTexts(body, rewrite));
  const { guarded, masked } = screened;
  let block = screened.block;
  block ??= (await judgeWholeText(guardrailScope(ctx), params, textToJudge(guarded))) ?? undefined;
  if (block) {
    reportGuardrail(ctx, { stage: "input", guardrail: block.guardrail, action: "BLOCK", reason: block.reason }, stream);
    throw guardrailError("input", block);
  }
  if (masked > 0) {
    const reason = `masked ${masked} item(s) of personal data`;
    reportGuardrail(ctx, { stage: "input", guardrail: "pii", action: "MASK", reason }, stream);
  }
  return guarded;
}
