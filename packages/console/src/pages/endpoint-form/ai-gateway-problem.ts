/**
 * The API's own check of an `ai_gateway` body, run in the browser before anything is saved: the zod schema of
 * @edgeserve/api and its message wording (parseOrThrow), loaded on first use so zod stays out of the first load.
 * An edit saves the config, then the gateway settings: checking these first keeps a setting the schema refuses
 * from leaving a half-saved edit behind (checks that need the server, e.g. that a classifier exists, come later).
 */
export async function aiGatewayProblem(body: unknown): Promise<string | undefined> {
  const [{ aiGateway }, { parseOrThrow }] = await Promise.all([
    import("@edgeserve/api/ai-gateway"),
    import("@edgeserve/api/validation"),
  ]);
  try {
    parseOrThrow(aiGateway, body);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
