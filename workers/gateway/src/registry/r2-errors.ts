import { ApiError, errors } from "@edgeserve/api";

/**
 * R2 multipart failures caused by the caller (an unknown upload id, parts of uneven or too small
 * size, a wrong etag) as 4xx answers; anything else is rethrown as is.
 */
export function multipartError(e: unknown): never {
  if (e instanceof ApiError) throw e;
  const message = e instanceof Error ? e.message : String(e);
  if (/NoSuchUpload|upload.*(not exist|not found)|10024/i.test(message))
    throw errors.notFound("Multipart upload does not exist (unknown upload_id, or already completed or aborted).");
  if (/EntityTooSmall|InvalidPart|InvalidPartOrder|part.*size|10025|10011|10048/i.test(message))
    throw errors.invalid(
      `Invalid multipart upload: ${message.replace(/^.*?: /, "")}. Every part ` +
        `but the last must be at least 5 MiB, and all of them the same size.`,
    );
  throw e;
}
