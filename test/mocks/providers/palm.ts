/**
 * Mock of Google's Gemini API (generativelanguage.googleapis.com), which serves provider `palm`:
 *  POST /v1beta/models/{model}:generateContent
 *  POST /v1beta/models/{model}:streamGenerateContent?alt=sse   (SSE of GenerateContentResponse objects)
 *  POST /v1beta/models/{model}:batchEmbedContents              ({requests:[{model,content}]} → {embeddings:[{values}]})
 * Auth: header `x-goog-api-key` (or `?key=`). A key of Google's shape (AIza + 35 characters) is accepted;
 * any other key gets Google's 400 API_KEY_INVALID, no key 403 PERMISSION_DENIED.
 * Scripted: model fail-400/401/429/500/503 → that Google error; a model containing "tool" calls the first tool.
 * GET|DELETE /__mock/requests → what was received.
 */
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
  type RecordedRequest,
} from "./_gemini-engine";

const MODEL_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;
export const VALID_KEY = /^AIza[0-9A-Za-z_-]{35}$/;

function batchEmbed(req: unknown, model: string, res: http.ServerResponse): number {
  if (!req || typeof req !== "object") throw invalid("Invalid JSON payload received.");
  for (const key of Object.keys(req)) if (key !== "requests") throw unknownField(key);
  const list = (req as { requests?: unknown }).requests;
  if (!Array.isArray(list) || list.length === 0)
    throw invalid("* BatchEmbedContentsRequest.requests: requests is not specified\n");
  if (list.length > 100)
    throw invalid("* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n");
  const embeddings = list.map((r: any, i: number) => {
    for (const key of Object.keys(r ?? {}))
      if (!["model", "content", "taskType", "title", "outputDimensionality"].includes(key))
        throw unknownField(key, `requests[${i}]`);
    if (r.model !== `models/${model}`)
      throw invalid(
        `* BatchEmbedContentsRequest.requests[${i}].model: Model names ` +
          `should start with \`models/\` and match the model of the URL.\n`,
      );
    const parts = r.content?.parts;
    if (!Array.isArray(parts) || parts.length === 0 || parts.some((p: any) => typeof p?.text !== "string"))
      throw invalid(`* BatchEmbedContentsRequest.requests[${i}].content.parts: must be text parts\n`);
    return { values: embeddingOf(`${model}:${parts.map((p: any) => p.text).join("")}`, r.outputDimensionality ?? 8) };
  });
  res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify({ embeddings }, null, 2));
  return 200;
}

export default async function start(): Promise<ProviderMock> {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  const server = http.createServer(async (req, res) => {
    if (serveControl(req, res, requests)) return;
    const url = new URL(req.url ?? "/", "http://mock");
    const text = await readBody(req);
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
      const m = MODEL_PATH.exec(url.pathname);
      if (req.method !== "POST" || !m)
        throw new GoogleError(404, `The requested URL ${url.pathname} was not found on this server.`, "NOT_FOUND");
      const [, model, method] = m as unknown as [string, string, string];
      const key = (req.headers["x-goog-api-key"] as string | undefined) ?? url.searchParams.get("key") ?? "";
      if (!key)
        throw new GoogleError(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). " +
            "Please use API Key or other form of API consumer identity to call this API.",
          "PERMISSION_DENIED",
        );
      if (!VALID_KEY.test(key))
        throw new GoogleError(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", {
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "API_KEY_INVALID",
              domain: "googleapis.com",
              metadata: { service: "generativelanguage.googleapis.com" },
            },
          ],
        });
      if (method === "streamGenerateContent" && url.searchParams.get("alt") !== "sse")
        throw invalid("This mock streams only with alt=sse.");
      if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
        throw invalid("Invalid Content-Type; expected application/json.");
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw invalid("Invalid JSON payload received. Unexpected token.");
      }
      record.body = parsed;
      const failure = scriptedFailure(model);
      if (failure) throw failure;
      if (method === "batchEmbedContents") {
        record.status = batchEmbed(parsed, model, res);
        return;
      }
      record.status = serveGenerate(
        res,
        model,
        validateGenerateContent(parsed),
        method === "streamGenerateContent",
        model,
      );
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
    providers: ["palm"],
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
