import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { deploymentConfigSchema } from "./deployment.js";
import { repositoryConfigSchema } from "./repository.js";

/** Where editors fetch the schemas: the raw files of the default branch, not GitHub's HTML view (same base as schemas/usage-file.schema.json). */
export const SCHEMA_BASE = "https://raw.githubusercontent.com/license-sync/license-sync/main/schemas/";

/** Editor help for one key: the TSDoc of the zod schemas, plus defaults zod cannot export (behind a transform or refinement). */
type KeyDoc = string | { description: string; default: unknown };

// Every key must be described here, and nothing else: `describeKeys` throws on a missing or stale
// entry, so adding a key to a zod schema without documenting it fails the schema test.
const REPOSITORY_KEYS: Record<string, KeyDoc> = {
  schedule: "When the weekly run happens.",
  "schedule.cron":
    "Cron expression (5 fields) of the scheduled run, in `timezone`; at most hourly (the minute is one number). Default: Mondays 06:00.",
  "schedule.timezone": "IANA time zone of the cron expression, e.g. Europe/Berlin.",
  thresholds: "When divergence issues open.",
  "thresholds.utilizationWarning": "Utilization (0..1] of purchased seats at or above which `near-limit` opens.",
  "thresholds.staleSyncDays":
    "`stale-sync` opens when an instance's last GitHub license sync is older than this many days.",
  "thresholds.uniqueCountTolerance":
    "Tolerated difference between this run's unique users and GitHub's consumed seats before `unique-count-mismatch` opens.",
  "thresholds.serverCountTolerance":
    "Tolerated difference between an instance's billable accounts and GitHub's rows for it before `server-count-mismatch` opens.",
  "thresholds.licenseExpiryDays": "`license-expiring` opens when a GHES license expires within this many days.",
  labels: "Labels of the issues the app posts; created when missing.",
  "labels.summary": "Label of the weekly summary issues.",
  "labels.divergence": "Label of divergence issues.",
  assignees: "Logins assigned to divergence issues (at most 10).",
  commands:
    "Narrows who may run `/license-sync` commands; widening (a team, named users) is the deployment config's `commands`.",
  "commands.allowRepositoryAdmins":
    "Administrators of the admin repository may run commands (write access is not enough). false takes them away.",
  "commands.restrictTo":
    "When set, only these logins may run commands, and each must still be allowed (an administrator, or named in the deployment config).",
  "commands.team":
    "Ignored, reported on the pushed commit: a team is allowed in the deployment config's `commands.team` instead.",
  emails: "How emails appear in issues: `masked` (a***@corp.example) or `hidden`. Never in clear.",
  history: "Usage history committed under `license-usage/history/`.",
  "history.enabled": "Commit an aggregate snapshot (no emails) after each run.",
  "history.weeks": "Weeks shown in the summary's trend chart.",
};

const DEPLOYMENT_KEYS: Record<string, KeyDoc> = {
  enterprise: "GitHub Enterprise Cloud enterprise slug.",
  cloud: "The GitHub Enterprise Cloud side.",
  "cloud.apiUrl": {
    description: "REST/GraphQL API root: https://api.github.com, or https://api.SUBDOMAIN.ghe.com with data residency.",
    default: "https://api.github.com",
  },
  "cloud.token":
    "Required secret. Classic PAT of an enterprise owner with `read:enterprise` (GitHub does not enable enterprise licensing for Apps), usually `${GHEC_TOKEN}`. See docs/install.md for the scopes each feature needs.",
  "cloud.organizations": "Organizations whose own SAML identity providers are read as well.",
  "cloud.concurrency": "Concurrent consumed-licenses page requests.",
  adminRepository: "`owner/name` of the repository where issues, commands and history live.",
  servers: { description: "GitHub Enterprise Server instances; hostnames must be unique.", default: [] },
  "servers[].hostname": "Instance hostname exactly as GitHub writes it in `enterprise_server_user_ids` (lower case).",
  "servers[].url":
    "Base URL; REST at `${url}/api/v3`, the report at `${url}/stafftools/reports/all_users.csv`. Give url + token, or usageFile.",
  "servers[].token":
    "Secret. Classic PAT of a site administrator with `site_admin`, usually `${GHES_A_TOKEN}`. Required with url.",
  "servers[].login": "Login of the token's owner for the report's basic auth; looked up with GET /user when absent.",
  "servers[].usageFile":
    "Air-gapped instance: path of its usage file in the admin repository (under license-usage/uploads/). Instead of url + token.",
  commands: "Who may run `/license-sync` commands besides the admin repository's administrators.",
  "commands.team":
    "A team whose active members may run commands: `org/team-slug`, or `team-slug` of the admin repository's owner. Needs the App's Members: read.",
  "commands.users": "Logins that may run commands.",
  collect: "Collection tuning.",
  "collect.reportDeadlineSeconds": "How long to wait for a GHES to build all_users.csv before failing the instance.",
  "collect.pollIntervalSeconds": "First wait between polls of a report still being built (doubles up to a minute).",
  limits: "Size limits on untrusted input (docs/operations.md, Limits).",
  "limits.usageFileMegabytes":
    "Largest usage file accepted as stored (the pushed .json.gz or .json), in MB; at most GitHub's own 100 MB.",
  "limits.usageFileUnpackedMegabytes":
    "Largest usage file accepted once gunzipped, in MB; about 190 bytes per account.",
  timeouts:
    "Deadlines of every request to GHES and GHEC; a request past one fails naming the host and the key to raise.",
  "timeouts.connectSeconds": "Longest wait for a TCP (and TLS) connection to a host.",
  "timeouts.idleSeconds": "Longest silence while waiting for an answer's headers or between two pieces of its body.",
  "timeouts.requestSeconds":
    "Longest an API request (one REST call, one GraphQL page) may take from start to last byte.",
  "timeouts.reportSeconds": "Longest the download of one GHES all_users.csv may take once GHES starts sending it.",
};

type Node = {
  properties?: Record<string, Node>;
  items?: Node;
  description?: string;
  default?: unknown;
  maximum?: number;
  [key: string]: unknown;
};

/** Adds descriptions (and lost defaults) to every property; throws on undocumented or stale keys. */
export function describeKeys(schema: Node, docs: Record<string, KeyDoc>): void {
  const unused = new Set(Object.keys(docs));
  const visit = (node: Node, prefix: string) => {
    // z.int() exports Number.MAX_SAFE_INTEGER as its maximum: noise in an editor.
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    if (node.items) visit(node.items, `${prefix}[]`);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const doc = docs[path];
      if (doc === undefined) throw new Error(`src/config/json-schema.ts: document the key ${path}`);
      unused.delete(path);
      Object.assign(child, typeof doc === "string" ? { description: doc } : doc);
      visit(child, path);
    }
  };
  visit(schema, "");
  if (unused.size > 0) throw new Error(`src/config/json-schema.ts: no such key ${[...unused].join(", ")}`);
}

function generate(
  schema: z.ZodType,
  docs: Record<string, KeyDoc>,
  header: { file: string; title: string; description: string },
): object {
  // Input shape (what people write, defaults optional), draft-07: the draft every YAML editor reads.
  const generated = z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as Node;
  describeKeys(generated, docs);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${SCHEMA_BASE}${header.file}`,
    title: header.title,
    description: header.description,
    ...rest,
  };
}

/** JSON Schema of `.github/license-sync.yml`. */
export function repositoryConfigJsonSchema(): object {
  return generate(repositoryConfigSchema, REPOSITORY_KEYS, {
    file: "license-sync.schema.json",
    title: "license-sync repository config (.github/license-sync.yml)",
    description:
      "Policy of the admin repository: schedule, thresholds, labels, assignees, commands, emails, history. See docs/configuration.md.",
  });
}

/** JSON Schema of the deployment config (`LICENSE_SYNC_CONFIG`, default license-sync.config.yml). */
export function deploymentConfigJsonSchema(): object {
  return generate(deploymentConfigSchema, DEPLOYMENT_KEYS, {
    file: "license-sync.config.schema.json",
    title: "license-sync deployment config (license-sync.config.yml)",
    description:
      "Enterprise, admin repository, instances and secrets. String values may use ${VAR}, expanded from the environment. See docs/configuration.md.",
  });
}

/** File name -> generator, for the writer and the test that compares committed files. */
export const SCHEMA_FILES: Record<string, () => object> = {
  "license-sync.schema.json": repositoryConfigJsonSchema,
  "license-sync.config.schema.json": deploymentConfigJsonSchema,
};

/** The text written for a schema: stable 2-space JSON with a final newline. */
export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Writes the config schemas into `dir`.
 *
 * @example
 *   await writeConfigSchemas("schemas"); // schemas/license-sync.schema.json, schemas/license-sync.config.schema.json
 */
export async function writeConfigSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, make] of Object.entries(SCHEMA_FILES)) {
    await writeFile(join(dir, file), schemaText(make()));
    written.push(join(dir, file));
  }
  return written;
}

// `node dist/config/json-schema.js [dir]` regenerates the committed schemas (default ./schemas).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of await writeConfigSchemas(process.argv[2] ?? "schemas")) console.warn(`wrote ${path}`);
}
