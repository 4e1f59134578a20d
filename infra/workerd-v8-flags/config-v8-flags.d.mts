// Types for config-v8-flags.mjs (imported by the TypeScript tests).
export declare function withV8Flags(
  message: Buffer,
  flags: string[],
): { message: Buffer; patched: boolean; reason?: string };
export declare function readV8Flags(message: Buffer): string[];
