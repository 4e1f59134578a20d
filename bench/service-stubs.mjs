/**
 * Workers that stand in for the gateway's service bindings (the inference worker, INFERENCE), answering
 * 503: the benches query external-model endpoints or read metrics only, never a custom model.
 */
export function serviceBindingStubs(workerOptions) {
  return Object.values(workerOptions.serviceBindings ?? {})
    .map((b) => b?.name)
    .filter((name) => typeof name === "string" && name !== "edgeserve-gateway")
    .map((name) => ({
      name,
      modules: true,
      script: `export default { fetch() { return new Response("not part of the bench", { status: 503 }); } };`,
    }));
}
