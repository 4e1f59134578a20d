import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "mlflow", include: ["src/**/*.test.ts"] } });
