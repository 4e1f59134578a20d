import type { QueryContext } from "../serving/query-context";
import { guardOpenAiStream } from "./guard-openai-stream";
import { guardrailError } from "./guardrail-block";
import { guardrailScope } from "./guardrail-scope";
import { guardrailsOf } from "./guardrails-of";
import { judgeWholeText } from "./judge-whole-text";
import { reportGuardrail } from "./report-guardrail";
import { responseTexts, rewriteResponseTexts } from "./response-text";
import { screenTexts } from "./screen-text";

/**
 * `ai_gateway.guardrails.output`: the response to send, with PII masked when configured. A blocked
 * JSON answer becomes a 400 naming the guardrail; a blocked stream ends with an error event.
 * Error responses and non-text answers (embeddings) pass unchanged.
 */
export async function applyOutputGuardrails(ctx: QueryContext, response: Response): Promise<Response> {
  const params = guardrailsOf(ctx.endpoint).output;
  if (!params || !response.ok || !response.body) return response;
  const type = response.headers.get("content-type") ?? "";
  const scope = guardrailScope(ctx);
  const headers = new Headers(response.headers);
  headers.delete("content-length");

  if (type.includes("text/event-stream")) {
    let maskReported = false;
    const guarded = guardOpenAiStream(response.body, {
      params,
      judge: (text) => judgeWholeText(scope, params, text),
      onBlock: ({ guardrail, reason }) =>
        reportGuardrail(ctx, { stage: "output", guardrail, action: "BLOCK", reason }, true),
      onMask: () => {
        if (maskReported) return;
        maskReported = true;
        const reason = "masked personal data in the stream";
        reportGuardrail(ctx, { stage: "output", guardrail: "pii", action: "MASK", reason }, true);
      },
    });
    return new Response(guarded, { status: response.status, headers });
  }
  if (!type.includes("json")) return response;

  const answer: unknown = await response.json();
  const screened = screenTexts(params, (rewrite) => rewriteResponseTexts(answer, rewrite));
  const { guarded, masked } = screened;
  let block = screened.block;
  const texts = responseTexts(guarded);
  if (texts.length > 0) block ??= (await judgeWholeText(scope, params, texts.join("\n"))) ?? undefined;
  if (block) {
    reportGuardrail(ctx, { stage: "output", guardrail: block.guardrail, action: "BLOCK", reason: block.reason }, false);
    throw guardrailError("output", block);
  }
  if (masked > 0) {
    const reason = `masked ${masked} item(s) of personal data`;
    reportGuardrail(ctx, { stage: "output", guardrail: "pii", action: "MASK", reason }, false);
  }
  return new Response(JSON.stringify(guarded), { status: response.status, headers });
}
