import { describe, expect, it } from "vitest";
import { expectValidOpenApi31, resolvePointer } from "./assert-valid-openapi";
import { buildOpenApiDocument } from "./document";
import { PUBLIC_ROUTES } from "./routes";

type Json = Record<string, any>;

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument({ serverUrl: "https://edgeserve.example/" }) as Json;

  it("is a valid OpenAPI 3.1 document whose $refs all resolve", async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    await expectValidOpenApi31(doc);
  });

  it("is plain JSON (survives a round trip unchanged)", () => {
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  it("has one operation per route of the table, with unique operationIds", () => {
    for (const route of PUBLIC_ROUTES) {
      const op = doc.paths[route.path]?.[route.method];
      expect(op, `${route.method.toUpperCase()} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.operationId);
      expect(op.tags).toEqual([route.tag]);
      expect(op.description).toContain(route.permission);
    }
    const ids = PUBLIC_ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const operations = Object.values(doc.paths).flatMap((item: any) => Object.keys(item));
    expect(operations.length).toBe(PUBLIC_ROUTES.length);
  });

  it("declares every path parameter, and only those", () => {
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries<Json>(item)) {
        const declared = (op.parameters ?? [])
          .filter((p: Json) => p.in === "path")
          .map((p: Json) => {
            expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
            return p.name;
          })
          .sort();
        expect(declared, `${method} ${path}`).toEqual(inPath);
      }
    }
  });

  it("covers the routes Databricks clients call", () => {
    const expected = [
      "post /api/2.0/serving-endpoints",
      "post /api/2.0/serving-endpoints/",
      "get /api/2.0/serving-endpoints",
      "get /api/2.0/serving-endpoints/",
      "get /api/2.0/serving-endpoints/{name}",
      "delete /api/2.0/serving-endpoints/{name}",
      "put /api/2.0/serving-endpoints/{name}/config",
      "put /api/2.0/serving-endpoints/{name}/ai-gateway",
      "put /api/2.0/serving-endpoints/{name}/rate-limits",
      "patch /api/2.0/serving-endpoints/{name}/tags",
      "patch /api/2.0/serving-endpoints/{name}/notifications",
      "patch /api/2.0/serving-endpoints/{name}/telemetry-config",
      "get /api/2.0/serving-endpoints/{name}/openapi",
      "get /api/2.0/serving-endpoints/{name}/metrics",
      "get /api/2.0/serving-endpoints/{name}/usage",
      "get /api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/logs",
      "get /api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/build-logs",
      "get /api/2.0/permissions/serving-endpoints/{serving_endpoint_id}",
      "put /api/2.0/permissions/serving-endpoints/{serving_endpoint_id}",
      "patch /api/2.0/permissions/serving-endpoints/{serving_endpoint_id}",
      "get /api/2.0/permissions/serving-endpoints/{serving_endpoint_id}/permissionLevels",
      "post /api/2.0/token/create",
      "get /api/2.0/token/list",
      "post /api/2.0/token/delete",
      "post /api/2.0/token-management/on-behalf-of/tokens",
      "get /api/2.0/token-management/tokens",
      "get /api/2.0/token-management/tokens/{token_id}",
      "delete /api/2.0/token-management/tokens/{token_id}",
      ...["Users", "Groups", "ServicePrincipals"].flatMap((r) => [
        `get /api/2.0/preview/scim/v2/${r}`,
        `post /api/2.0/preview/scim/v2/${r}`,
        `get /api/2.0/preview/scim/v2/${r}/{id}`,
        `put /api/2.0/preview/scim/v2/${r}/{id}`,
        `patch /api/2.0/preview/scim/v2/${r}/{id}`,
        `delete /api/2.0/preview/scim/v2/${r}/{id}`,
      ]),
      "get /api/2.0/preview/scim/v2/Me",
      "post /api/2.0/secrets/scopes/create",
      "post /api/2.0/secrets/scopes/delete",
      "get /api/2.0/secrets/scopes/list",
      "post /api/2.0/secrets/put",
      "post /api/2.0/secrets/delete",
      "get /api/2.0/secrets/list",
      "get /api/2.0/secrets/get",
      "post /api/2.0/secrets/acls/put",
      "post /api/2.0/secrets/acls/delete",
      "get /api/2.0/secrets/acls/get",
      "get /api/2.0/secrets/acls/list",
      "post /serving-endpoints/{name}/invocations",
      "post /serving-endpoints/{name}/served-models/{entity}/invocations",
      "post /serving-endpoints/chat/completions",
      "post /serving-endpoints/completions",
      "post /serving-endpoints/embeddings",
    ];
    for (const route of expected) {
      const [method, path] = route.split(" ") as [string, string];
      expect(doc.paths[path]?.[method], route).toBeDefined();
    }
  });

  it("uses bearer auth everywhere but on the document itself", () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/2.0/openapi.json"].get.security).toEqual([]);
    expect(doc.paths["/api/2.0/serving-endpoints"].post.security).toBeUndefined();
  });

  it("answers every 4xx/5xx with the shared error body", () => {
    expect(doc.components.schemas.ErrorBody).toMatchObject({
      type: "object",
      required: ["error_code", "message"],
      properties: { error_code: { type: "string" }, message: { type: "string" }, details: { type: "array" } },
    });
    for (const item of Object.values<Json>(doc.paths)) {
      for (const op of Object.values<Json>(item)) {
        const statuses = Object.keys(op.responses);
        expect(statuses.filter((s) => s.startsWith("2"))).toHaveLength(1);
        expect(statuses).toContain("500");
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          const ref: string = op.responses[status].$ref;
          const response = resolvePointer(doc, ref) as Json;
          expect(response.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ErrorBody" });
        }
      }
    }
  });

  it("renders bodies, query parameters and the server from the schemas", () => {
    expect(doc.servers).toEqual([{ url: "https://edgeserve.example" }]);
    const create = doc.paths["/api/2.0/serving-endpoints"].post;
    expect(create.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/CreateServingEndpointRequest",
    });
    const createSchema = doc.components.schemas.CreateServingEndpointRequest;
    expect(createSchema.required).toEqual(["name"]);
    expect(createSchema.additionalProperties).toBe(false);
    expect(createSchema.properties.tags.items).toEqual({ $ref: "#/components/schemas/EndpointTag" });
    expect(create.responses["409"]).toBeDefined();

    const get = doc.paths["/api/2.0/secrets/get"].get;
    expect(get.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ["scope", "query", true],
      ["key", "query", true],
    ]);
    expect(doc.paths["/serving-endpoints/chat/completions"].post.responses["200"].content).toHaveProperty(
      "text/event-stream",
    );
    expect(doc.paths["/api/2.0/preview/scim/v2/Users"].post.responses).toHaveProperty("201");
    expect(doc.paths["/api/2.0/preview/scim/v2/Users/{id}"].delete.responses["204"]).not.toHaveProperty("content");
    expect(doc.paths["/api/2.0/preview/scim/v2/Users"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ScimUserRequest",
    });
  });

  it("leaves the server out when none is given", () => {
    expect(buildOpenApiDocument({})).not.toHaveProperty("servers");
  });
});
