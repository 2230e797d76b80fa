import { RepeatedValues } from "../../../../src/collect/readers/repeated-values.js";
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

  it("leaves a record not of the shape the store writes as it was, without throwing (the engine meets it as before)", () => {
    const shared = new RepeatedValues();
    const rows = [
      {
        index: 0,
        login: "mona",
        serverUserIds: null,
        verifiedDomainEmails: null,
        serverEmails: "x",
        handleKeys: undefined,
      },
      { index: 1, login: null, serverUserIds: [null, 7, "ghes-a", { hostname: 3 }], serverEmails: [] },
    ] as unknown as CloudLicense[];
    const accounts = [
      { hostname: "ghes-a.corp.example", id: 1 },
      { hostname: "ghes-a.corp.example", id: 2, primaryEmail: { key: "k", masked: 5, domain: null } },
      { hostname: "ghes-a.corp.example", id: 3, primaryEmail: "m***@corp.example" },
    ] as unknown as ServerAccount[];

    const loadedRows = rows.map((row) => shared.license(stored(row)));
    const loadedAccounts = accounts.map((a) => shared.account(stored(a)));

    expect(loadedRows).toEqual(rows.map(stored));
    expect(loadedAccounts).toEqual(accounts.map(stored));
    expect(shared.size).toBe(0);
  });
});

function accountWithEmail(): ServerAccount {
  return account("ghes-b.corp.example", 9, "late", "late@other.example");
}
