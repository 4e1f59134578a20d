import { ApiError } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import { parseServiceAccountKey } from "./parse-service-account-key";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

describe("parseServiceAccountKey", () => {
  it("reads a service-account JSON key file", () => {
    const file = JSON.stringify({
      type: "service_account",
      project_id: "my-project",
      private_key_id: "abc123",
      private_key: PEM,
      client_email: "edgeserve@my-project.iam.gserviceaccount.com",
      client_id: "1234567890",
      token_uri: "https://oauth2.googleapis.com/token",
    });
    expect(parseServiceAccountKey(`  ${file}\n`)).toEqual({
      clientEmail: "edgeserve@my-project.iam.gserviceaccount.com",
      privateKey: PEM,
      privateKeyId: "abc123",
    });
  });

  it("refuses a bare PEM and other things with a 502 that never echoes the key", () => {
    for (const secret of [
      PEM,
      "not json",
      JSON.stringify({ type: "authorized_user", client_email: "x" }),
      JSON.stringify({ private_key: PEM }),
      JSON.stringify({ client_email: "a@b", private_key: "-----BEGIN RSA PRIVATE KEY-----" }),
    ]) {
      const e = (() => {
        try {
          parseServiceAccountKey(secret);
        } catch (error) {
          return error;
        }
      })();
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(502);
      expect((e as ApiError).message).not.toContain("MIIE");
    }
  });
});
