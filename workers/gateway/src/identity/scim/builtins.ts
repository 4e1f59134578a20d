import { errors } from "@edgeserve/api";
import { BOOTSTRAP_IDS } from "../bootstrap";
import { ADMINS_GROUP, USERS_GROUP } from "../principal";
import type { PrincipalDraft } from "./store";

/**
 * The built-in principals keep their meaning: `admins` and `users` cannot be renamed or deleted,
 * `users` membership is implicit (every user), and the bootstrap `admin` user stays an active admin
 * (otherwise the bootstrap token would lock everyone out).
 */
export function checkBuiltinChange(before: PrincipalDraft, after: PrincipalDraft): void {
  if (before.id === BOOTSTRAP_IDS.adminsGroup || before.id === BOOTSTRAP_IDS.usersGroup) {
    if (after.name !== before.name) throw errors.invalid(`Group '${before.name}' is built in and cannot be renamed.`);
  }
  if (before.id === BOOTSTRAP_IDS.usersGroup && !sameSet(before.links, after.links)) {
    throw errors.invalid(`Membership of the '${USERS_GROUP}' group is implicit (every user) and cannot be changed.`);
  }
  if (before.id === BOOTSTRAP_IDS.adminsGroup && !after.links.has(BOOTSTRAP_IDS.adminUser)) {
    throw errors.invalid(`The bootstrap admin user cannot be removed from '${ADMINS_GROUP}'.`);
  }
  if (before.id === BOOTSTRAP_IDS.adminUser) {
    if (!after.active) throw errors.invalid("The bootstrap admin user cannot be deactivated.");
    if (!after.links.has(BOOTSTRAP_IDS.adminsGroup)) {
      throw errors.invalid(`The bootstrap admin user cannot be removed from '${ADMINS_GROUP}'.`);
    }
  }
}

export function checkBuiltinDelete(id: string, name: string): void {
  if (id === BOOTSTRAP_IDS.adminsGroup || id === BOOTSTRAP_IDS.usersGroup) {
    throw errors.invalid(`Group '${name}' is built in and cannot be deleted.`);
  }
  if (id === BOOTSTRAP_IDS.adminUser) throw errors.invalid("The bootstrap admin user cannot be deleted.");
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}
