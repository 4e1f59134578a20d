export { buildOpenApiDocument } from "./document";
export { buildEndpointQueryOpenApi } from "./endpoint-query";
