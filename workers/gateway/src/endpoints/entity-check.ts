import type { EventLevel } from "./events";
import type { StoredServedEntity } from "./stored-config";

/** Adds a line to the served entity's build log. */
export type Say = (message: string, level?: EventLevel) => void;

/**
 * What the deployment check of one served entity concludes: the entity as it goes live (a registry
 * entity carries its pinned version), or why it cannot serve, which fails the deployment.
 */
export type EntityCheck = { ready: StoredServedEntity } | { problem: string };

/** Logs `problem` as an ERROR build line and fails the entity with it. */
export function cannotServe(say: Say, problem: string): EntityCheck {
  say(problem, "ERROR");
  return { problem };
}
