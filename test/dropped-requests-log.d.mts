// Types for test/dropped-requests-log.mjs (also read by infra/test.mjs).
export interface DroppedRequest {
  method: string;
  path: string;
  /** The test that sent it: file > describe > name. */
  test: string;
  /** Whether it was sent again (only idempotent requests are). */
  resent: boolean;
}
export declare function recordDroppedRequest(file: string, entry: DroppedRequest): void;
export declare function readDroppedRequests(file: string): DroppedRequest[];
export declare function describeDroppedRequests(entries: DroppedRequest[]): string[];
