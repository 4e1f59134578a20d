import { Hono } from "hono";
import type { AppEnv } from "../env";

export const tokensRoutes = new Hono<AppEnv>();
