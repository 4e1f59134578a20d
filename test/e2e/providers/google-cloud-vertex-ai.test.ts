/**
 * google-cloud-vertex-ai end to end: the endpoint holds the mock's service-account JSON key; the
 * gateway signs an RS256 JWT, exchanges it at the mock's token endpoint (which verifies it with the
 * key pair's public key) and calls Gemini on Vertex AI with the access token.
 */
import { expect, it } from "vitest";
import { api, ok, waitUntilReady } from "../helpers";
import { geminiProviderSuite } from "./_gemini-suite";

const serviceAccounts = new Map<string, Record<string, string>>();
async function serviceAccount(mockUrl: string): Promise<Record<string, string>> {
  if (!serviceAccounts.has(mockUrl))
    serviceAccounts.set(
      mockUrl,
      (await (await fetch(`${mockUrl}/__mock/service-account`)).json()) as Record<string, string>,
    );
  return serviceAccounts.get(mockUrl)!;
}

geminiProviderSuite({
  provider: "google-cloud-vertex-ai",
  config: async (mockUrl) => ({
    project_id: "edgeserve-e2e",
    region: "us-central1",
    private_key_plaintext: JSON.stringify(await serviceAccount(mockUrl)),
  }),
  path: (model, method) =>
    `/v1/projects/edgeserve-e2e/locations/us-central1/publishers/google/models/${model}:${method}`,
  embeddingModel: "text-embedding-005",
  embeddingUsageExact: true,
  async checkAuth(headers) {
    expect(headers.authorization).toMatch(/^Bearer ya29\.mock-/);
  },
  extra({ mockUrl, received }) {
    it("exchanged a JWT for the access token it used, at Google's token path", async () => {
      const tokens = await received((r) => r.url === "/token");
      expect(tokens.length).toBeGreaterThan(0);
      const ok200 = tokens.filter((t) => t.status === 200);
      expect(ok200.length).toBeGreaterThan(0);
      expect(ok200[0]!.body.grant_type).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
      const [header, claims] = (ok200[0]!.body.assertion as string)
        .split(".")
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
      const sa = await serviceAccount(mockUrl());
      expect(header).toEqual({ alg: "RS256", typ: "JWT", kid: sa.private_key_id });
      expect(claims).toMatchObject({
        iss: sa.client_email,
        aud: "https://oauth2.googleapis.com/token",
        scope: "https://www.googleapis.com/auth/cloud-platform",
      });
      // Cached per isolate: far fewer exchanges than model calls.
      const calls = await received(
        (r) =>
          r.url.includes(":generateContent") || r.url.includes(":streamGenerateContent") || r.url.includes(":predict"),
      );
      expect(tokens.length).toBeLessThan(calls.length);
    });

    it(
      "a key the token endpoint refuses → 502 about the " + "endpoint's credentials; a bare PEM → 502 explaining why",
      async () => {
        const sa = await serviceAccount(mockUrl());
        const crypto = await import("node:crypto");
        const other = crypto
          .generateKeyPairSync("rsa", { modulusLength: 2048 })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString();
        const cases: [string, string][] = [
          [JSON.stringify({ ...sa, private_key: other }), "rejected the endpoint's credentials"],
          [sa.private_key!, "bare PEM"],
        ];
        for (const [privateKey, message] of cases) {
          const name = `vertex-badkey-${crypto.randomBytes(4).toString("hex")}`;
          await ok(
            api("POST", "/api/2.0/serving-endpoints", {
              body: {
                name,
                config: {
                  served_entities: [
                    {
                      name: "g",
                      external_model: {
                        name: "gemini-2.0-flash",
                        provider: "google-cloud-vertex-ai",
                        task: "llm/v1/chat",
                        google_cloud_vertex_ai_config: {
                          project_id: "edgeserve-e2e",
                          region: "us-central1",
                          private_key_plaintext: privateKey,
                        },
                      },
                    },
                  ],
                },
              },
            }),
          );
          await waitUntilReady(name);
          const r = await api("POST", `/serving-endpoints/${name}/invocations`, {
            body: { messages: [{ role: "user", content: "x" }] },
          });
          expect(r.status).toBe(502);
          expect(r.body.message).toContain(message);
          expect(r.text).not.toContain("PRIVATE KEY");
        }
      },
    );
  },
});
