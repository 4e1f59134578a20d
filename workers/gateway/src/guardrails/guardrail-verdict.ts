import type { GuardrailName, GuardrailStage } from "./guardrail-block";

/** What a guardrail did to a query: set as the `guardrail` context variable and logged. */
export interface GuardrailVerdict {
  stage: GuardrailStage;
  guardrail: GuardrailName;
  action: "BLOCK" | "MASK";
  /** Never quotes the offending text. */
  reason: string;
}
