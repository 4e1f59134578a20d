import type { ChatRequest } from "@edgeserve/api";
import { useEffect, useRef, useState } from "preact/hooks";
import { currentToken, setToken } from "../api";
import { type ChatRun, runChat } from "./chat-client";

export interface PaneRuns {
  /** The latest run of each pane (by pane id). */
  runs: Record<number, ChatRun | undefined>;
  /** Sends a request for a pane (stopping its previous one) and resolves with the finished run. */
  start: (paneId: number, request: ChatRequest) => Promise<ChatRun>;
  stop: (paneId: number) => void;
  stopAll: () => void;
  running: boolean;
}

/**
 * The requests in flight, one per pane. Streams update the run object as frames arrive; the page re-renders
 * at most once per animation frame whatever the rate of frames, so a fast stream does not flood the renderer.
 */
export function usePaneRuns(): PaneRuns {
  const [runs, setRuns] = useState<Record<number, ChatRun | undefined>>({});
  const controllers = useRef(new Map<number, AbortController>());
  const dirty = useRef(new Map<number, ChatRun>());
  const frame = useRef<number | null>(null);

  const flush = () => {
    frame.current = null;
    const changed = [...dirty.current.entries()];
    dirty.current.clear();
    setRuns((previous) => {
      const next = { ...previous };
      for (const [paneId, run] of changed) next[paneId] = { ...run, reply: { ...run.reply } };
      return next;
    });
  };
  const schedule = (paneId: number, run: ChatRun) => {
    dirty.current.set(paneId, run);
    frame.current ??= requestAnimationFrame(flush);
  };

  const stop = (paneId: number) => controllers.current.get(paneId)?.abort();
  const stopAll = () => {
    for (const controller of controllers.current.values()) controller.abort();
  };
  // Leaving the page stops every stream (the gateway then cancels the upstream calls).
  useEffect(() => stopAll, []);

  const start = async (paneId: number, request: ChatRequest) => {
    stop(paneId);
    const controller = new AbortController();
    controllers.current.set(paneId, controller);
    const run = await runChat(request, {
      token: currentToken(),
      signal: controller.signal,
      onUpdate: (r) => schedule(paneId, r),
    });
    if (controllers.current.get(paneId) === controller) controllers.current.delete(paneId);
    // The final state now, not a frame later: the caller adds the reply to the history in the same render.
    dirty.current.set(paneId, run);
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    flush();
    // An expired or revoked token ends the session, as everywhere in the console.
    if (run.facts?.status === 401) setToken(null);
    return run;
  };

  const running = Object.values(runs).some((r) => r?.status === "running");
  return { runs, start, stop, stopAll, running };
}
