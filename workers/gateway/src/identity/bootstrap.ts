import { type Database, groupMembers, principals } from "@edgeserve/db";
import { ADMINS_GROUP, BOOTSTRAP_ADMIN_USER, USERS_GROUP } from "./principal";

/** Stable ids so that bootstrap is idempotent across isolates without a read first. */
export const BOOTSTRAP_IDS = {
  adminUser: "00000000000000000000000000000001",
  adminsGroup: "00000000000000000000000000000002",
  usersGroup: "00000000000000000000000000000003",
} as const;

let bootstrapped: Promise<void> | null = null;

/**
 * Makes sure the built-in groups and the bootstrap admin user exist. Runs once per isolate;
 * `INSERT … ON CONFLICT DO NOTHING` makes concurrent isolates safe.
 */
export function ensureBootstrap(db: Database): Promise<void> {
  bootstrapped ??= (async () => {
    await db.batch([
      db
        .insert(principals)
        .values([
          { id: BOOTSTRAP_IDS.adminsGroup, kind: "group", name: ADMINS_GROUP, displayName: ADMINS_GROUP },
          { id: BOOTSTRAP_IDS.usersGroup, kind: "group", name: USERS_GROUP, displayName: USERS_GROUP },
          { id: BOOTSTRAP_IDS.adminUser, kind: "user", name: BOOTSTRAP_ADMIN_USER, displayName: "Edgeserve admin" },
        ])
        .onConflictDoNothing(),
      db
        .insert(groupMembers)
        .values([{ groupId: BOOTSTRAP_IDS.adminsGroup, memberId: BOOTSTRAP_IDS.adminUser }])
        .onConflictDoNothing(),
    ]);
  })().catch((e) => {
    bootstrapped = null;
    throw e;
  });
  return bootstrapped;
}
