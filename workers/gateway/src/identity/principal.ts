/** Who is calling: a user or a service principal, with the groups they belong to. */
export interface Principal {
  id: string;
  kind: "user" | "service_principal";
  /** user_name (email) for users, application_id for service principals. */
  name: string;
  displayName: string;
  groupIds: string[];
  groupNames: string[];
  /** Members of the `admins` group can do everything. */
  isAdmin: boolean;
}

export const ADMINS_GROUP = "admins";
/** Every user is implicitly a member of `users`, as in Databricks. */
export const USERS_GROUP = "users";
export const BOOTSTRAP_ADMIN_USER = "admin";
