import { describe, expect, it } from "vitest";
import { jsonResponse, knownBodyText, textResponse } from "./known-body-text";

describe("known body text", () => {
  it("remembers the text a response was made from, and the body is that text", async () => {
    const response = textResponse('{"a":1}', { status: 200, headers: { "content-type": "application/json" } });
    expect(knownBodyText(response)).toBe('{"a":1}');
    expect(await response.text()).toBe('{"a":1}');
  });

  it("serialises JSON once, as Response.json would, with its content type", async () => {
    const response = jsonResponse({ choices: [{ text: "é" }] }, { status: 201 });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(knownBodyText(response)).toBe(JSON.stringify({ choices: [{ text: "é" }] }));
    expect(await response.json()).toEqual({ choices: [{ text: "é" }] });
  });

  it("knows nothing of other responses, nor of a response rebuilt from one it knows", () => {
    const known = jsonResponse({ a: 1 });
    expect(knownBodyText(new Response("x"))).toBeUndefined();
    expect(knownBodyText(new Response(known.body, known))).toBeUndefined();
  });
});
