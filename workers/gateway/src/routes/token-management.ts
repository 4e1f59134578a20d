import { Hono } from "hono";
import type { AppEnv } from "../env";

export const tokenManagementRoutes = new Hono<AppEnv>();
