export { buildOpenApiDocument, OPENAPI_VERSION, type OpenApiOptions } from "./document";
export { buildEndpointQueryOpenApi, type QueryableEndpoint } from "./endpoint-query";
export { PUBLIC_ROUTES, TAGS, type RouteSpec, type HttpMethod } from "./routes";
export { COMPONENT_SCHEMAS, errorBody } from "./components";
