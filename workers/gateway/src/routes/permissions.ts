import { Hono } from "hono";
import type { AppEnv } from "../env";

export const permissionsRoutes = new Hono<AppEnv>();
