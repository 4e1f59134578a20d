import { toHex } from "./hex";

/** 32 lowercase hex characters, the shape of Databricks endpoint and object ids. */
export function newHexId(bytes = 16): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}
