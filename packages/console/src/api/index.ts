// The console's API layer: one module per API area, each a thin typed wrapper over apiRequest (client.ts).
export { ApiError } from "./api-error";
export { apiRequest, queryString } from "./client";
export { currentToken, onTokenChange, setToken } from "./session";
export * from "./endpoints";
export * from "./identity";
export * from "./permissions";
export * from "./secrets";
export * from "./resources";
export type * from "./types";
