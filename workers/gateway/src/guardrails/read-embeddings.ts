/**
 * The vectors of an embeddings answer, in input order: OpenAI-style `data[].embedding` (ordered by
 * `index`) or a custom model's `predictions` (number[][]). Null when neither is there.
 */
export function readEmbeddings(answer: unknown): number[][] | null {
  if (!answer || typeof answer !== "object") return null;
  const { data, predictions } = answer as { data?: unknown; predictions?: unknown };
  const isVector = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
  if (Array.isArray(data)) {
    const items = data as { index?: unknown; embedding?: unknown }[];
    if (!items.every((d) => d && isVector(d.embedding))) return null;
    return [...items].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0)).map((d) => d.embedding as number[]);
  }
  if (Array.isArray(predictions) && predictions.every(isVector)) return predictions;
  return null;
}
