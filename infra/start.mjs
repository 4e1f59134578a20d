#!/usr/bin/env node
// The one command for a fresh clone with only Node and npm: `node infra/start.mjs`
// installs pnpm and the dependencies if needed, then runs the local stack (see infra/dev.mjs).
import { setup } from "./setup.mjs";

try {
  await setup();
} catch (e) {
  console.error(`[setup] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
// Imported after setup: local-stack resolves wrangler from node_modules.
const { dev } = await import("./dev.mjs");
await dev().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
