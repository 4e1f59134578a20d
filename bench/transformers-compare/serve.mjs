// The HTTP side both bench workers share, so they differ only in the library that embeds the text:
//   GET /health → ok;  POST /embed {"texts": [...]} → {"embeddings": [[...384 numbers], ...]}
// The first /embed imports the library and loads the model from R2 (the bench's "cold first request").

/** Reads one model file from the R2 bucket by key; undefined when it is not there. */
export function r2Reader(bucket) {
  return async (key) => {
    const object = await bucket.get(key.replace(/^\/+/, ""));
    return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
  };
}

/** A worker whose /embed runs `load(env)`'s extractor once per isolate and then on every request. */
export function embeddingWorker(load) {
  let extractor;
  return {
    async fetch(request, env) {
      const { pathname } = new URL(request.url);
      if (pathname === "/health") return new Response("ok");
      if (pathname !== "/embed" || request.method !== "POST") return new Response("not found", { status: 404 });
      const { texts } = await request.json();
      if (!extractor) {
        extractor = load(env);
        extractor.catch(() => (extractor = undefined));
      }
      // Timed by the client only: workerd's clock stands still while JavaScript/WASM computes.
      try {
        const output = await (await extractor)(texts, { pooling: "mean", normalize: true });
        return Response.json({ embeddings: output.tolist() });
      } catch (error) {
        return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
      }
    },
  };
}
