import { gzipSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { API, contentsOf, fileContents, mockToken, startTestApp, strictNock } from "./support/app.js";
import { deliver, PUSHED_SHA, pushPayload } from "./support/payloads.js";
import { usageFileText } from "./support/usage-files.js";

strictNock();

const UPLOAD = "license-usage/uploads/ghes-b.json";
const COMMIT_COMMENTS = `/repos/acme/license-admin/commits/${PUSHED_SHA}/comments`;

/** Token, then each file at the pushed commit, in the contents API's JSON envelope. */
function serving(files: Record<string, string | Buffer>): nock.Scope {
  const scope = mockToken(nock(API));
  for (const [path, content] of Object.entries(files))
    scope.get(contentsOf(path, PUSHED_SHA)).reply(200, fileContents(path, content));
  return scope;
}

function expectCommitComment(scope: nock.Scope): { body: string } {
  const comment = { body: "" };
  scope.post(COMMIT_COMMENTS, (body: { body: string }) => ((comment.body = body.body), true)).reply(201, { id: 1 });
  return comment;
}

describe("push: usage files", () => {
  it("enqueues a push run with the pushed sha and paths when every usage file validates", async () => {
    const { probot, queue } = await startTestApp();
    serving({ [UPLOAD]: usageFileText("ghes-b.corp.example") });
    const deliveryId = await deliver(
      probot,
      "push",
      pushPayload({ added: [UPLOAD, "license-usage/uploads/README.md"], modified: ["README.md"] }),
    );
    expect(queue.enqueued).toEqual([
      {
        enterprise: "acme",
        trigger: "push",
        requestedBy: "mona",
        usageFiles: { ref: PUSHED_SHA, paths: [UPLOAD] },
        deliveryId,
      },
    ]);
  });

  it("reads gzip'd files, and files over 1 MB through the git blob API", async () => {
    const { probot, queue } = await startTestApp();
    const gz = "license-usage/uploads/ghes-c.json.gz";
    const scope = serving({ [gz]: gzipSync(usageFileText("ghes-c.corp.example")) });
    const big = usageFileText("ghes-b.corp.example", { accounts: 20 });
    scope
      .get(contentsOf(UPLOAD, PUSHED_SHA))
      .reply(200, { type: "file", path: UPLOAD, size: 2_000_000, sha: "c".repeat(40), encoding: "none", content: "" })
      .get(`/repos/acme/license-admin/git/blobs/${"c".repeat(40)}`)
      .reply(200, {
        sha: "c".repeat(40),
        size: big.length,
        encoding: "base64",
        content: Buffer.from(big).toString("base64"),
      });
    await deliver(probot, "push", pushPayload({ added: [gz, UPLOAD] }));
    expect(queue.enqueued[0]?.usageFiles).toEqual({ ref: PUSHED_SHA, paths: [UPLOAD, gz] });
  });

  it("refuses two files of one instance in one push", async () => {
    const { probot, queue } = await startTestApp();
    const other = "license-usage/uploads/2026-11/ghes-b.json";
    const comment = expectCommitComment(
      serving({ [other]: usageFileText("ghes-b.corp.example"), [UPLOAD]: usageFileText("ghes-b.corp.example") }),
    );
    await deliver(probot, "push", pushPayload({ added: [UPLOAD, other] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "- `license-usage/uploads/ghes-b.json`, field `server.hostname`: ghes-b.corp.example also has `license-usage/uploads/2026-11/ghes-b.json` in this push. Push one usage file per instance; delete the other.",
    );
  });

  it("refuses a push of more usage files than instances read from files, unread: one short comment, no file fetched", async () => {
    const { probot, queue } = await startTestApp();
    // Only the token and the comment are served: fetching any of the files would fail the test.
    const comment = expectCommitComment(mockToken(nock(API)));
    const paths = Array.from({ length: 500 }, (_, i) => `license-usage/uploads/${String(i).padStart(3, "0")}.json`);
    await deliver(probot, "push", pushPayload({ added: paths }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "This push adds 500 usage files, but the deployment reads 2 instances from usage files (`ghes-b.corp.example`, `ghes-c.corp.example`): at most one file each.",
    );
    expect(comment.body.length).toBeLessThan(1_500);
  });

  it("accepts a usage-file instance's file under another name in uploads/", async () => {
    const { probot, queue } = await startTestApp();
    serving({ "license-usage/uploads/2026-11/ghes-b.json": usageFileText("GHES-B.corp.example") });
    await deliver(probot, "push", pushPayload({ added: ["license-usage/uploads/2026-11/ghes-b.json"] }));
    expect(queue.enqueued).toHaveLength(1);
  });

  it("refuses a bad file with a commit comment naming the file, the field and the fix, and runs nothing", async () => {
    const { probot, queue } = await startTestApp();
    const text = usageFileText("ghes-b.corp.example").replace(/"hash":"[^"]+"/, '"hash":"not-a-hash"');
    const comment = expectCommitComment(serving({ [UPLOAD]: text }));
    await deliver(probot, "push", pushPayload({ modified: [UPLOAD] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain("Nothing was ingested and no run was started.");
    // The file, the field, the problem and the fix (however the reader words the wrapper around them).
    expect(comment.body).toContain("- `license-usage/uploads/ghes-b.json`");
    expect(comment.body).toContain(
      "field `accounts[0].email.hash`: expected a 22-character base64url hash. Export it again with `license-sync export`",
    );
  });

  it("refuses the whole push when one of several files is bad", async () => {
    const { probot, queue } = await startTestApp();
    const other = "license-usage/uploads/ghes-x.json";
    const comment = expectCommitComment(
      serving({ [other]: usageFileText("ghes-x.corp.example"), [UPLOAD]: usageFileText("ghes-b.corp.example") }),
    );
    await deliver(probot, "push", pushPayload({ added: [UPLOAD, other] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "- `license-usage/uploads/ghes-x.json`, field `server.hostname`: is not an instance of this deployment (usage-file instances: `ghes-b.corp.example`, `ghes-c.corp.example`).",
    );
    expect(comment.body).not.toContain("ghes-b.json`");
  });

  it("refuses a file for an instance collected over the API, and one at an instance's path with another hostname", async () => {
    const { probot, queue } = await startTestApp();
    const apiFile = "license-usage/uploads/ghes-a.json";
    const comment = expectCommitComment(
      serving({ [apiFile]: usageFileText("ghes-a.corp.example"), [UPLOAD]: usageFileText("ghes-a.corp.example") }),
    );
    await deliver(probot, "push", pushPayload({ added: [apiFile, UPLOAD] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "`license-usage/uploads/ghes-a.json`, field `server.hostname`: ghes-a.corp.example is collected over the API, not from usage files.",
    );
    expect(comment.body).toContain(
      "field `server.hostname`: is another instance than ghes-b.corp.example, the one this path is configured for.",
    );
  });

  it("refuses a file hashed with another LICENSE_SYNC_SECRET", async () => {
    const { probot, queue } = await startTestApp();
    const comment = expectCommitComment(
      serving({ [UPLOAD]: usageFileText("ghes-b.corp.example", { secret: "another secret" }) }),
    );
    await deliver(probot, "push", pushPayload({ added: [UPLOAD] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "field `hashing.keyId`: the emails were hashed with a different LICENSE_SYNC_SECRET",
    );
  });

  it("says the operator must set LICENSE_SYNC_SECRET when the app has no key id", async () => {
    const { probot, queue } = await startTestApp({ usageFileKeyId: null });
    const comment = expectCommitComment(mockToken(nock(API)));
    await deliver(probot, "push", pushPayload({ added: [UPLOAD] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain("LICENSE_SYNC_SECRET is not set");
  });

  it("ignores other branches, other repositories, removed files, branch deletions and unrelated files", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(probot, "push", pushPayload({ added: [UPLOAD] }, { ref: "refs/heads/upload" }));
    await deliver(probot, "push", pushPayload({ added: [UPLOAD] }, { repo: "globex/other" }));
    await deliver(probot, "push", pushPayload({ removed: [UPLOAD] }));
    await deliver(probot, "push", pushPayload({ modified: ["README.md", "license-usage/history/2026-W48.json"] }));
    await deliver(probot, "push", { ...pushPayload({ added: [UPLOAD] }), deleted: true, after: "0".repeat(40) });
    expect(queue.enqueued).toEqual([]);
    expect(queue.schedules).toEqual([]);
  });
});

describe("push: repository config", () => {
  it("re-upserts the schedule from the config at the pushed commit", async () => {
    const { probot, queue } = await startTestApp();
    serving({ ".github/license-sync.yml": "schedule:\n  cron: '0 5 * * 1'\n  timezone: Asia/Tokyo\n" });
    await deliver(probot, "push", pushPayload({ modified: [".github/license-sync.yml"] }));
    expect(queue.schedules).toEqual([
      { enterprise: "acme", schedule: { cron: "0 5 * * 1", timezone: "Asia/Tokyo" }, installationId: 11 },
    ]);
    expect(queue.enqueued).toEqual([]);
  });

  it("keeps the schedule and comments on the commit when the pushed config is invalid", async () => {
    const { probot, queue } = await startTestApp();
    const comment = expectCommitComment(
      serving({ ".github/license-sync.yml": "thresholds:\n  utilizationWarning: 90\n" }),
    );
    await deliver(probot, "push", pushPayload({ modified: [".github/license-sync.yml"] }));
    expect(queue.schedules).toEqual([]);
    expect(comment.body).toContain("`.github/license-sync.yml` is invalid at `thresholds.utilizationWarning`:");
    expect(comment.body).toContain("the weekly schedule stays as it was");
  });

  it.each([
    ["a b c d e", "the minute field is not valid cron syntax"],
    ["99 99 * * 1", "the minute field is not valid cron syntax"],
    ["0 99 * * 1", "the hour field is not valid cron syntax"],
    ["* * * * *", "runs more than once an hour; license-sync runs at most hourly"],
    ["0 0 30 2 *", "never matches a date"],
  ])("refuses the cron %j on the commit, naming schedule.cron, and keeps the schedule", async (cron, problem) => {
    const { probot, queue } = await startTestApp();
    const comment = expectCommitComment(serving({ ".github/license-sync.yml": `schedule:\n  cron: '${cron}'\n` }));
    await deliver(probot, "push", pushPayload({ modified: [".github/license-sync.yml"] }));
    expect(queue.schedules).toEqual([]);
    expect(comment.body).toContain(`\`.github/license-sync.yml\` is invalid at \`schedule.cron\`: ${problem}`);
    // The message names the field, never the value typed.
    expect(comment.body).not.toContain(cron);
  });

  it("applies a config that sets commands.team, and says on the commit that the team is ignored", async () => {
    const { probot, queue } = await startTestApp();
    const comment = expectCommitComment(
      serving({ ".github/license-sync.yml": "schedule:\n  cron: '0 5 * * 1'\ncommands:\n  team: dev-team\n" }),
    );
    await deliver(probot, "push", pushPayload({ modified: [".github/license-sync.yml"] }));
    expect(queue.schedules.map((s) => s.schedule.cron)).toEqual(["0 5 * * 1"]);
    expect(comment.body).toContain("`commands.team` in `.github/license-sync.yml` is ignored");
    expect(comment.body).toContain("set `commands.team` (or `commands.users`) in the deployment config");
  });

  it("a deleted config file brings back the default schedule", async () => {
    const { probot, queue } = await startTestApp();
    mockToken(nock(API)).get(contentsOf(".github/license-sync.yml", PUSHED_SHA)).reply(404, { message: "Not Found" });
    await deliver(probot, "push", pushPayload({ removed: [".github/license-sync.yml"] }));
    expect(queue.schedules.map((s) => s.schedule)).toEqual([{ cron: "0 6 * * 1", timezone: "UTC" }]);
  });
});

describe("push: usage files are bounded before and after gunzip", () => {
  const GZ = "license-usage/uploads/ghes-c.json.gz";

  it("refuses a gzip that unpacks past limits.usageFileUnpackedMegabytes, naming the limit and the setting", async () => {
    const { probot, queue } = await startTestApp({ deployment: { limits: { usageFileUnpackedMegabytes: 1 } } });
    // About 2 MB of valid accounts in a gzip of a few hundred KB: a genuine file, but over the 1 MB set here.
    const comment = expectCommitComment(
      serving({ [GZ]: gzipSync(usageFileText("ghes-c.corp.example", { accounts: 10_000 })) }),
    );
    await deliver(probot, "push", pushPayload({ added: [GZ] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "- `license-usage/uploads/ghes-c.json.gz`: unpacks to more than the 1 MB limit for gunzipped usage files. If the file is genuine, raise limits.usageFileUnpackedMegabytes in the deployment config",
    );
  });

  it("refuses a file over limits.usageFileMegabytes by the size GitHub reports, without fetching its blob", async () => {
    const { probot, queue } = await startTestApp();
    const scope = mockToken(nock(API))
      .get(contentsOf(UPLOAD, PUSHED_SHA))
      .reply(200, {
        type: "file",
        path: UPLOAD,
        size: 150 * 1024 * 1024,
        sha: "c".repeat(40),
        encoding: "none",
        content: "",
      });
    const comment = expectCommitComment(scope);
    await deliver(probot, "push", pushPayload({ added: [UPLOAD] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "- `license-usage/uploads/ghes-b.json`: is 150.0 MB, over the 100 MB limit for usage files. If the file is genuine, raise limits.usageFileMegabytes in the deployment config",
    );
  });

  it("refuses a field padded to megabytes (a bomb's payload) once 64 KB pass without a value", async () => {
    const { probot, queue } = await startTestApp();
    const padded = usageFileText("ghes-c.corp.example").replace(
      '"version": "3.17.0"',
      `"version": "${"9".repeat(2_000_000)}"`,
    );
    const comment = expectCommitComment(serving({ [GZ]: gzipSync(padded) }));
    await deliver(probot, "push", pushPayload({ added: [GZ] }));
    expect(queue.enqueued).toEqual([]);
    expect(comment.body).toContain(
      "- `license-usage/uploads/ghes-c.json.gz`: holds more than 64 KB without a complete value (an oversized field, or padding).",
    );
  });
});
