// Types for infra/local-stack.mjs (imported by the TypeScript e2e suite).
export declare const repoRoot: string;
export declare function freePort(): Promise<number>;
export declare function workerdEnv(): { MINIFLARE_WORKERD_PATH: string; EDGESERVE_WORKERD_V8_FLAGS: string };
export declare function wranglerEnv(stateDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function runWrangler(
  args: string[],
  options?: { stateDir: string; quiet?: boolean; env?: Record<string, string> },
): Promise<string>;
export declare function applyMigrations(options: { stateDir: string; quiet?: boolean }): Promise<void>;
export declare function stopAllStacks(): Promise<void>;
export declare const LOCAL_FOUNDATION_MODELS: Record<string, Record<string, unknown>>;
export interface LocalStack {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Where wrangler's output goes when started with `quiet: true`. */
  logFile: string | null;
  stop(): Promise<void>;
}
export declare function startLocalStack(options: {
  port: number;
  stateDir: string;
  adminToken: string;
  masterKey: string;
  /** Only during a master-key rotation: the old key (EDGESERVE_MASTER_KEY_PREVIOUS). */
  previousMasterKey?: string;
  vars?: Record<string, string>;
  quiet?: boolean;
  timeoutMs?: number;
}): Promise<LocalStack>;
