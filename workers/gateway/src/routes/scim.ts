import { Hono } from "hono";
import type { AppEnv } from "../env";

export const scimRoutes = new Hono<AppEnv>();
