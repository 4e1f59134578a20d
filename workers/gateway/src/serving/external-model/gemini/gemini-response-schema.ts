import { z } from "zod";

/**
 * What the gateway reads of a Gemini `generateContent` answer, which is also each event of
 * `streamGenerateContent?alt=sse` (Vertex AI and the Gemini API alike): lenient schemas of exactly
 * those fields. Parts other than text and function calls (inline data, code execution…) pass unchecked.
 */

const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.looseObject({ name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const geminiCandidateSchema = z.looseObject({
  index: z.number().optional(),
  content: z.looseObject({ parts: z.array(part).optional() }).optional(),
  finishReason: z.string().optional(),
});
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  error: z
    .looseObject({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() })
    .optional(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
