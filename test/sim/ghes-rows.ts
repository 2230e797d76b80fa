import type { AllUsersRow } from "./dataset-types.js";
import type { ServerAccount } from "./people.js";
import { hash32, hashString } from "./prng.js";

/** How GHES versions and admins' tooling have written booleans; readers must take them all. */
const BOOLEAN_STYLES = [
  ["true", "false"],
  ["yes", "no"],
  ["1", "0"],
] as const;

/** Built-in accounts every instance has; neither consumes a seat (docs/matching-rule.md, step 2). */
export function specialAccounts(host: string, now: number): ServerAccount[] {
  const base = {
    host,
    suspended: false,
    dormant: false,
    twoFactor: false,
    createdAt: now - 2000 * 86_400_000,
    lastIp: "",
    repos: 0,
    sshKeys: 0,
    orgMemberships: 0,
  };
  return [
    { ...base, id: 10, login: "ghost", email: "", role: "user", lastActive: null },
    { ...base, id: 11, login: "scim-admin", email: `scim-admin@${host}`, role: "admin", lastActive: now - 86_400_000 },
  ];
}

/** GHES report timestamps: `2021-05-04 18:25:10 UTC`. */
export function reportTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Whether an account is billable: docs/matching-rule.md, step 2 (not suspended, not a built-in account). */
export function isBillableAccount(account: ServerAccount): boolean {
  return !account.suspended && account.login !== "ghost" && account.login !== "scim-admin";
}

/** The account as an `all_users.csv` row; the boolean style is fixed per (host, id). */
export function accountRow(account: ServerAccount): AllUsersRow {
  const style =
    BOOLEAN_STYLES[hash32(hashString(account.host), account.id) % BOOLEAN_STYLES.length] ?? BOOLEAN_STYLES[0];
  const bool = (value: boolean): string => (value ? style[0] : style[1]);
  // raw_login keeps the case the user signed up with; login is GHES's normalized form.
  const raw = account.id % 3 === 0 ? account.login.charAt(0).toUpperCase() + account.login.slice(1) : account.login;
  return {
    created_at: reportTime(account.createdAt),
    id: String(account.id),
    login: account.login,
    email: account.email,
    role: account.role,
    "suspended?": bool(account.suspended),
    last_logged_ip: account.lastIp,
    repos: String(account.repos),
    ssh_keys: String(account.sshKeys),
    org_memberships: String(account.orgMemberships),
    "dormant?": bool(account.dormant),
    last_active: account.lastActive === null ? "" : reportTime(account.lastActive),
    raw_login: raw,
    "2fa_enabled?": bool(account.twoFactor),
  };
}
