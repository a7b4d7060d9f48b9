/** The admin rule's plain types (no express types, so the published declarations need no @types/express). */
export const ADMIN_RULES = ['loopback', 'guarded', 'open'] as const;
export type AdminRule = (typeof ADMIN_RULES)[number];

/** The superuser behind a request's credentials (Basic, Bearer, `?token=`), or null. */
export type SuperuserAccess = (
  authorization: string | undefined,
  query: URLSearchParams,
) => { username: string; token: string | null } | null;

/** Who a request to an admin route is: a superuser, the admin token's holder, or nobody known. */
export interface AdminCaller {
  username: string | null;
  /** the token the inspector page should send on its own calls (the superuser's, or the admin token) */
  token: string | null;
  /** the caller showed admin credentials (a superuser's or the admin token) */
  admin: boolean;
}

/** The gate's state: the rule is set once the server listens (until then it is `guarded`). */
export interface AdminGate {
  rule: AdminRule;
  /** `--admin-token` */
  token?: string;
  /** `--cors-origin` origins, normalised */
  origins: Set<string>;
  access?: SuperuserAccess;
}
