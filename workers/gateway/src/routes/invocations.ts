import { Hono } from "hono";
import type { AppEnv } from "../env";

export const invocationRoutes = new Hono<AppEnv>();
