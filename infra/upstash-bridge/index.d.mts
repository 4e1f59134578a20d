// Types for infra/upstash-bridge/index.mjs (imported by TypeScript tests and the e2e global setup).
export interface UpstashBridge {
  /** http://127.0.0.1:<port>: UPSTASH_REDIS_REST_URL */
  url: string;
  /** UPSTASH_REDIS_REST_TOKEN */
  token: string;
  port: number;
  /** HTTP requests served so far. */
  readonly requests: number;
  close(): Promise<void>;
}
export declare function startUpstashBridge(options: {
  redisPort: number;
  port?: number;
  token: string;
  host?: string;
  redisHost?: string;
}): Promise<UpstashBridge>;
export interface LocalRedis {
  port: number;
  stop(): Promise<void>;
}
export declare const REDIS_INSTALL_HINT: string;
export declare function redisServerAvailable(bin?: string): boolean;
export declare function startRedis(options?: { port?: number; bin?: string; timeoutMs?: number }): Promise<LocalRedis>;
export interface LocalUpstash {
  url: string;
  token: string;
  redisPort: number;
  stop(): Promise<void>;
}
export declare function startLocalUpstash(options?: { port?: number; token?: string }): Promise<LocalUpstash>;
export declare function stripUpstashFlags(script: string): string;
