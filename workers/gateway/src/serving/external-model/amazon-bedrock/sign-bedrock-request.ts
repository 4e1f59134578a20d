import { AwsV4Signer } from "aws4fetch";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * SigV4 headers for a Bedrock runtime call (service `bedrock`, the config's region), computed over
 * the URL actually requested — a base-URL override included — and the exact body bytes.
 */
export async function signBedrockRequest(
  url: string,
  body: string,
  headers: Record<string, string>,
  credentials: AwsCredentials,
  region: string,
  datetime?: string,
): Promise<Headers> {
  const signer = new AwsV4Signer({
    url,
    method: "POST",
    headers,
    body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    service: "bedrock",
    region,
    ...(datetime ? { datetime } : {}),
  });
  const signed = await signer.sign();
  return signed.headers;
}
