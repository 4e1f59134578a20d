import type { GuardrailName, GuardrailStage } from "./guardrail-block";

/** What a guardrail did to a query: logged as a `guardrail` line (report-guardrail.ts). */
export interface GuardrailVerdict {
  stage: GuardrailStage;
  guardrail: GuardrailName;
  action: "BLOCK" | "MASK";
  /** Never quotes the offending text. */
  reason: string;
}
