/** @edgeserve/sql: `edgeserve sql` (sqlCommand) and the library under it. */
export { sqlCommand, SQL_USAGE, type SqlCommandContext } from "./command";
export { runSql, type RunOptions, type StatementResult } from "./run-sql";
export { rewriteAiFunctions, type DefaultEndpoints } from "./rewrite/rewrite";
export { createGatewayClient, type GatewayClient } from "./gateway/gateway-client";
