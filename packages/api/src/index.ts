export * from "./errors";
export * from "./validation";
export * from "./external-model";
export * from "./ai-gateway";
export * from "./serving-endpoint";
export * from "./query";
export * from "./permissions";
export * from "./payload-logs";
