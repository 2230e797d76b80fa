import { createHash } from "node:crypto";
import { as, installationToken, startAppSimulator } from "./app-fixture.js";
import type { Answer, CallOptions } from "./http-client.js";
import type { Simulator } from "./server.js";

type File = { type: string; content: string; encoding: string; sha: string; path: string };
const CONFIG = ".github/license-sync.yml";
const gitBlobSha = (text: string): string =>
  createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");
const b64 = (text: string): string => Buffer.from(text).toString("base64");
let sim: Simulator;
let api: (url: string, options?: CallOptions) => Promise<Answer>;
let base: string;

beforeAll(async () => {
  sim = await startAppSimulator();
  api = as(await installationToken(sim, 11));
  base = `${sim.url}/repos/acme/license-admin`;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.github.restore());

describe("contents", () => {
  test("a seeded file reads back as base64 with git's blob sha", async () => {
    const file = (await api(`${base}/contents/${CONFIG}`)).json as File;
    const text = "schedule:\n  cron: '0 6 * * 1'\n";
    expect([file.type, file.encoding, file.path]).toEqual(["file", "base64", CONFIG]);
    expect(Buffer.from(file.content, "base64").toString()).toBe(text);
    expect(file.sha).toBe(gitBlobSha(text));
    expect((await api(`${base}/contents/missing.yml`)).status).toBe(404);
  });

  test("create is 201; update needs the current sha (422 without, 409 stale) and is 200", async () => {
    const path = "license-usage/2026-W48.json";
    const created = await api(`${base}/contents/${path}`, {
      method: "PUT",
      body: { message: "add", content: b64('{"v":1}') },
    });
    expect(created.status).toBe(201);
    const sha = (created.json as { content: { sha: string } }).content.sha;
    expect(sha).toBe(gitBlobSha('{"v":1}'));
    const noSha = await api(`${base}/contents/${path}`, {
      method: "PUT",
      body: { message: "upd", content: b64("{}") },
    });
    expect(noSha.status).toBe(422);
    expect(
      (
        await api(`${base}/contents/${path}`, {
          method: "PUT",
          body: { message: "upd", content: b64("{}"), sha: "0".repeat(40) },
        })
      ).status,
    ).toBe(409);
    const updated = await api(`${base}/contents/${path}`, {
      method: "PUT",
      body: { message: "upd", content: b64('{"v":2}'), sha },
    });
    expect(updated.status).toBe(200);
    expect(sim.repo("acme", "license-admin").files()[path]).toBe('{"v":2}');
    const commit = (updated.json as { commit: { sha: string; parents: Array<{ sha: string }> } }).commit;
    expect(commit.parents[0]?.sha).toBe((created.json as { commit: { sha: string } }).commit.sha);
  });

  test("`ref` reads older commits and other branches; branches must exist to write", async () => {
    const before = sim.repo("acme", "license-admin").commits()[0] ?? "";
    const current = (await api(`${base}/contents/${CONFIG}`)).json as File;
    await api(`${base}/contents/${CONFIG}`, {
      method: "PUT",
      body: { message: "weekly on friday", content: b64("schedule: friday\n"), sha: current.sha },
    });
    const old = (await api(`${base}/contents/${CONFIG}?ref=${before}`)).json as File;
    expect(Buffer.from(old.content, "base64").toString()).toContain("cron");
    expect(
      Buffer.from(((await api(`${base}/contents/${CONFIG}?ref=main`)).json as File).content, "base64").toString(),
    ).toBe("schedule: friday\n");
    expect((await api(`${base}/contents/${CONFIG}?ref=nope`)).status).toBe(404);
    expect(
      (
        await api(`${base}/contents/x.txt`, {
          method: "PUT",
          body: { message: "m", content: b64("x"), branch: "nope" },
        })
      ).status,
    ).toBe(404);
    sim.github.putFile("acme", "license-admin", "only-on-dev.txt", "dev", "dev");
    expect((await api(`${base}/contents/only-on-dev.txt?ref=dev`)).status).toBe(200);
    expect((await api(`${base}/contents/only-on-dev.txt`)).status).toBe(404);
  });

  test("a directory path lists its entries", async () => {
    sim.github.putFile("acme", "license-admin", "license-usage/uploads/ghes-b.json", "{}");
    const listing = (await api(`${base}/contents/license-usage`)).json as Array<{ type: string; path: string }>;
    expect(listing).toEqual([expect.objectContaining({ type: "dir", path: "license-usage/uploads" })]);
    expect(((await api(`${base}/contents/.github`)).json as Array<{ path: string }>).map((e) => e.path)).toEqual([
      CONFIG,
    ]);
  });
});

describe("who may do what", () => {
  test("collaborator permission folds maintain/triage like GitHub and keeps role_name", async () => {
    const perm = async (user: string) => {
      const body = (await api(`${base}/collaborators/${user}/permission`)).json as {
        permission: string;
        role_name: string;
      };
      return [body.permission, body.role_name];
    };
    expect(await perm("mona")).toEqual(["admin", "admin"]);
    expect(await perm("hubot")).toEqual(["write", "maintain"]);
    expect(await perm("octo")).toEqual(["read", "triage"]);
    expect(await perm("stranger")).toEqual(["none", "none"]);
    sim.github.setPermission("acme", "license-admin", "stranger", "write");
    expect(await perm("stranger")).toEqual(["write", "write"]);
  });

  test("team memberships answer role and state, 404 for non-members; the members permission is required", async () => {
    expect((await api(`${sim.url}/orgs/acme/teams/license-admins/memberships/mona`)).json).toEqual(
      expect.objectContaining({ role: "maintainer", state: "active" }),
    );
    expect((await api(`${sim.url}/orgs/acme/teams/license-admins/memberships/newbie`)).json).toEqual(
      expect.objectContaining({ role: "member", state: "pending" }),
    );
    expect((await api(`${sim.url}/orgs/acme/teams/license-admins/memberships/octo`)).status).toBe(404);
    const noMembers = await startAppSimulator({
      installations: [{ id: 11, account: "acme", permissions: { metadata: "read", issues: "write" } }],
    });
    try {
      const token = await installationToken(noMembers, 11);
      expect((await as(token)(`${noMembers.url}/orgs/acme/teams/license-admins/memberships/mona`)).status).toBe(403);
    } finally {
      await noMembers.close();
    }
  });

  test("the repository reports its default branch", async () => {
    expect(((await api(base)).json as { default_branch: string; full_name: string }).default_branch).toBe("main");
    const trunk = await startAppSimulator({
      repositories: [{ owner: "acme", name: "license-admin", defaultBranch: "trunk" }],
    });
    try {
      const token = await installationToken(trunk, 11);
      expect(
        ((await as(token)(`${trunk.url}/repos/acme/license-admin`)).json as { default_branch: string }).default_branch,
      ).toBe("trunk");
    } finally {
      await trunk.close();
    }
  });
});
