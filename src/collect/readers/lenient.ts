const TRUE = new Set(["true", "yes", "y", "t", "1"]);
const FALSE = new Set(["false", "no", "n", "f", "0", ""]);

/**
 * Booleans as GHES reports and GHEC drift write them (GitHub's API docs): true/false, yes/no,
 * 1/0, any case, and `""` for false. Returns undefined for anything else so the caller can name
 * the field.
 *
 * @example lenientBoolean("Yes") // true
 */
export function lenientBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === null || value === undefined) return false;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}
