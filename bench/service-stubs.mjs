/**
 * Workers that stand in for the gateway's service bindings (the inference worker, INFERENCE), answering
 * 503: the benches query external-model endpoints or read metrics only, never a custom model. A binding
 * that names an entrypoint (wrangler.toml `entrypoint`) finds one of that name in its stand-in.
 */
export function serviceBindingStubs(workerOptions) {
  const bindings = Object.values(workerOptions.serviceBindings ?? {}).filter(
    (b) => typeof b?.name === "string" && b.name !== "edgeserve-gateway",
  );
  return [...new Set(bindings.map((b) => b.name))].map((name) => {
    const entrypoints = bindings.filter((b) => b.name === name && b.entrypoint).map((b) => b.entrypoint);
    return {
      name,
      modules: true,
      script: [
        `const stub = { fetch() { return new Response("not part of the bench", { status: 503 }); } };`,
        "export default stub;",
        ...[...new Set(entrypoints)].map((e) => `export const ${e} = stub;`),
      ].join("\n"),
    };
  });
}
