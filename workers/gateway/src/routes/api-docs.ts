import { Hono } from "hono";
import type { AppEnv } from "../env";

export const apiDocsRoutes = new Hono<AppEnv>();
