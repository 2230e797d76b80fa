import { RepeatedValues } from "../../../../src/jobs/store/repeated-values.js";
import type { CloudLicense, ServerAccount } from "../../../../src/shared/report.js";
import { account, cloud, ghecUser, serverOnlyRow } from "../../../support/builders.js";

/** What the run store gives back: a record as JSON text parsed again. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("RepeatedValues", () => {
  it("gives every loaded license with an empty list the same frozen list, and changes no value", () => {
    const licenses = cloud([
      ghecUser("mona"),
      ghecUser("hubot"),
      serverOnlyRow(["ghes-a.corp.example:7"], ["octo@corp.example"]),
    ]).licenses;
    const shared = new RepeatedValues();
    const loaded = licenses.map((license) => shared.license(stored(license)));

    expect(loaded).toEqual(licenses);
    const [mona, hubot, serverOnly] = loaded as [CloudLicense, CloudLicense, CloudLicense];
    expect(mona.serverUserIds).toBe(hubot.serverUserIds);
    expect(mona.serverEmails).toBe(hubot.serverEmails);
    expect(mona.verifiedDomainEmails).toBe(serverOnly.verifiedDomainEmails);
    expect(Object.isFrozen(mona.serverEmails)).toBe(true);
    // Lists with something in them stay the record's own.
    expect(serverOnly.serverEmails).toHaveLength(1);
    expect(Object.isFrozen(serverOnly.serverEmails)).toBe(false);
    expect(serverOnly.serverUserIds).toEqual([{ hostname: "ghes-a.corp.example", id: 7 }]);
  });

  it("keeps an account's email as it was, and leaves an account without one alone", () => {
    const accounts = [
      account("ghes-a.corp.example", 1, "mona", "Mona@Corp.Example"),
      account("ghes-a.corp.example", 2, "molly", "molly@corp.example"),
      account("ghes-a.corp.example", 3, "ghost", ""),
    ];
    const shared = new RepeatedValues();
    const loaded = accounts.map((a) => shared.account(stored(a)));

    expect(loaded).toEqual(accounts);
    expect(loaded[2]!.primaryEmail).toBeNull();
    // One mask ("m***@corp.example") and one domain for both people.
    expect(shared.size).toBe(2);
  });

  it("keeps at most 10,000 distinct strings, and answers every string past that bound unchanged", () => {
    const shared = new RepeatedValues();
    for (let i = 0; i < 10_050; i++) expect(shared.string(`host-${i}.corp.example`)).toBe(`host-${i}.corp.example`);
    expect(shared.size).toBe(10_000);
    const account: ServerAccount = stored(accountWithEmail());
    expect(shared.account(account).primaryEmail).toEqual(accountWithEmail().primaryEmail);
  });
});

function accountWithEmail(): ServerAccount {
  return account("ghes-b.corp.example", 9, "late", "late@other.example");
}
