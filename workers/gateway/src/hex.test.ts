import { describe, expect, it } from "vitest";
import { sha256Hex, toHex } from "./hex";

describe("toHex", () => {
  it("writes each byte as two lowercase hex digits, leading zeros kept", () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe("00010f10abff");
    expect(toHex(new Uint8Array([222, 173, 190, 239]).buffer)).toBe("deadbeef");
    expect(toHex(new Uint8Array())).toBe("");
  });
});

describe("sha256Hex", () => {
  it("is the SHA-256 of the UTF-8 text", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("é")).toBe(await sha256Hex("\u00e9"));
  });
});
