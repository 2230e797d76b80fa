import { z } from "zod";
import { githubLogin } from "./repository.js";

declare module "zod" {
  interface GlobalMeta {
    /** The key holds a credential: the reference table marks it, and it is best written as `${VAR}`. */
    secret?: boolean;
  }
}

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+(:\d+)?$/, "expected a hostname as GitHub writes it, e.g. ghes-a.corp.example");
const httpUrl = z
  .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
  .transform((url) => url.replace(/\/+$/, ""));
/**
 * A GHES base URL. The REST root (`…/api/v3`) is what admins copy from API docs; the app appends
 * `/api/v3` itself, so the suffix is dropped rather than doubled into `…/api/v3/api/v3/user`.
 */
const serverUrl = httpUrl.transform((url) => url.replace(/\/api\/v3$/i, ""));
/**
 * A token goes into an HTTP header: the spaces and line break a secret file or a paste leaves
 * around it are dropped; inside it, anything but printable ASCII is refused here, naming the key,
 * because the HTTP client's error would quote the whole header, token included. (A refinement,
 * not a pattern: the JSON Schema must still accept `${GHEC_TOKEN}`.)
 */
export const TOKEN_SHAPE = "is not one word of printable ASCII (a line break, space or invisible character inside it?)";
/** True when a (trimmed) token can go into an Authorization header as it is. */
export const isTokenShaped = (value: string): boolean => /^[\x21-\x7e]+$/.test(value);
const tokenString = (required: Parameters<typeof z.string>[0] = undefined) =>
  z
    .string(required)
    .trim()
    .min(1, "is empty (is the environment variable set?)")
    .refine(isTokenShaped, `${TOKEN_SHAPE}: copy the token again into the file or variable it comes from`);
const token = tokenString();

const CLOUD_TOKEN_REQUIRED =
  "is required: a classic personal access token of an enterprise owner with read:enterprise (GitHub Apps cannot read enterprise licensing), e.g. token: ${GHEC_TOKEN}";

/** Rules of one server that hold whether or not its token is known to this process. */
function serverRules(
  server: { url?: string; token?: unknown; usageFile?: string },
  ctx: z.RefinementCtx,
  tokensKnown: boolean,
): void {
  if (server.usageFile && (server.url || server.token))
    ctx.addIssue({ code: "custom", message: "give either url + token or usageFile, not both", path: ["usageFile"] });
  if (!server.usageFile && !server.url)
    ctx.addIssue({ code: "custom", message: "needs url (and token) or usageFile", path: ["url"] });
  if (tokensKnown && server.url && !server.token)
    ctx.addIssue({ code: "custom", message: "is required with url", path: ["token"] });
}

// Each key's description is written once, in `.meta()`: the JSON Schema (json-schema.ts) and the
// tables of docs/configuration.md (reference-table.ts) are generated from it. Markdown links are
// relative to docs/. The TSDoc above each key says the same, shorter, for readers of the code.

const serverFields = {
  /** Instance hostname exactly as GitHub writes it in `enterprise_server_user_ids`. */
  hostname: hostname.meta({
    description:
      "Exactly as GitHub writes it in `enterprise_server_user_ids` (lower case); shown in issues and `/license-sync status`.",
  }),
  /** Base URL (REST at `/api/v3`, the report under `/stafftools`); a trailing `/api/v3` is dropped. */
  url: serverUrl.optional().meta({
    description:
      "Base URL (REST at `/api/v3`, the report at `/stafftools/reports/all_users.csv`); a pasted REST root ending in `/api/v3` is accepted and the suffix dropped. Give `url` + `token`, **or** `usageFile`. A host that cannot be reached is reported naming this key (`servers[0].url`).",
  }),
  /** Login of the token's owner for the report's basic auth; looked up with GET /user when absent. */
  login: z.string().min(1).optional().meta({
    description: "The token owner's login, for the report's basic auth; looked up with `GET /user` when absent.",
  }),
  /** Air-gapped: path of the instance's usage file in the admin repository (or a local path for the CLI). */
  usageFile: z.string().min(1).optional().meta({
    description:
      "Air-gapped instance, instead of `url` + `token`: path of its usage file in the admin repository (e.g. `license-usage/uploads/ghes-b.json`, `.json.gz` too); the CLI also takes a local path. Only these instances accept pushed usage files.",
  }),
};

/** One GHES instance: reached over the network (url + token) or through uploaded usage files. */
export const serverConfigSchema = z
  .strictObject({
    ...serverFields,
    /** Secret: classic PAT of a site administrator with the `site_admin` scope; required with url. */
    token: token.optional().meta({
      description:
        "Classic PAT of a site administrator with `site_admin`, usually `${GHES_A_TOKEN}`; required with `url`.",
      secret: true,
    }),
  })
  .superRefine((server, ctx) => serverRules(server, ctx, true));
export type ServerConfig = z.output<typeof serverConfigSchema>;

/**
 * Deadlines of every request to GHES and GHEC (REST, GraphQL, the report download). A request
 * that passes one fails with the host and the key to raise; the collection is then retried
 * like any network failure, and the run fails after its last try instead of hanging.
 */
export const timeoutsSchema = z
  .strictObject({
    /** Longest wait for a TCP (and TLS) connection to a host. */
    connectSeconds: z
      .number()
      .min(0.05)
      .max(600)
      .default(10)
      .meta({ description: "Longest wait for a TCP (and TLS) connection to GHES or GHEC." }),
    /** Longest silence while waiting for an answer's headers or between two pieces of its body. */
    idleSeconds: z
      .number()
      .min(0.05)
      .max(3600)
      .default(60)
      .meta({ description: "Longest silence: waiting for an answer's headers, or for the next bytes of its body." }),
    /** Longest an API request (one REST call, one GraphQL page) may take from start to last byte. */
    requestSeconds: z
      .number()
      .min(0.05)
      .max(3600)
      .default(300)
      .meta({ description: "Longest one API request (a REST call, a GraphQL page) may take, first byte to last." }),
    /** Longest the download of one GHES all_users.csv may take once GHES starts sending it. */
    reportSeconds: z
      .number()
      .min(0.05)
      .max(86_400)
      .default(3600)
      .meta({ description: "Longest the download of one GHES `all_users.csv` may take once GHES starts sending it." }),
  })
  .prefault({});

const cloudFields = {
  /** REST/GraphQL API root: https://api.github.com, or https://api.SUBDOMAIN.ghe.com for data residency. */
  apiUrl: httpUrl.default("https://api.github.com").meta({
    description:
      "REST/GraphQL root: `https://api.github.com`, or `https://api.SUBDOMAIN.ghe.com` with data residency. `http://` is accepted (tests, the simulator).",
  }),
  /** Organizations whose own SAML identity providers are read as well. */
  organizations: z.array(z.string().min(1)).default([]).meta({
    description: "Organizations whose own SAML identity providers are read too (enterprises with org-level SAML).",
  }),
  /** Concurrent consumed-licenses page requests. */
  concurrency: z.int().min(1).max(32).default(8).meta({ description: "Consumed-licenses pages fetched at once." }),
};

const uniqueHostnames = (servers: Array<{ hostname: string }>, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  servers.forEach((server, index) => {
    if (seen.has(server.hostname))
      ctx.addIssue({
        code: "custom",
        message: `hostname ${server.hostname} is listed twice`,
        path: [index, "hostname"],
      });
    seen.add(server.hostname);
  });
};

const sharedFields = {
  /** GHEC enterprise slug. */
  enterprise: z
    .string()
    .trim()
    .min(1)
    .regex(/^[A-Za-z0-9-_]+$/, "expected an enterprise slug, e.g. acme")
    .meta({ description: "GitHub Enterprise Cloud enterprise slug (`github.com/enterprises/SLUG`)." }),
  /** `owner/name` of the repository where issues, commands and history live. */
  adminRepository: z
    .string()
    .regex(/^[A-Za-z0-9-_.]+\/[A-Za-z0-9-_.]+$/, "expected owner/name, e.g. acme/license-admin")
    .meta({
      description:
        "`owner/name` of the admin repository: issues, commands, history, usage uploads. Compared without case.",
    }),
  /**
   * Who may run `/license-sync` commands besides the admin repository's administrators. Lives
   * here, not in the repository config, because repository writers must not widen it.
   */
  commands: z
    .strictObject({
      /** A team whose active members may run commands: `org/team-slug`, or `team-slug` of the admin repository's owner. */
      team: z.string().trim().min(1).optional().meta({
        description:
          "A team whose **active** members may run `/license-sync` commands, besides the admin repository's administrators: `org/team-slug`, or `team-slug` of the admin repository's owner. Needs the App's *Members: read* on that organization.",
      }),
      /** Logins that may run commands. */
      users: z
        .array(githubLogin)
        .max(100)
        .default([])
        .meta({ description: "Logins that may run commands, besides the administrators." }),
    })
    .prefault({})
    .meta({ description: "Who may run `/license-sync` commands besides the admin repository's administrators." }),
  /** Collection tuning. */
  collect: z
    .strictObject({
      /** How long to wait for a GHES to build all_users.csv before failing the instance. */
      reportDeadlineSeconds: z
        .int()
        .min(10)
        .default(900)
        .meta({ description: "How long to wait for a GHES to build `all_users.csv` before that instance fails." }),
      /** First wait between polls of a report that is still being built (doubles up to a minute). */
      pollIntervalSeconds: z
        .number()
        .min(0.01)
        .default(5)
        .meta({ description: "First wait between polls of a report still being built; doubles up to a minute." }),
    })
    .prefault({})
    .meta({ description: "Collection tuning." }),
  /** Size limits on untrusted input (docs/operations.md, Limits). */
  limits: z
    .strictObject({
      /** Largest usage file accepted as stored, in MB; GitHub itself stores at most 100 MB per file. */
      usageFileMegabytes: z.int().min(1).max(100).default(100).meta({
        description:
          "Largest usage file accepted as stored (the `.json.gz` or `.json` in the admin repository, or the local file for the CLI), in MB; checked before it is downloaded. GitHub itself stores at most 100 MB per file. See [operations.md](operations.md#limits).",
      }),
      /** Largest usage file accepted once gunzipped, in MB (a 600 KB gzip can unpack to 600 MB); about 190 bytes per account. */
      usageFileUnpackedMegabytes: z.int().min(1).default(256).meta({
        description:
          "Largest usage file accepted once gunzipped, in MB (about 190 bytes per account); a gzip that unpacks to more is refused as it unpacks.",
      }),
    })
    .prefault({})
    .meta({ description: "Size limits on untrusted input ([operations.md](operations.md#limits))." }),
  /** Deadlines of every request to GHES and GHEC (see `timeoutsSchema`). */
  timeouts: timeoutsSchema.meta({
    description:
      "Deadlines of every request to GHES and GHEC; a request past one fails naming the host and the key to raise.",
  }),
};

/**
 * The deployment config (`LICENSE_SYNC_CONFIG`, default `license-sync.config.yml`) as workers and
 * the CLI read it: every token expanded and required. Secrets and hosts live only here.
 */
export const deploymentConfigSchema = z.strictObject({
  ...sharedFields,
  cloud: z
    .strictObject(
      {
        ...cloudFields,
        /** Secret: classic PAT of an enterprise owner with `read:enterprise`, the only credential GitHub accepts for enterprise licensing. */
        token: tokenString({
          error: (issue) => (issue.input === undefined ? CLOUD_TOKEN_REQUIRED : "expected a string"),
        }).meta({
          description:
            "Classic PAT of an enterprise owner with `read:enterprise` (GitHub does not enable enterprise licensing for Apps), usually `${GHEC_TOKEN}`; `read:org` with `cloud.organizations`, `admin:enterprise` for verified domains, `repo` when `license-sync sync` writes without App credentials. Checked before every run: [install.md](install.md#4-tokens-and-scopes). Not read by the web process.",
          secret: true,
        }),
      },
      {
        error: (issue) =>
          issue.input === undefined
            ? `is required, with token (${CLOUD_TOKEN_REQUIRED.replace(/^is required: /, "")})`
            : undefined,
      },
    )
    .meta({ description: "The GitHub Enterprise Cloud side." }),
  /** GHES instances; hostnames must be unique. */
  servers: z
    .array(serverConfigSchema)
    .default([])
    .superRefine(uniqueHostnames)
    .meta({ description: "GitHub Enterprise Server instances; each hostname once." }),
});
export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
export type TimeoutsConfig = DeploymentConfig["timeouts"];

/** Accepts whatever a token key holds and keeps nothing: the web process never sees a token. */
const droppedToken = z
  .unknown()
  .transform(() => undefined)
  .optional();

/**
 * The same file as the web process reads it: tokens are neither expanded nor kept (it talks to
 * GitHub only as the App), so it starts without the site-admin PATs in its environment.
 */
export const webDeploymentConfigSchema = z.strictObject({
  ...sharedFields,
  cloud: z.strictObject({ ...cloudFields, token: droppedToken }).prefault({}),
  servers: z
    .array(
      z
        .strictObject({ ...serverFields, token: droppedToken })
        .superRefine((server, ctx) => serverRules(server, ctx, false)),
    )
    .default([])
    .superRefine(uniqueHostnames),
});
/** What the web process knows of the deployment: no token. A full `DeploymentConfig` is one too. */
export type WebDeploymentConfig = Omit<DeploymentConfig, "cloud" | "servers"> & {
  cloud: Omit<DeploymentConfig["cloud"], "token">;
  servers: Array<Omit<ServerConfig, "token">>;
};
