import { virtualClock } from "../support/virtual-clock.js";
import { as, installationToken, startAppSimulator } from "./app-fixture.js";
import { parseLink, type Answer, type CallOptions } from "./http-client.js";
import type { Simulator } from "./server.js";

type Issue = {
  number: number;
  state: string;
  state_reason: string | null;
  closed_at: string | null;
  labels: Array<{ name: string }>;
  user: { login: string };
};
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

const create = (title: string, extra: Record<string, unknown> = {}) =>
  api(`${base}/issues`, { method: "POST", body: { title, ...extra } });

describe("issues", () => {
  test("create numbers issues, creates missing labels, and get returns it", async () => {
    const first = await create("License usage 2026-W48", {
      body: "totals",
      labels: ["license-sync", "License-Sync:divergence"],
    });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`${base}/issues/1`);
    expect((await create("second")).json).toEqual(expect.objectContaining({ number: 2 }));
    expect(((await api(`${base}/issues/1`)).json as Issue).labels.map((l) => l.name)).toEqual([
      "license-sync",
      "License-Sync:divergence",
    ]);
    expect(sim.repo("acme", "license-admin").labels).toEqual(["license-sync", "License-Sync:divergence"]);
    expect((await api(`${base}/issues/99`)).status).toBe(404);
  });

  test("bodies over 65,536 characters are refused with 422, on create, update and comments", async () => {
    expect((await create("ok", { body: "x".repeat(65_536) })).status).toBe(201);
    const tooLong = await create("too long", { body: "x".repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json).toEqual(
      expect.objectContaining({
        message: "Validation Failed",
        errors: [expect.objectContaining({ field: "body", code: "custom" })],
      }),
    );
    expect((await api(`${base}/issues/1`, { method: "PATCH", body: { body: "y".repeat(70_000) } })).status).toBe(422);
    expect(
      (await api(`${base}/issues/1/comments`, { method: "POST", body: { body: "z".repeat(65_537) } })).status,
    ).toBe(422);
    expect(sim.repo("acme", "license-admin").issues).toHaveLength(1);
    expect((await create("")).status).toBe(422);
  });

  test("update closes with a reason and reopens", async () => {
    await create("divergence");
    const closed = (
      await api(`${base}/issues/1`, { method: "PATCH", body: { state: "closed", state_reason: "not_planned" } })
    ).json as Issue;
    expect([closed.state, closed.state_reason, typeof closed.closed_at]).toEqual(["closed", "not_planned", "string"]);
    const reopened = (
      await api(`${base}/issues/1`, { method: "PATCH", body: { state: "open", title: "divergence again" } })
    ).json as Issue;
    expect([reopened.state, reopened.state_reason, reopened.closed_at]).toEqual(["open", "reopened", null]);
    expect(sim.repo("acme", "license-admin").issues[0]?.title).toBe("divergence again");
  });

  test("list filters by state and labels (all must match) and paginates with Link", async () => {
    for (let i = 1; i <= 7; i++)
      await create(`issue ${i}`, { labels: i % 2 ? ["license-sync", "weekly"] : ["license-sync"] });
    await api(`${base}/issues/1`, { method: "PATCH", body: { state: "closed" } });
    const numbers = async (query: string) =>
      ((await api(`${base}/issues${query}`)).json as Issue[]).map((i) => i.number);
    expect(await numbers("")).toEqual([7, 6, 5, 4, 3, 2]);
    expect(await numbers("?state=all&labels=weekly,LICENSE-SYNC")).toEqual([7, 5, 3, 1]);
    expect(await numbers("?state=closed")).toEqual([1]);
    expect(await numbers("?direction=asc&per_page=2&page=2")).toEqual([4, 5]);
    const link = parseLink((await api(`${base}/issues?per_page=2`)).headers.get("link"));
    expect(new URL(link.last ?? "").searchParams.get("page")).toBe("3");
  });
});

describe("search", () => {
  const search = async (q: string) => await api(`${sim.url}/search/issues?q=${encodeURIComponent(q)}`);
  const hits = async (q: string) => ((await search(q)).json as { items: Issue[] }).items.map((i) => i.number);

  test("repo:, label:, is:issue, is:open/closed and in:body phrases narrow the results", async () => {
    await create("Divergence: over-consumed", {
      body: "<!-- license-sync:divergence:over-consumed -->\nOver by 12",
      labels: ["license-sync:divergence"],
    });
    await create("Divergence: stale-sync", {
      body: "<!-- license-sync:divergence:stale-sync -->",
      labels: ["license-sync:divergence"],
    });
    await create("License usage 2026-W48", { body: "mentions over-consumed in passing", labels: ["license-sync"] });
    await api(`${base}/issues/2`, { method: "PATCH", body: { state: "closed" } });
    expect(await hits('repo:acme/license-admin is:issue in:body "license-sync:divergence:over-consumed"')).toEqual([1]);
    expect(await hits("repo:acme/license-admin label:license-sync:divergence")).toEqual([2, 1]);
    expect(await hits("repo:acme/license-admin label:license-sync:divergence is:open")).toEqual([1]);
    expect(await hits("repo:acme/license-admin is:closed")).toEqual([2]);
    expect(await hits("repo:acme/license-admin over-consumed")).toEqual([3, 1]);
    expect(await hits("repo:acme/license-admin in:title over-consumed")).toEqual([1]);
    expect(await hits("repo:acme/license-admin is:pr")).toEqual([]);
    expect((await search("repo:acme/license-admin")).headers.get("x-ratelimit-resource")).toBe("search");
  });

  test("repositories the token cannot see make the query invalid", async () => {
    const answer = await search("repo:globex/other is:issue");
    expect(answer.status).toBe(422);
    expect((answer.json as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(/cannot be searched/);
  });

  test("new issues show up only once indexed (searchIndexDelayMs)", async () => {
    // Repository time on a virtual clock: the index delay passes without sleeping.
    const clock = virtualClock();
    const lagging = await startAppSimulator({ searchIndexDelayMs: 300, now: clock.now });
    try {
      const lagApi = as(await installationToken(lagging, 11));
      await lagApi(`${lagging.url}/repos/acme/license-admin/issues`, {
        method: "POST",
        body: { title: "fresh", body: "marker-123" },
      });
      const find = async () =>
        (
          (await lagApi(`${lagging.url}/search/issues?q=${encodeURIComponent('repo:acme/license-admin "marker-123"')}`))
            .json as { total_count: number }
        ).total_count;
      expect(await find()).toBe(0);
      await clock.sleep(350);
      expect(await find()).toBe(1);
    } finally {
      await lagging.close();
    }
  });
});

describe("comments, reactions, labels, commit comments", () => {
  test("comments are created, listed with pagination and edited", async () => {
    await create("commands");
    for (let i = 1; i <= 3; i++)
      await api(`${base}/issues/1/comments`, { method: "POST", body: { body: `comment ${i}` } });
    const page = await api(`${base}/issues/1/comments?per_page=2`);
    expect((page.json as Array<{ body: string }>).map((c) => c.body)).toEqual(["comment 1", "comment 2"]);
    expect(parseLink(page.headers.get("link")).next).toBeDefined();
    const id = (page.json as Array<{ id: number }>)[0]?.id;
    expect((await api(`${base}/issues/comments/${id}`, { method: "PATCH", body: { body: "edited" } })).status).toBe(
      200,
    );
    expect(sim.repo("acme", "license-admin").issues[0]?.comments.map((c) => c.body)).toEqual([
      "edited",
      "comment 2",
      "comment 3",
    ]);
    expect(((await api(`${base}/issues/1`)).json as { comments: number }).comments).toBe(3);
  });

  test("reactions: 201 when new, 200 when the same user repeats, 422 for unknown content", async () => {
    await create("commands");
    const comment = (await api(`${base}/issues/1/comments`, { method: "POST", body: { body: "/license-sync now" } }))
      .json as { id: number };
    const url = `${base}/issues/comments/${comment.id}/reactions`;
    expect((await api(url, { method: "POST", body: { content: "eyes" } })).status).toBe(201);
    expect((await api(url, { method: "POST", body: { content: "eyes" } })).status).toBe(200);
    expect((await api(url, { method: "POST", body: { content: "rocket" } })).status).toBe(201);
    expect((await api(url, { method: "POST", body: { content: "shrug" } })).status).toBe(422);
    expect((await api(`${base}/issues/1/reactions`, { method: "POST", body: { content: "+1" } })).status).toBe(201);
    const view = sim.repo("acme", "license-admin").issues[0];
    expect(view?.comments[0]?.reactions).toEqual(["eyes", "rocket"]);
    expect(view?.reactions).toEqual(["+1"]);
  });

  test("labels: get by name in any case, create, 422 already_exists", async () => {
    expect((await api(`${base}/labels/LICENSE-SYNC`)).status).toBe(200);
    expect((await api(`${base}/labels/missing`)).status).toBe(404);
    expect(
      (
        await api(`${base}/labels`, {
          method: "POST",
          body: { name: "license-sync:divergence", color: "#D93F0B", description: "x" },
        })
      ).status,
    ).toBe(201);
    const again = await api(`${base}/labels`, { method: "POST", body: { name: "License-Sync", color: "ededed" } });
    expect(again.status).toBe(422);
    expect((again.json as { errors: Array<{ code: string }> }).errors[0]?.code).toBe("already_exists");
    expect((await api(`${base}/labels`, { method: "POST", body: { name: "bad", color: "red" } })).status).toBe(422);
    expect(((await api(`${base}/labels`)).json as Array<{ name: string }>).map((l) => l.name)).toEqual([
      "license-sync",
      "license-sync:divergence",
    ]);
  });

  test("commit comments need a commit the repository has", async () => {
    const head = sim.repo("acme", "license-admin").commits()[0] ?? "";
    expect(
      (await api(`${base}/commits/${head}/comments`, { method: "POST", body: { body: "usage file read" } })).status,
    ).toBe(201);
    expect(
      (await api(`${base}/commits/${head.slice(0, 7)}/comments`, { method: "POST", body: { body: "short sha" } }))
        .status,
    ).toBe(201);
    expect(
      (await api(`${base}/commits/${"f".repeat(40)}/comments`, { method: "POST", body: { body: "x" } })).status,
    ).toBe(422);
    expect(sim.repo("acme", "license-admin").commitComments.map((c) => [c.commitId, c.user])).toEqual([
      [head, "license-sync[bot]"],
      [head, "license-sync[bot]"],
    ]);
  });
});
