import { Hono } from "hono";
import type { AppEnv } from "../env";

export const secretsRoutes = new Hono<AppEnv>();
