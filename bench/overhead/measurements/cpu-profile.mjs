// A CPU profile of the hot path: load at 32 connections while bench/profile.mjs samples the gateway
// through workerd's inspector. Taken last, on an instance of its own, so no measured instance has one.
import { runHelperAsync } from "../processes.mjs";
import { PROFILE_SECONDS, STREAM } from "../settings.mjs";

/**
 * The profile's top self-time and inclusive-time functions (bench/profile.mjs --json), of streamed queries
 * when `stream` (by default with BENCH_STREAM=1).
 */
export async function profileUnderLoad(target, inspectorPort, stream = STREAM) {
  const loadOptions = {
    url: target.url,
    method: "POST",
    headers: target.headers,
    body: stream ? target.streamBody : target.body,
    connections: 32,
    duration: PROFILE_SECONDS + 3,
    warmup: 1,
  };
  const load = runHelperAsync("load.mjs", [JSON.stringify(loadOptions)]);
  await new Promise((r) => setTimeout(r, 2000));
  const profiled = await runHelperAsync("profile.mjs", [String(inspectorPort), String(PROFILE_SECONDS), "--json"]);
  await load;
  return JSON.parse(profiled.trim().split("\n").at(-1));
}
