import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Reads a JSON fixture of this folder (copies of GitHub's OpenAPI examples). */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8")) as T;
}

type Row = Record<string, unknown>;
interface ConsumedLicensesExample {
  total_seats_consumed: number;
  total_seats_purchased: number;
  users: [Row, Row];
}

const example = loadFixture<ConsumedLicensesExample>("ghec-consumed-licenses.json");
/** The example's first row: a GHEC user with linked GHES accounts. */
export const CLOUD_ROW_EXAMPLE: Row = example.users[0];
/** The example's second row: a server-only row, drift included (`""` booleans, stray key). */
export const SERVER_ONLY_ROW_EXAMPLE: Row = example.users[1];

/** A GHEC user row shaped like GitHub's example, unique by `n`. */
export function cloudRow(n: number): Row {
  return {
    ...CLOUD_ROW_EXAMPLE,
    github_com_login: `user${n}`,
    github_com_name: `User ${n}`,
    github_com_profile: `https://github.com/user${n}`,
    enterprise_server_user_ids: [`ghes-a.corp.example:${n}`],
    github_com_verified_domain_emails: [`user${n}@corp.example`],
    github_com_saml_name_id: `user${n}@corp.example`,
    enterprise_server_emails: [`user${n}@corp.example`],
  };
}

/** A server-only row shaped like GitHub's example, unique by `n`. */
export function serverOnlyRow(n: number): Row {
  return {
    ...SERVER_ONLY_ROW_EXAMPLE,
    enterprise_server_user_ids: [`ghes-b.corp.example:${n}`],
    enterprise_server_emails: [`server${n}@corp.example`],
  };
}

/** One `consumed-licenses` page. */
export function licensePage(users: Row[], totalConsumed: number, totalPurchased = 5000): Row {
  return { total_seats_consumed: totalConsumed, total_seats_purchased: totalPurchased, users };
}

/** Rows `from` (inclusive) to `to` (exclusive) of a list made by `make`. */
export function rows(from: number, to: number, make: (n: number) => Row = cloudRow): Row[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, offset) => make(from + offset));
}

/** The `all_users.csv` header GHES writes (GitHub's API docs). */
export const ALL_USERS_HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";

/** One `all_users.csv` line. */
export function csvLine(
  id: number,
  login: string,
  email: string,
  options: { role?: string; suspended?: string; dormant?: string } = {},
): string {
  const { role = "user", suspended = "false", dormant = "false" } = options;
  return `2024-01-02 10:00:00 UTC,${id},${login},${email},${role},${suspended},10.0.0.${id % 250},3,1,2,${dormant},2026-11-02,${login},true`;
}
