/** AI Gateway guardrails (`ai_gateway.guardrails.input` / `.output`) on the query path. */
export { applyInputGuardrails } from "./input-guardrails";
export { applyOutputGuardrails } from "./output-guardrails";
