// Registers tsx's loader so plain `node` can import this package's TypeScript (no build step): the `edgeserve`
// bin and infra/publish-model.mjs import it first. "tsx" resolves from this package's own dependencies.
import { register } from "tsx/esm/api";

register();
