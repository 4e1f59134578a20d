import type { EnabledModel } from "../../foundation-models/operator-config";

/** A call's cost in USD by the operator's price table (USD per million tokens), rounded to a millionth of a cent. */
export function costUsd(enabled: EnabledModel, promptTokens: number, completionTokens: number): number {
  const { input, output } = enabled.price_per_million_tokens;
  const usd = (promptTokens * input + completionTokens * output) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
