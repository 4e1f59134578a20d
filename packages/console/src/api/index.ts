// The console's API layer: one module per API area, each a thin typed wrapper over @edgeserve/sdk (sdk.ts).
export { ApiError } from "./api-error";
export { currentToken, onTokenChange, setToken } from "./session";
export * from "./endpoints";
export * from "./identity";
export * from "./permissions";
export * from "./secrets";
export * from "./registry";
export * from "./resources";
export { putWithProgress } from "./upload";
export type * from "./types";
