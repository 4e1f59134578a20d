import type { z } from "zod";
import { ERROR_STATUS } from "../errors";
import { COMPONENT_SCHEMAS } from "./components";
import { type JsonObject, SchemaCatalog } from "./json-schema";
import { ANY_PRINCIPAL, PATH_PARAMETERS, PUBLIC_ROUTES, type RawResponse, type RouteSpec, TAGS } from "./routes";

export const OPENAPI_VERSION = "3.1.1";
export const API_VERSION = "2.0";

export interface OpenApiOptions {
  /** The server URL written into `servers` (the gateway passes the request's origin). */
  serverUrl?: string;
}

/** The OpenAPI 3.1 document of the whole public API, generated from the route table and zod schemas. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): JsonObject {
  const catalog = new SchemaCatalog(COMPONENT_SCHEMAS);
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of PUBLIC_ROUTES) {
    (paths[route.path] ??= {})[route.method] = renderOperation(route, catalog);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Edgeserve API",
      version: API_VERSION,
      description:
        "Databricks Model Serving on Cloudflare Workers. The routes, bodies and error shapes are those of the " +
        "Databricks REST API, so Databricks clients (SDKs, MLflow Deployments, the OpenAI SDK) work unchanged.\n\n" +
        "Every call except this document takes `Authorization: Bearer <token>`. Every error is " +
        "`{error_code, message, details?}` with the HTTP status that error_code maps to.",
    },
    ...servers(options.serverUrl),
    security: [{ bearerAuth: [] }],
    tags: Object.values(TAGS).map((t) => ({ ...t })),
    paths,
    components: {
      schemas: catalog.components,
      responses: errorResponses(),
      securitySchemes: securitySchemes(),
    },
  };
}

export function servers(serverUrl: string | undefined): { servers?: JsonObject[] } {
  return serverUrl ? { servers: [{ url: serverUrl.replace(/\/+$/, "") }] } : {};
}

export function securitySchemes(): JsonObject {
  return {
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      description: "A personal access token (`dapi…`), or a token created on behalf of a service principal.",
    },
  };
}

/** One shared response per error status, each with the ErrorBody schema. */
export function errorResponses(): Record<string, JsonObject> {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS))
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  const responses: Record<string, JsonObject> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retry = status === 429 || status === 503;
    responses[errorResponseName(status)] = {
      description: `${STATUS_TEXT[status] ?? "Error"}: error_code ${codes.join(", ")}.`,
      ...(retry && {
        headers: {
          "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 0 } },
        },
      }),
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    };
  }
  return responses;
}

export function errorResponseName(status: number): string {
  return `Error${status}`;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Missing or invalid token",
  403: "Permission denied",
  404: "Not found",
  409: "Conflict",
  413: "Payload or resource limit exceeded",
  429: "Rate limited",
  500: "Internal error",
  501: "Not implemented",
  502: "Upstream error",
  503: "Temporarily unavailable",
  504: "Upstream timed out",
};

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

function pathParameters(path: string): JsonObject[] {
  return pathParameterNames(path).map((name) => ({
    name,
    in: "path",
    required: true,
    description: PATH_PARAMETERS[name] ?? name,
    schema: { type: "string" },
  }));
}

/** Query parameters from a zod object: one parameter per property. */
function queryParameters(query: z.ZodObject, catalog: SchemaCatalog): JsonObject[] {
  const json = catalog.inline(query);
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(typeof description === "string" && { description }),
      schema: rest,
    };
  });
}

/** 400 with a body or query, 401 unless public, 403 unless any principal may call, 404 with path parameters. */
function errorStatuses(route: RouteSpec): number[] {
  const statuses = new Set<number>(route.errors ?? []);
  if (route.requestBody || route.query) statuses.add(400);
  if (!route.public) statuses.add(401);
  if (!route.public && !route.permission.startsWith(ANY_PRINCIPAL)) statuses.add(403);
  if (pathParameterNames(route.path).length > 0) statuses.add(404);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

function isRaw(response: RouteSpec["response"]): response is RawResponse {
  return typeof (response as RawResponse).contentType === "string";
}

const SSE_NOTE =
  ' With `"stream": true` in the body the answer is Server-Sent ' +
  "Events: `data: <chunk JSON>` lines, ending with `data: [DONE]`.";

function renderOperation(route: RouteSpec, catalog: SchemaCatalog): JsonObject {
  const parameters = [...pathParameters(route.path), ...(route.query ? queryParameters(route.query, catalog) : [])];
  const ok: JsonObject = isRaw(route.response)
    ? {
        description: route.response.description,
        content: { [route.response.contentType]: { schema: { type: "string" } } },
      }
    : {
        description: `Success.${route.streams ? SSE_NOTE : ""}`,
        content: {
          "application/json": { schema: catalog.schemaFor(route.response) },
          ...(route.streams && { "text/event-stream": { schema: { type: "string" } } }),
        },
      };
  const status = route.status ?? 200;
  const responses: JsonObject = { [String(status)]: status === 204 ? { description: "Done; no body." } : ok };
  for (const status of errorStatuses(route)) {
    responses[String(status)] = { $ref: `#/components/responses/${errorResponseName(status)}` };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, `**Required permission:** ${route.permission}`].filter(Boolean).join("\n\n"),
    tags: [route.tag],
    ...(parameters.length > 0 && { parameters }),
    ...(route.requestBody && {
      requestBody: {
        required: true,
        content: { "application/json": { schema: catalog.schemaFor(route.requestBody) } },
      },
    }),
    responses,
    ...(route.public && { security: [] }),
    ...(route.deprecated && { deprecated: true }),
    "x-required-permission": route.permission,
  };
}
