import { errors } from "@edgeserve/api";
import { artifactUploads, type Database } from "@edgeserve/db";
import { and, eq } from "drizzle-orm";
import type { Principal } from "../identity/principal";

export async function recordUpload(db: Database, uploadId: string, key: string, principal: Principal): Promise<void> {
  await db.insert(artifactUploads).values({ uploadId, key, creatorId: principal.id });
}

/**
 * The upload, if it is in progress for this key and was started by the caller (or the caller is an
 * admin); 404 otherwise, so upload ids of others reveal nothing.
 */
export async function requireUpload(db: Database, uploadId: string, key: string, principal: Principal): Promise<void> {
  const rows = await db
    .select()
    .from(artifactUploads)
    .where(and(eq(artifactUploads.uploadId, uploadId), eq(artifactUploads.key, key)))
    .limit(1);
  const row = rows[0];
  if (!row || (row.creatorId !== principal.id && !principal.isAdmin))
    throw errors.notFound(
      "Multipart upload does not exist (unknown upload_id for this path, or already completed or aborted).",
    );
}

export async function forgetUpload(db: Database, uploadId: string): Promise<void> {
  await db.delete(artifactUploads).where(eq(artifactUploads.uploadId, uploadId));
}
