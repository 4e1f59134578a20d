/** 32 lowercase hex characters, the shape of Databricks endpoint and object ids. */
export function newHexId(bytes = 16): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  for (const b of buf) out += b.toString(16).padStart(2, "0");
  return out;
}
