import type { AllUsersRow } from "./ghes-account.js";
import { lenientBoolean } from "./lenient.js";

/** `role` as the schema reduces it; few distinct values in a report, so each is reduced once. */
const roles = new Map<string, string>();
function roleKey(role: string): string {
  let key = roles.get(role);
  if (key === undefined) {
    key = role.toLowerCase().replace(/[\s_-]/g, "");
    if (roles.size < 100 && role.length <= 64) roles.set(role, key);
  }
  return key;
}

/** Whether a (trimmed) id is only ASCII digits, as the schema's `/^\d+$/`. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The hot path of `allUsersRowSchema` for the cells of one `all_users.csv` row (undefined for a
 * column the report does not have): the schema's output for a row it accepts, built without zod,
 * or undefined for a row it may refuse, which the caller then gives to the schema so every
 * message stays the schema's. test/unit/collect/readers/lean-ghes-account.test.ts holds the two
 * to the same answers.
 *
 * @example leanAllUsersRow("42", "mona", "mona@corp.example", "user", "no", undefined) // { id: 42, login: "mona", ... }
 */
export function leanAllUsersRow(
  id: string | undefined,
  login: string | undefined,
  email: string | undefined,
  role: string | undefined,
  suspended: string | undefined,
  dormant: string | undefined,
): AllUsersRow | undefined {
  if (id === undefined || login === undefined) return undefined;
  const idText = id.trim();
  const loginText = login.trim();
  if (!isDigits(idText) || loginText === "") return undefined;
  const idNumber = Number(idText);
  if (!Number.isSafeInteger(idNumber)) return undefined;
  const isSuspended = suspended === undefined ? false : lenientBoolean(suspended);
  const isDormant = dormant === undefined ? false : lenientBoolean(dormant);
  if (isSuspended === undefined || isDormant === undefined) return undefined;
  return {
    id: idNumber,
    login: loginText,
    email: email ?? "",
    role: role === undefined ? "user" : roleKey(role),
    suspended: isSuspended,
    dormant: isDormant,
  };
}
