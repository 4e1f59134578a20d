import { Hono } from "hono";
import type { AppEnv } from "../env";

export const openaiCompatibleRoutes = new Hono<AppEnv>();
