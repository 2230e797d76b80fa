import type { CloudLicense, ServerAccount } from "../../shared/index.js";
import { NONE, NO_SERVER_IDS } from "./cloud-row.js";

/** Distinct strings kept per load: a run has a few hosts, domains and masks, not thousands. */
const MAX_SHARED_STRINGS = 10_000;

const isEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length === 0;

/**
 * Records decoded from JSON share what repeats between them, as the readers' records do: the App's
 * reconcile job reads its collections back from the run store, and `sync` takes the accounts of
 * its parser threads as JSON lines. `JSON.parse` gives every record its own copy of each string
 * and its own empty lists: in the reconcile job of a 300,000-user enterprise (1M GHES accounts,
 * 300,000 cloud rows) that was about 50 MiB more live heap than the same run read from files.
 * What is shared: a cloud row's empty lists (the readers' own frozen empty lists) and the hostnames of its GHES accounts, and a server
 * person's masked email and domain, which the engine keeps for the person's lifetime. One
 * instance per load; bounded.
 *
 * @example
 *   const shared = new RepeatedValues();
 *   for await (const [, value] of store.records(key)) licenses.push(shared.license(value as CloudLicense));
 */
export class RepeatedValues {
  private readonly strings = new Map<string, string>();

  /** Distinct strings kept so far (at most 10,000). */
  get size(): number {
    return this.strings.size;
  }

  /** The first copy of `value` seen in this load (`value` itself past the bound). */
  string(value: string): string {
    const kept = this.strings.get(value);
    if (kept !== undefined) return kept;
    if (this.strings.size < MAX_SHARED_STRINGS) this.strings.set(value, value);
    return value;
  }

  /**
   * `license`, changed in place: empty lists shared, hostnames shared. Anything not of the shape
   * the store writes is left as it is, for the engine to meet as it would have.
   */
  license(license: CloudLicense): CloudLicense {
    const ids: unknown = license.serverUserIds;
    if (Array.isArray(ids)) {
      if (ids.length === 0) license.serverUserIds = NO_SERVER_IDS;
      else
        for (const id of ids as Array<{ hostname: unknown }>)
          if (typeof id?.hostname === "string") id.hostname = this.string(id.hostname);
    }
    if (isEmptyList(license.verifiedDomainEmails)) license.verifiedDomainEmails = NONE;
    if (isEmptyList(license.serverEmails)) license.serverEmails = NONE;
    if (isEmptyList(license.handleKeys)) license.handleKeys = NONE;
    return license;
  }

  /** `account`, changed in place: the parts of its email a person keeps, shared (as `license`, only where they are strings). */
  account(account: ServerAccount): ServerAccount {
    const email: unknown = account.primaryEmail;
    if (typeof email === "object" && email !== null) {
      const parts = email as { masked: unknown; domain: unknown };
      if (typeof parts.masked === "string") parts.masked = this.string(parts.masked);
      if (typeof parts.domain === "string") parts.domain = this.string(parts.domain);
    }
    return account;
  }
}
