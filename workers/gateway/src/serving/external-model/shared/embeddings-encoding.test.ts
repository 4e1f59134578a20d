import { describe, expect, it } from "vitest";
import { float32Base64, withEncodingFormat } from "./embeddings-encoding";

describe("float32Base64", () => {
  it("encodes little-endian float32 like OpenAI", () => {
    expect(float32Base64([1, -2])).toBe("AACAPwAAAMA=");
    const decoded = new Float32Array(Uint8Array.from(atob(float32Base64([0.5, 0.25])), (c) => c.charCodeAt(0)).buffer);
    expect([...decoded]).toEqual([0.5, 0.25]);
  });

  it("leaves float bodies alone", () => {
    const body = { object: "list", data: [{ object: "embedding", index: 0, embedding: [1] }] };
    expect(withEncodingFormat(body, "float")).toBe(body);
    expect(withEncodingFormat(body, "base64").data[0]!.embedding).toBe("AACAPw==");
  });
});
