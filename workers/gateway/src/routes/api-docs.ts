import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { AppEnv } from "../env";

const OPENAPI_JSON_PATH = "/api/2.0/openapi.json";

/**
 * The API's OpenAPI document and a page to browse it, both without a token (mounted before authenticate).
 *
 * The document is generated from the zod schemas. Converting them is the only costly step, so the module
 * that does it is imported on the first request (not when the worker starts) and the result is kept for
 * the isolate's lifetime; only `servers` differs per request.
 */
export const apiDocsRoutes = new Hono<AppEnv>();

let documentPromise: Promise<Record<string, unknown>> | undefined;

function baseDocument(): Promise<Record<string, unknown>> {
  documentPromise ??= import("@edgeserve/api/openapi/index")
    .then(({ buildOpenApiDocument }) => buildOpenApiDocument({}) as Record<string, unknown>)
    .catch((error: unknown) => {
      documentPromise = undefined; // let the next request retry instead of caching the failure
      throw error;
    });
  return documentPromise;
}

apiDocsRoutes.get(OPENAPI_JSON_PATH, async (c) => {
  const { openapi, info, ...rest } = await baseDocument();
  // The server is wherever this request reached the gateway, so "Try it" in /docs calls this deployment.
  return c.json({ openapi, info, servers: [{ url: new URL(c.req.url).origin }], ...rest });
});

/**
 * The browsable reference. @scalar/hono-api-reference only renders a small HTML page on the server; the
 * page loads the Scalar UI in the browser from the jsDelivr CDN (by default the ESM build,
 * https://cdn.jsdelivr.net/npm/@scalar/api-reference/esm.js, see DEFAULT_ESM_CDN in
 * @scalar/client-side-rendering), which then fetches the document from OPENAPI_JSON_PATH. Nothing of the
 * UI is bundled into the worker, but the page needs a browser with access to that CDN.
 */
apiDocsRoutes.get(
  "/docs",
  Scalar({
    url: OPENAPI_JSON_PATH,
    pageTitle: "Edgeserve API reference",
    // Bearer auth is the document's only security scheme; preselect it for "Try it".
    authentication: { preferredSecurityScheme: "bearerAuth" },
  }),
);
