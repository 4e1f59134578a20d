/**
 * Reads a safety classifier's answer. Llama-Guard-style models answer "safe" or "unsafe\nS1,…";
 * classifiers answer a label. Unsafe means the answer starts with "unsafe" (any case).
 * Returns null when the answer has no verdict in a known place (the caller then fails closed).
 */
export function readSafetyVerdict(answer: unknown): "safe" | "unsafe" | null {
  const text = verdictText(answer);
  if (text === null) return null;
  return /^\s*unsafe\b/i.test(text) ? "unsafe" : "safe";
}

function verdictText(answer: unknown): string | null {
  if (!answer || typeof answer !== "object") return null;
  const { choices, predictions } = answer as { choices?: unknown; predictions?: unknown };
  if (Array.isArray(choices) && choices[0] && typeof choices[0] === "object") {
    const choice = choices[0] as { message?: { content?: unknown }; text?: unknown };
    if (typeof choice.message?.content === "string") return choice.message.content;
    if (typeof choice.text === "string") return choice.text;
  }
  if (Array.isArray(predictions)) {
    const first = predictions[0] as unknown;
    if (typeof first === "string") return first;
    if (first && typeof first === "object" && typeof (first as { label?: unknown }).label === "string")
      return (first as { label: string }).label;
  }
  return null;
}
