import { Hono } from "hono";
import type { AppEnv } from "./env";
import { authenticate } from "./middleware/authenticate";
import { database } from "./middleware/database";
import { onError, onNotFound } from "./middleware/errors";
import { requestId } from "./middleware/request-id";
import { anthropicMessagesRoutes } from "./routes/anthropic-messages";
import { apiDocsRoutes } from "./routes/api-docs";
import { consoleRoutes } from "./routes/console";
import { deadLetterRoutes } from "./routes/dead-letters";
import { invocationRoutes } from "./routes/invocations";
import { masterKeyRoutes } from "./routes/master-key";
import { metricsRoutes } from "./routes/metrics";
import { modelServerRoutes } from "./routes/model-servers";
import { usageRoutes } from "./routes/usage";
import { trackQueryOutcomes } from "./metrics/track-query-outcomes";
import { mlflowArtifactRoutes } from "./routes/mlflow-artifacts";
import { mlflowModelVersionRoutes } from "./routes/mlflow-model-versions";
import { mlflowRegisteredModelRoutes } from "./routes/mlflow-registered-models";
import { openaiCompatibleRoutes } from "./routes/openai-compatible";
import { payloadLogging } from "./payload-logs/capture";
import { payloadLogRoutes } from "./routes/payload-logs";
import { configVersionRoutes } from "./routes/config-versions";
import { permissionsRoutes } from "./routes/permissions";
import { scimRoutes } from "./routes/scim";
import { secretsRoutes } from "./routes/secrets";
import { modelOptimizationInfoRoutes } from "./routes/model-optimization-info";
import { servingEndpointRoutes } from "./routes/serving-endpoints";
import { tokenManagementRoutes } from "./routes/token-management";
import { tokensRoutes } from "./routes/tokens";

/**
 * The gateway: the Databricks control-plane API under /api/2.0 and the query path under
 * /serving-endpoints, and the web console (routes/console.ts) on every other path. Everything but the health
 * check, the API docs and the console's static files requires a bearer token.
 */
function createApp() {
  // strict: false — the MLflow client calls `/api/2.0/serving-endpoints/` with a trailing slash.
  const app = new Hono<AppEnv>({ strict: false });
  app.onError(onError);
  app.notFound(onNotFound);
  app.use("*", requestId());
  app.use("*", database());

  // Before every query route (the Anthropic ingress included) so each answered query counts in metrics.
  app.use("/serving-endpoints/*", trackQueryOutcomes());

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.route("/", apiDocsRoutes);

  // Before every query route (the Anthropic ingress included), so it sees their final responses and errors.
  app.use("/serving-endpoints/*", payloadLogging());
  // Anthropic-format ingress authenticates itself (x-api-key or Bearer) and answers in Anthropic's error shape.
  app.route("/serving-endpoints/anthropic", anthropicMessagesRoutes);

  app.use("/api/*", authenticate());
  app.use("/serving-endpoints/*", authenticate());

  app.route("/api/2.0/serving-endpoints", modelOptimizationInfoRoutes);
  app.route("/api/2.0/serving-endpoints", servingEndpointRoutes);
  app.route("/api/2.0/serving-endpoints", usageRoutes);
  app.route("/api/2.0/serving-endpoints", metricsRoutes);
  app.route("/api/2.0/serving-endpoints", payloadLogRoutes);
  app.route("/api/2.0/serving-endpoints", configVersionRoutes);
  app.route("/api/2.0/permissions/serving-endpoints", permissionsRoutes);
  app.route("/api/2.0/token", tokensRoutes);
  app.route("/api/2.0/token-management", tokenManagementRoutes);
  app.route("/api/2.0/preview/scim/v2", scimRoutes);
  app.route("/api/2.0/secrets", secretsRoutes);
  app.route("/api/2.0/edgeserve/master-key", masterKeyRoutes);
  app.route("/api/2.0/mlflow/registered-models", mlflowRegisteredModelRoutes);
  app.route("/api/2.0/mlflow/model-versions", mlflowModelVersionRoutes);
  app.route("/api/2.0/mlflow-artifacts", mlflowArtifactRoutes);
  app.route("/api/2.0/edgeserve/dead-letters", deadLetterRoutes);
  app.route("/api/2.0/edgeserve/model-servers", modelServerRoutes);
  app.route("/serving-endpoints", openaiCompatibleRoutes);
  app.route("/serving-endpoints", invocationRoutes);
  // Last: the web console (static assets) answers only what no API route did, and never an API path.
  app.route("/", consoleRoutes);
  return app;
}

export const app = createApp();
