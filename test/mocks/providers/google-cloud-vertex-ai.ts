/**
 * Mock of Vertex AI and Google's OAuth token endpoint (keys `google-cloud-vertex-ai` and
 * `google-oauth` of EDGESERVE_PROVIDER_BASE_URLS both point here).
 *
 *  POST /token  (application/x-www-form-urlencoded, grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer,
 *               assertion=<RS256 JWT>) — verifies the JWT's signature with the public key of a key pair
 *               generated at start-up, and its iss / aud / scope / iat / exp, then issues an access token.
 *  POST /v1/projects/{p}/locations/{r}/publishers/google/models/{m}:generateContent
 *  POST …:streamGenerateContent?alt=sse   (SSE of GenerateContentResponse objects)
 *  POST …:predict                          (text embeddings: instances[{content}] → predictions[].embeddings)
 *  Authorization: Bearer <a token this mock issued>, else 401 UNAUTHENTICATED.
 *
 *  GET /__mock/service-account → the service-account JSON key file (the private key the e2e test stores).
 *  GET|DELETE /__mock/requests  → what was received.
 * Scripted: model fail-400/401/429/500/503 → that Google error; a model containing "tool" calls the first tool.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderMock } from "./index";
import {
  GoogleError,
  embeddingOf,
  headersOf,
  invalid,
  readBody,
  scriptedFailure,
  sendGoogleError,
  serveControl,
  serveGenerate,
  unknownField,
  validateGenerateContent,
  wordCount,
  type RecordedRequest,
} from "./_gemini-engine";

const PROJECT = "edgeserve-e2e";
const TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const MODEL_PATH =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent|predict)$/;

function b64url(text: string): Buffer {
  return Buffer.from(text, "base64url");
}

export default async function start(): Promise<ProviderMock & { serviceAccount: Record<string, string> }> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyId = crypto.randomBytes(20).toString("hex");
  const serviceAccount = {
    type: "service_account",
    project_id: PROJECT,
    private_key_id: privateKeyId,
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: `edgeserve-e2e@${PROJECT}.iam.gserviceaccount.com`,
    client_id: "104560000000000000001",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: TOKEN_AUDIENCE,
    auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/edgeserve-e2e%40${PROJECT}.iam.gserviceaccount.com`,
    universe_domain: "googleapis.com",
  };
  const issued = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  let seq = 0;

  /** Google's token endpoint: OAuth errors are `{"error","error_description"}`. */
  function token(body: string, res: http.ServerResponse, contentType: string): number {
    const fail = (status: number, error: string, description: string) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error, error_description: description }));
      return status;
    };
    if (!contentType.startsWith("application/x-www-form-urlencoded"))
      return fail(400, "invalid_request", "Invalid Content-Type.");
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
      return fail(400, "unsupported_grant_type", `Invalid grant_type: ${form.get("grant_type") ?? ""}`);
    const parts = (form.get("assertion") ?? "").split(".");
    if (parts.length !== 3)
      return fail(
        400,
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
      );
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(b64url(parts[0]!).toString("utf8"));
      claims = JSON.parse(b64url(parts[1]!).toString("utf8"));
    } catch {
      return fail(400, "invalid_grant", "Invalid JWT: malformed.");
    }
    if (header.alg !== "RS256") return fail(400, "invalid_grant", "Invalid JWT: only RS256 is supported.");
    const signatureOk = crypto.verify(
      "RSA-SHA256",
      Buffer.from(`${parts[0]}.${parts[1]}`),
      publicKey,
      b64url(parts[2]!),
    );
    if (!signatureOk) return fail(400, "invalid_grant", "Invalid JWT Signature.");
    if (header.kid !== undefined && header.kid !== privateKeyId)
      return fail(400, "invalid_grant", "Invalid JWT Signature.");
    if (claims.iss !== serviceAccount.client_email)
      return fail(400, "invalid_grant", "Invalid grant: account not found");
    if (claims.aud !== TOKEN_AUDIENCE) return fail(400, "invalid_grant", "Invalid JWT: Failed audience check.");
    if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(SCOPE))
      return fail(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(iat <= now + 60 && exp > now && exp - iat <= 3600))
      return fail(
        400,
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a " +
          "reasonable timeframe. Check your iat and exp values in the JWT claim.",
      );
    const accessToken = `ya29.mock-${crypto.randomBytes(24).toString("base64url")}`;
    issued.set(accessToken, Date.now() + 3599_000);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: "Bearer" }));
    return 200;
  }

  function predict(req: Record<string, any>, model: string, res: http.ServerResponse): number {
    for (const key of Object.keys(req)) if (!["instances", "parameters"].includes(key)) throw unknownField(key);
    if (!Array.isArray(req.instances) || req.instances.length === 0)
      throw invalid("instances must be a non-empty list.");
    if (req.instances.length > 250)
      throw invalid(`Request contains ${req.instances.length} instances; the maximum is 250.`);
    const params = req.parameters ?? {};
    for (const key of Object.keys(params))
      if (!["autoTruncate", "outputDimensionality"].includes(key)) throw unknownField(key, "parameters");
    const dims = params.outputDimensionality ?? 8;
    const predictions = req.instances.map((instance: unknown, i: number) => {
      if (!instance || typeof instance !== "object") throw invalid(`instances[${i}] must be an object.`);
      const { content, ...rest } = instance as Record<string, unknown>;
      for (const key of Object.keys(rest))
        if (!["task_type", "title"].includes(key)) throw unknownField(key, `instances[${i}]`);
      if (typeof content !== "string") throw invalid(`instances[${i}].content must be a string.`);
      return {
        embeddings: {
          statistics: { truncated: false, token_count: wordCount(content) },
          values: embeddingOf(`${model}:${content}`, dims),
        },
      };
    });
    res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
    res.end(
      JSON.stringify(
        {
          predictions,
          metadata: { billableCharacterCount: req.instances.reduce((n: number, x: any) => n + x.content.length, 0) },
        },
        null,
        2,
      ),
    );
    return 200;
  }

  const server = http.createServer(async (req, res) => {
    if (serveControl(req, res, requests)) return;
    const url = new URL(req.url ?? "/", "http://mock");
    if (req.method === "GET" && url.pathname === "/__mock/service-account") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(serviceAccount));
      return;
    }
    const text = await readBody(req);
    let parsed: unknown = text;
    const record: RecordedRequest = {
      seq: ++seq,
      method: req.method ?? "",
      url: req.url ?? "",
      headers: headersOf(req),
      body: text,
      status: 0,
    };
    requests.push(record);
    if (requests.length > 5000) requests.shift();
    try {
      if (req.method === "POST" && url.pathname === "/token") {
        record.body = Object.fromEntries(new URLSearchParams(text));
        record.status = token(text, res, req.headers["content-type"] ?? "");
        return;
      }
      const m = MODEL_PATH.exec(url.pathname);
      if (req.method !== "POST" || !m)
        throw new GoogleError(404, `The requested URL ${url.pathname} was not found on this server.`, "NOT_FOUND");
      const [, project, location, model, method] = m as unknown as [string, string, string, string, string];
      const auth = req.headers.authorization ?? "";
      const bearer = auth.startsWith("Bearer ") ? auth.slice(7) : "";
      const expires = issued.get(bearer);
      if (!expires || expires < Date.now())
        throw new GoogleError(
          401,
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
          "UNAUTHENTICATED",
        );
      if (project !== PROJECT)
        throw new GoogleError(
          403,
          `Permission 'aiplatform.endpoints.predict' denied on resource ` +
            `'//aiplatform.googleapis.com/projects/${project}/locations/${location}` +
            `/publishers/google/models/${model}' (or it may not exist).`,
          "PERMISSION_DENIED",
        );
      if (method === "streamGenerateContent" && url.searchParams.get("alt") !== "sse")
        throw invalid("This mock streams only with alt=sse.");
      if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
        throw invalid("Invalid Content-Type; expected application/json.");
      try {
        parsed = JSON.parse(text);
      } catch {
        throw invalid(`Invalid JSON payload received. Unexpected token.`);
      }
      record.body = parsed;
      const failure = scriptedFailure(model);
      if (failure) throw failure;
      if (method === "predict") {
        record.status = predict(parsed as Record<string, any>, model, res);
        return;
      }
      const valid = validateGenerateContent(parsed);
      record.status = serveGenerate(res, model, valid, method === "streamGenerateContent", model);
    } catch (e) {
      record.status = sendGoogleError(
        res,
        e instanceof GoogleError ? e : new GoogleError(500, "Internal error encountered.", "INTERNAL"),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    providers: ["google-cloud-vertex-ai", "google-oauth"],
    url: `http://127.0.0.1:${port}`,
    serviceAccount,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
