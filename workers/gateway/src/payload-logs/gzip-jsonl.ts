/** Records as gzip-compressed JSON Lines (one JSON object per line). */
export async function gzipJsonLines(records: readonly unknown[]): Promise<Uint8Array> {
  const text = `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The records of a gzip-compressed JSON Lines body. */
export async function gunzipJsonLines(body: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const text = await new Response(body.pipeThrough(new DecompressionStream("gzip"))).text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}
