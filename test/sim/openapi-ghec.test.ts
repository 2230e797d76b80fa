import type { ErrorObject } from "ajv";
import { createDataset } from "./dataset.js";
import { call } from "./http-client.js";
import { responseSchemas, validatorFor } from "./openapi.js";
import { startSimulator, type Simulator } from "./server.js";

const CONSUMED = "get /enterprises/{enterprise}/consumed-licenses 200";
const SYNC = "get /enterprises/{enterprise}/license-sync-status 200";
const schemas = responseSchemas("ghec.deref.json", [CONSUMED, SYNC]);
const validateConsumed = validatorFor(schemas[CONSUMED] ?? {});
const validateSync = validatorFor(schemas[SYNC] ?? {});
const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example"];
const tokens = { ent: { scopes: ["read:enterprise"] } };
let clean: Simulator;
let drifted: Simulator;

beforeAll(async () => {
  clean = await startSimulator({
    dataset: createDataset({ seed: 1, persons: 1500, hosts: HOSTS, drift: false }),
    tokens,
    faults: { shiftRowsAfterPage: 2 },
  });
  drifted = await startSimulator({ dataset: createDataset({ seed: 1, persons: 1500, hosts: HOSTS }), tokens });
});
afterAll(async () => {
  await clean.close();
  await drifted.close();
});

/** Where a drifted value breaks the schema: only the documented `""`-for-boolean drift may. */
function undocumented(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (e) =>
      !(
        /^\/users\/\d+\/(github_com_two_factor_auth|visual_studio_subscription_user)$/.test(e.instancePath) &&
        e.keyword === "type"
      ),
  );
}

describe("GHEC responses match GitHub's OpenAPI description (ghec.deref.json)", () => {
  test("drift-free consumed-licenses pages validate, including the row the shift fault inserts", async () => {
    for (const page of [1, 2, 3, 14]) {
      const answer = await call(`${clean.url}/enterprises/acme/consumed-licenses?per_page=100&page=${page}`, {
        token: "ent",
      });
      expect(answer.status).toBe(200);
      expect((answer.json as { users: unknown[] }).users.length).toBeGreaterThan(0);
      expect(validateConsumed(answer.json)).toEqual([]);
    }
    expect(clean.context.insertedRows).toBe(1);
  });

  test("drifted pages break the schema only where GitHub's own example does", async () => {
    const errors: ErrorObject[] = [];
    for (let page = 1; page <= 14; page++) {
      const answer = await call(`${drifted.url}/enterprises/acme/consumed-licenses?per_page=100&page=${page}`, {
        token: "ent",
      });
      errors.push(...validateConsumed(answer.json));
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(undocumented(errors)).toEqual([]);
  });

  test("a broken row would be caught: the validator is not vacuous", () => {
    expect(
      validateConsumed({ total_seats_consumed: "1", users: [{ github_com_login: 5 }] }).length,
    ).toBeGreaterThanOrEqual(2);
  });

  test("license-sync-status validates", async () => {
    const answer = await call(`${drifted.url}/enterprises/acme/license-sync-status`, { token: "ent" });
    expect(answer.status).toBe(200);
    expect(validateSync(answer.json)).toEqual([]);
    expect((answer.json as { server_instances: unknown[] }).server_instances).toHaveLength(HOSTS.length + 1);
  });
});
