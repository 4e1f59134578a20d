import type { z } from "zod";
import { QUERY_SCHEMAS } from "../query";
import { COMPONENT_SCHEMAS as S } from "./components";
import { API_VERSION, errorResponseName, errorResponses, OPENAPI_VERSION, securitySchemes, servers } from "./document";
import { type JsonObject, SchemaCatalog } from "./json-schema";

export interface QueryableEndpoint {
  name: string;
  /** e.g. "llm/v1/chat"; null/undefined for custom models (MLflow scoring protocol). */
  task?: string | null;
  servedEntityNames: string[];
  /**
   * JSON Schemas from the served model's MLflow signature (custom models): they replace the generic scoring schemas.
   */
  signature?: { request: JsonObject; response: JsonObject };
}

type Task = keyof typeof QUERY_SCHEMAS;
const QUERY_ERROR_STATUSES = [400, 401, 403, 404, 413, 429, 500, 502, 503, 504];

/** The components each task's document names (nested ones become `$ref`s). */
const TASK_COMPONENTS: Record<
  Task | "mlflow",
  { request: string; response: string; schemas: Record<string, z.ZodType> }
> = {
  "llm/v1/chat": {
    request: "ChatRequest",
    response: "ChatResponse",
    schemas: { ChatRequest: S.ChatRequest, ChatResponse: S.ChatResponse, ChatMessage: S.ChatMessage, Usage: S.Usage },
  },
  "llm/v1/completions": {
    request: "CompletionsRequest",
    response: "CompletionsResponse",
    schemas: { CompletionsRequest: S.CompletionsRequest, CompletionsResponse: S.CompletionsResponse, Usage: S.Usage },
  },
  "llm/v1/embeddings": {
    request: "EmbeddingsRequest",
    response: "EmbeddingsResponse",
    schemas: { EmbeddingsRequest: S.EmbeddingsRequest, EmbeddingsResponse: S.EmbeddingsResponse, Usage: S.Usage },
  },
  mlflow: {
    request: "ScoringRequest",
    response: "ScoringResponse",
    schemas: { ScoringRequest: S.ScoringRequest, ScoringResponse: S.ScoringResponse },
  },
};

// Converting the zod schemas is the costly part, and there are only four variants: convert each once.
const catalogs = new Map<string, SchemaCatalog>();
function catalogFor(kind: Task | "mlflow"): SchemaCatalog {
  let catalog = catalogs.get(kind);
  if (!catalog) {
    catalog = new SchemaCatalog({ ErrorBody: S.ErrorBody, ...TASK_COMPONENTS[kind].schemas });
    catalogs.set(kind, catalog);
  }
  return catalog;
}

function isTask(task: string | null | undefined): task is Task {
  return typeof task === "string" && Object.hasOwn(QUERY_SCHEMAS, task);
}

/**
 * The query schema of one endpoint (GET /api/2.0/serving-endpoints/{name}/openapi): its invocations route
 * and one per served entity, with the request/response of the endpoint's task, or the MLflow scoring
 * protocol when it has none.
 */
export function buildEndpointQueryOpenApi(endpoint: QueryableEndpoint, serverUrl?: string): JsonObject {
  const kind = isTask(endpoint.task) ? endpoint.task : "mlflow";
  const { request, response } = TASK_COMPONENTS[kind];
  const catalog = catalogFor(kind);
  const streams = kind === "llm/v1/chat" || kind === "llm/v1/completions";

  const operation = (operationId: string, summary: string): JsonObject => ({
    operationId,
    summary,
    description: "**Required permission:** CAN_QUERY on the endpoint.",
    requestBody: {
      required: true,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${request}` } } },
    },
    responses: {
      "200": {
        description: streams
          ? 'Success. With `"stream": true` the answer is Server-Sent ' +
            "Events (`data: <chunk JSON>` lines, ending with `data: [DONE]`)."
          : "Success.",
        headers: {
          "served-model-name": { description: "The served entity that answered.", schema: { type: "string" } },
        },
        content: {
          "application/json": { schema: { $ref: `#/components/schemas/${response}` } },
          ...(streams && { "text/event-stream": { schema: { type: "string" } } }),
        },
      },
      ...Object.fromEntries(
        QUERY_ERROR_STATUSES.map((s) => [String(s), { $ref: `#/components/responses/${errorResponseName(s)}` }]),
      ),
    },
  });

  const base = `/serving-endpoints/${endpoint.name}`;
  const paths: Record<string, JsonObject> = {
    [`${base}/invocations`]: { post: operation("query", `Query ${endpoint.name}`) },
  };
  endpoint.servedEntityNames.forEach((entity, i) => {
    paths[`${base}/served-models/${entity}/invocations`] = {
      post: operation(`queryServedEntity${i}`, `Query served entity ${entity} of ${endpoint.name}`),
    };
  });

  const allErrors = errorResponses();
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: endpoint.name,
      version: API_VERSION,
      description: isTask(endpoint.task)
        ? `Query schema of serving endpoint ${endpoint.name} (task ${endpoint.task}).`
        : `Query schema of serving endpoint ${endpoint.name}: the MLflow scoring protocol (exactly one of ` +
          "dataframe_split, dataframe_records, instances or inputs, plus optional params).",
    },
    ...servers(serverUrl),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      // The catalog is cached: hand out a copy (with the model's own schemas when its signature is known).
      schemas: {
        ...catalog.components,
        ...(kind === "mlflow" &&
          endpoint.signature && {
            ScoringRequest: endpoint.signature.request,
            ScoringResponse: endpoint.signature.response,
          }),
      },
      responses: Object.fromEntries(
        QUERY_ERROR_STATUSES.map((s) => [errorResponseName(s), allErrors[errorResponseName(s)]!]),
      ),
      securitySchemes: securitySchemes(),
    },
  };
}
