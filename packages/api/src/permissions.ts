import { z } from "zod";

/** Endpoint permission levels, weakest first: each level includes the ones before it. */
export const PERMISSION_LEVELS = ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export const PERMISSION_LEVEL_DESCRIPTIONS: Record<PermissionLevel, string> = {
  CAN_VIEW: "Can view the endpoint, its config, logs and metrics",
  CAN_QUERY: "Can view and query the endpoint",
  CAN_MANAGE: "Can view, query, update, delete the endpoint and manage its permissions",
};

export function permissionRank(level: PermissionLevel | null | undefined): number {
  return level ? PERMISSION_LEVELS.indexOf(level) + 1 : 0;
}

export function strongerLevel(a: PermissionLevel | null, b: PermissionLevel | null): PermissionLevel | null {
  return permissionRank(a) >= permissionRank(b) ? a : b;
}

export const permissionLevel = z.enum(PERMISSION_LEVELS);

const accessControlRequest = z
  .strictObject({
    user_name: z.string().min(1).optional(),
    group_name: z.string().min(1).optional(),
    service_principal_name: z.string().min(1).optional(),
    permission_level: permissionLevel,
  })
  .refine((e) => [e.user_name, e.group_name, e.service_principal_name].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of 'user_name', 'group_name' or 'service_principal_name'",
  });
export type AccessControlRequest = z.infer<typeof accessControlRequest>;

export const setPermissionsRequest = z.strictObject({
  serving_endpoint_id: z.string().optional(),
  access_control_list: z.array(accessControlRequest).max(1000).optional(),
});

export const permissionsResponse = z.object({
  object_id: z.string(),
  object_type: z.literal("serving-endpoint"),
  access_control_list: z.array(
    z.object({
      user_name: z.string().optional(),
      group_name: z.string().optional(),
      service_principal_name: z.string().optional(),
      display_name: z.string().optional(),
      all_permissions: z.array(
        z.object({
          permission_level: permissionLevel,
          inherited: z.boolean(),
          inherited_from_object: z.array(z.string()).optional(),
        }),
      ),
    }),
  ),
});
