import { createDataset } from "./dataset.js";
import { call } from "./http-client.js";
import { responseSchemas, validatorFor } from "./openapi.js";
import { startSimulator, type Simulator } from "./server.js";

const LICENSE = "get /enterprise/settings/license 200";
const STATS = "get /enterprise/stats/users 200";
const USERS = "get /users 200";
const schemas = responseSchemas("ghes-3.19.deref.json", [LICENSE, STATS, USERS]);
const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example", "ghes-c.corp.example"];
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    dataset: createDataset({ seed: 4, persons: 800, hosts: HOSTS }),
    tokens: { admin: { scopes: ["site_admin"] } },
  });
});
afterAll(async () => {
  await sim.close();
});

describe("GHES responses match GitHub's OpenAPI description (ghes-3.19.deref.json)", () => {
  test.each(HOSTS)("license and user stats of %s validate", async (host) => {
    const license = await call(`${sim.serverUrl(host)}/api/v3/enterprise/settings/license`, { token: "admin" });
    expect(license.status).toBe(200);
    expect(validatorFor(schemas[LICENSE] ?? {})(license.json)).toEqual([]);
    const stats = await call(`${sim.serverUrl(host)}/api/v3/enterprise/stats/users`, { token: "admin" });
    expect(validatorFor(schemas[STATS] ?? {})(stats.json)).toEqual([]);
    expect(stats.json).toEqual(expect.objectContaining({ total_users: expect.any(Number) as number }));
  });

  test("both seat shapes occur: 'unlimited' on one host, numbers on the others", async () => {
    const seats = await Promise.all(
      HOSTS.map(
        async (h) =>
          (
            (await call(`${sim.serverUrl(h)}/api/v3/enterprise/settings/license`, { token: "admin" })).json as {
              seats: unknown;
            }
          ).seats,
      ),
    );
    expect(seats[0]).toBe("unlimited");
    expect(typeof seats[1]).toBe("number");
  });

  test("a /users page (with organizations in it) validates", async () => {
    const users = await call(`${sim.serverUrl(HOSTS[0] ?? "")}/api/v3/users?per_page=100`, { token: "admin" });
    expect(validatorFor(schemas[USERS] ?? {})(users.json)).toEqual([]);
    expect((users.json as Array<{ type: string }>).some((u) => u.type === "Organization")).toBe(true);
  });

  test("the validator rejects a wrong shape", () => {
    expect(validatorFor(schemas[STATS] ?? {})({ total_users: 1 }).length).toBeGreaterThan(0);
  });
});
