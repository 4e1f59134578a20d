import { describe, expect, it } from "vitest";
import { signBedrockRequest } from "./sign-bedrock-request";

const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

describe("signBedrockRequest", () => {
  it("signs for service bedrock in the config's region, over the URL actually used", async () => {
    const url = "http://127.0.0.1:4567/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
    const headers = await signBedrockRequest(
      url,
      "{}",
      { "content-type": "application/json", accept: "application/json" },
      creds,
      "eu-west-1",
      "20240101T000000Z",
    );
    const auth = headers.get("authorization")!;
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240101\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers.get("x-amz-date")).toBe("20240101T000000Z");
    const other = await signBedrockRequest(
      url.replace("4567", "4568"),
      "{}",
      { "content-type": "application/json", accept: "application/json" },
      creds,
      "eu-west-1",
      "20240101T000000Z",
    );
    expect(other.get("authorization")).not.toBe(auth);
  });
});
