import { defineConfig } from "drizzle-kit";

// `driver: d1-http` never connects during `generate`; wrangler applies the generated SQL.
export default defineConfig({
  dialect: "sqlite",
  driver: "d1-http",
  schema: "./src/schema.ts",
  out: "./migrations",
});
