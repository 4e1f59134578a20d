import { describe, expect, it } from "vitest";
import { vertexModelUrl, vertexPublicUrl } from "./vertex-urls";

describe("vertex URLs", () => {
  it("uses the regional host, or the global one", () => {
    expect(vertexPublicUrl("us-central1")).toBe("https://us-central1-aiplatform.googleapis.com");
    expect(vertexPublicUrl("global")).toBe("https://aiplatform.googleapis.com");
    expect(() => vertexPublicUrl("evil.com/x")).toThrow(/region/);
  });

  it("builds model method URLs, SSE for streams", () => {
    const base = "https://us-central1-aiplatform.googleapis.com";
    expect(vertexModelUrl(base, "my-proj", "us-central1", "gemini-2.0-flash", "generateContent")).toBe(
      "https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent",
    );
    expect(vertexModelUrl("http://127.0.0.1:9/", "p", "r", "gemini-2.0-flash", "streamGenerateContent")).toBe(
      "http://127.0.0.1:9/v1/projects/p/locations/r/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
    );
    expect(vertexModelUrl(base, "p", "r", "text-embedding-005", "predict")).toMatch(/text-embedding-005:predict$/);
    expect(() => vertexModelUrl(base, "p", "r", "../x", "predict")).toThrow(/model/);
  });
});
