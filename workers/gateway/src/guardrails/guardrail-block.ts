import { ApiError } from "@edgeserve/api";

export type GuardrailName = "invalid_keywords" | "pii" | "safety" | "valid_topics";
export type GuardrailStage = "input" | "output";

/** Why a guardrail stopped a request or a response. `reason` never quotes the offending text. */
export interface GuardrailBlock {
  guardrail: GuardrailName;
  reason: string;
  /** Where in the screened text it fired (absent for whole-text checks: safety, valid_topics). */
  start?: number;
  end?: number;
}

/** The 400 a caller gets, e.g. "Input blocked by guardrail 'pii': found an email address." */
export function guardrailError(stage: GuardrailStage, block: GuardrailBlock): ApiError {
  const which = stage === "input" ? "Input" : "Output";
  return new ApiError(
    "INVALID_PARAMETER_VALUE",
    `${which} blocked by guardrail '${block.guardrail}': ${block.reason}.`,
  );
}
