import type { Readable } from "node:stream";
import { InputError } from "../../errors.js";
import type { EmailProtector } from "../../privacy/protect.js";
import type { CloudLicense, CloudUsage } from "../../reconcile/model.js";
import { consumedLicenseRowSchema, toCloudLicense, verifiedDomainsOfRow } from "./cloud-row.js";
import { streamJson } from "./json-stream.js";
import { issuePath } from "./zod-issue.js";

const FIX = "Give one object shaped like GET /enterprises/{enterprise}/consumed-licenses with every user in `users`.";

function seatCount(value: unknown, source: string, field: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new InputError(source, field, `expected a non-negative integer, got ${JSON.stringify(value)}`, FIX);
}

/**
 * Reads a `consumed-licenses` response holding all users (the `--cloud` input), streaming and
 * validating each row: drift in DOMAIN.md section 4 is accepted, anything else names the field.
 *
 * @example
 *   const cloud = await readConsumedLicensesJson(fs.createReadStream(file), { source: file, protector });
 */
export async function readConsumedLicensesJson(input: Readable, options: { source: string; protector: EmailProtector }): Promise<CloudUsage> {
  const { source, protector } = options;
  const licenses: CloudLicense[] = [];
  const domains = new Set<string>();
  let consumed: number | undefined;
  let purchased: number | null = null;
  const root = await streamJson(input, source, {
    fix: FIX,
    paths: ["$.users.*", "$.total_seats_consumed", "$.total_seats_purchased"],
    onValue(value, key, parentKey) {
      if (key === "total_seats_consumed") consumed = seatCount(value, source, key);
      else if (key === "total_seats_purchased") purchased = value === null ? null : seatCount(value, source, key);
      else if (parentKey === "users" && typeof key === "number") {
        const parsed = consumedLicenseRowSchema.safeParse(value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new InputError(source, issuePath(`users[${key}]`, issue), issue.message, FIX);
        }
        for (const domain of verifiedDomainsOfRow(parsed.data)) domains.add(domain);
        licenses.push(toCloudLicense(parsed.data, licenses.length, protector));
      }
    },
  });
  if (root !== "object") throw new InputError(source, "", "expected a JSON object at the top level", FIX);
  if (licenses.length === 0) throw new InputError(source, "users", "no users found (missing, empty or not a list)", FIX);
  return { seatsConsumed: consumed ?? licenses.length, seatsPurchased: purchased, licenses, verifiedEmailDomains: [...domains] };
}
