// Types for infra/console-build.mjs (imported by the gateway's vitest project).
export function consoleBuildStale(): boolean;
export function ensureConsoleBuilt(options?: { quiet?: boolean }): Promise<void>;
