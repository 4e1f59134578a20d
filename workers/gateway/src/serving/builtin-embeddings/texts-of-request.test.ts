import { describe, expect, it } from "vitest";
import { textsOfRequest } from "./texts-of-request";

describe("textsOfRequest", () => {
  it("takes one string or a list of strings", () => {
    expect(textsOfRequest({ input: "hello" })).toEqual(["hello"]);
    expect(textsOfRequest({ input: ["a", "b"] })).toEqual(["a", "b"]);
  });

  it("accepts dimensions only when it is the model's 512", () => {
    expect(textsOfRequest({ input: "a", dimensions: 512 })).toEqual(["a"]);
    expect(() => textsOfRequest({ input: "a", dimensions: 256 })).toThrow(
      "'dimensions': this model returns 512-dimensional vectors only",
    );
  });

  it("refuses empty texts, naming where they are", () => {
    expect(() => textsOfRequest({ input: "" })).toThrow("Invalid value for 'input': must not be empty.");
    expect(() => textsOfRequest({ input: ["a", ""] })).toThrow("Invalid value for 'input[1]': must not be empty.");
  });

  it("refuses fields and extra_params the encoder would ignore, naming them", () => {
    expect(() => textsOfRequest({ input: "a", truncate: "END" })).toThrow(
      "The built-in encoder does not support 'truncate' on Edgeserve; leave it out.",
    );
    expect(() => textsOfRequest({ input: "a", extra_params: { truncate: "END" } })).toThrow(
      "takes no extra_params on Edgeserve ('truncate' given)",
    );
    expect(
      textsOfRequest({
        input: "a",
        model: "embeddings",
        encoding_format: "base64",
        user: "u-1",
        client_request_id: "r",
        usage_context: {},
        extra_params: {},
      }),
    ).toEqual(["a"]);
  });
});
