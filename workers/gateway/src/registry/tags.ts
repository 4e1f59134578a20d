/** Tags as stored: a repeated key keeps its last value (as MLflow), a missing value is "". */
export function dedupeTags(
  tags: readonly { key: string; value?: string | undefined }[],
): { key: string; value: string }[] {
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.key, t.value ?? "");
  return [...byKey].map(([key, value]) => ({ key, value }));
}
