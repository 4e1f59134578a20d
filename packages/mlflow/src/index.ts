export * from "./scoring-input";
export * from "./inference-protocol";
