import type { z } from "zod";
import { parseProviderValue } from "./provider-json";

/**
 * Tests read providers' answers as they come on the wire: recorded files in `<provider>/__fixtures__/`
 * (`*.json` bodies, `*.sse` streams byte for byte), never objects retyped in a test. Vite, which runs
 * the tests, inlines every such file here as text.
 */
declare global {
  interface ImportMeta {
    /** Vite's glob import (https://vite.dev/guide/features#glob-import), in the one form used here. */
    glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
  }
}

const files = import.meta.glob("../*/__fixtures__/*.{json,sse}", { query: "?raw", import: "default", eager: true });

/** The text of `<provider>/__fixtures__/<name>` (name with its extension). */
export function fixtureText(provider: string, name: string): string {
  const text = files[`../${provider}/__fixtures__/${name}`];
  if (text === undefined) throw new Error(`No fixture ${provider}/__fixtures__/${name}.`);
  return text;
}

/** A recorded JSON body, as the provider sent it. */
export function fixtureJson(provider: string, name: string): unknown {
  return JSON.parse(fixtureText(provider, name));
}

/** A recorded JSON body read with the provider's schema, as the provider's code reads it. */
export function parsedFixture<S extends z.ZodType>(schema: S, provider: string, name: string): z.output<S> {
  return parseProviderValue(schema, fixtureJson(provider, name), provider, "a fixture");
}
