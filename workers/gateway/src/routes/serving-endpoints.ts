import { Hono } from "hono";
import type { AppEnv } from "../env";

export const servingEndpointRoutes = new Hono<AppEnv>();
