/**
 * Bad inputs that carry clear email addresses where a parser or a validator may quote them, and
 * the scan that proves none of those addresses (nor any other clear one) left the process. Every
 * address here has a local part starting `leaky`: the scan also looks for that prefix, so a leak
 * that keeps the local part but mangles the domain is caught as well.
 */
import type { Route, SimRequest } from "../sim/http/types.js";
import { ghecRoutes } from "../sim/routes/ghec.js";
import { ghesRoutes } from "../sim/routes/ghes.js";

/** A GHES `all_users.csv` fixture, a consumed-licenses fixture (file or API page), or a usage file. */
export interface LeakyInput {
  name: string;
  text: string;
}

const GHES_HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";

/** GHES reports: a stray quote after an address, a data row where the header should be, an address in the id column, a row too wide. */
export const LEAKY_GHES_REPORTS: LeakyInput[] = [
  {
    name: "stray quote after an address",
    text: 'id,login,email,role,suspended?\n1,mona,leaky.person@corp.example"x,user,false\n',
  },
  {
    name: "a data row instead of the header",
    text: "leaky.header@corp.example,mona,user,false\n1,mona,m@corp.example,user,false\n",
  },
  {
    name: "an address in the id column",
    text: `${GHES_HEADER}\n2024-01-02 10:00:00 UTC,leaky.id@corp.example,mona,mona@corp.example,user,false,10.0.0.1,3,1,2,false,2026-11-02,mona,true\n`,
  },
  {
    name: "a row with more fields than the header",
    text: `${GHES_HEADER}\n2024-01-02 10:00:00 UTC,1,mona,leaky.wide@corp.example,user,false,10.0.0.1,3,1,2,false,2026-11-02,mona,true,leaky.extra@corp.example\n`,
  },
];

const cloudUser = (overrides: Record<string, unknown>) => ({
  github_com_login: "monalisa",
  github_com_name: "Mona",
  enterprise_server_user_ids: [],
  github_com_user: true,
  enterprise_server_user: false,
  visual_studio_subscription_user: false,
  license_type: "enterprise",
  github_com_profile: "https://github.com/monalisa",
  github_com_member_roles: [],
  github_com_enterprise_roles: [],
  github_com_verified_domain_emails: [],
  github_com_saml_name_id: null,
  github_com_orgs_with_pending_invites: [],
  github_com_two_factor_auth: true,
  enterprise_server_emails: [],
  visual_studio_license_status: null,
  visual_studio_subscription_email: null,
  total_user_accounts: 1,
  ...overrides,
});

/** consumed-licenses bodies (a downloaded file for `report`, a page GitHub answers for the worker). */
export const LEAKY_CONSUMED_LICENSES: LeakyInput[] = [
  {
    name: "an address as the seat count",
    text: JSON.stringify({
      total_seats_consumed: "leaky.count@corp.example",
      total_seats_purchased: 10,
      users: [cloudUser({})],
    }),
  },
  {
    name: "a bare address (not JSON)",
    text: '{"total_seats_consumed": 1, "total_seats_purchased": 10, "users": [leaky.bare@corp.example]}',
  },
  {
    name: "an address where a list of ids belongs",
    text: JSON.stringify({
      total_seats_consumed: 1,
      total_seats_purchased: 10,
      users: [
        cloudUser({
          enterprise_server_user_ids: "leaky.ids@corp.example",
          github_com_verified_domain_emails: "leaky.verified@corp.example",
        }),
      ],
    }),
  },
  {
    name: "an address as a login of the wrong type",
    text: JSON.stringify({
      total_seats_consumed: 1,
      total_seats_purchased: 10,
      users: [
        cloudUser({ github_com_login: { email: "leaky.login@corp.example" }, license_type: "leaky.type@corp.example" }),
      ],
    }),
  },
];

/** A valid usage file for `hostname` keyed with `keyId`, changed by `change`. */
function usageFile(keyId: string, hostname: string, change: (file: Record<string, unknown>) => void): string {
  const file: Record<string, unknown> = {
    format: "license-sync/usage-file",
    version: 1,
    server: { hostname, version: null },
    generatedAt: "2026-11-30T10:00:00Z",
    license: null,
    hashing: { algorithm: "hmac-sha256-128", keyId },
    accountCount: 1,
    accounts: [
      {
        id: 5,
        email: { hash: "A".repeat(22), masked: "m***@corp.example" },
        handles: [],
        suspended: false,
        dormant: false,
        siteAdmin: false,
        licensable: true,
      },
    ],
  };
  change(file);
  return JSON.stringify(file, null, 2);
}

/** A usage file that validates for `hostname` under the app's key id `keyId` (one account). */
export const validUsageFile = (keyId: string, hostname: string): string => usageFile(keyId, hostname, () => undefined);

/** Usage files for `hostname` (the app's key id `keyId`): each puts an address where a reader may quote it. */
export function leakyUsageFiles(keyId: string, hostname: string): LeakyInput[] {
  return [
    {
      name: "an address as the hostname",
      text: usageFile(keyId, hostname, (f) => (f.server = { hostname: "leaky.host@corp.example", version: null })),
    },
    {
      name: "an address as the key id",
      text: usageFile(
        keyId,
        hostname,
        (f) => (f.hashing = { algorithm: "hmac-sha256-128", keyId: "leaky.key@corp.example" }),
      ),
    },
    {
      name: "a clear address as the masked email",
      text: usageFile(
        keyId,
        hostname,
        (f) =>
          ((f.accounts as Array<{ email: object }>)[0]!.email = {
            hash: "A".repeat(22),
            masked: "leaky.masked@corp.example",
          }),
      ),
    },
    {
      name: "an address as the version",
      text: usageFile(keyId, hostname, (f) => (f.version = "leaky.version@corp.example")),
    },
    {
      name: "a bare address (not JSON)",
      text: `{"format": "license-sync/usage-file", "version": 1, "server": {"hostname": leaky.json@corp.example}}`,
    },
  ];
}

/** A clear address: an address-shaped token whose local part does not end in the mask's `***` (Markdown's invisible joiner after `@` allowed). */
const CLEAR_EMAIL = /[A-Za-z0-9._%+-]*[A-Za-z0-9._%+-]@\u200D?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Every clear email (and every `leaky` local part) found in `texts`, with where it was found:
 * empty when nothing leaked.
 *
 * @example expect(clearEmailsIn({ stderr, stdout })).toEqual([])
 */
export function clearEmailsIn(texts: Record<string, string | null | undefined>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    if (!text) continue;
    for (const match of text.matchAll(CLEAR_EMAIL)) found.push(`${where}: ${match[0]}`);
    for (const match of text.matchAll(/leaky\.[a-z]+/gi)) found.push(`${where}: ${match[0]}`);
  }
  return [...new Set(found)];
}

/** What the simulator serves instead of its dataset while a field is set: one GHES host's report, the consumed-licenses page. */
export interface LeakyServing {
  report?: string;
  consumedLicenses?: string;
}

/** A built-in simulator route answering `replacement` while it gives text. */
function replaced(
  routes: Route[],
  name: string,
  replacement: (req: SimRequest) => string | undefined,
  contentType: string,
): Route {
  const builtIn = routes.find((route) => route.name === name);
  if (!builtIn) throw new Error(`simulator has no route ${name}`);
  return {
    ...builtIn,
    handler(req, sim) {
      const text = replacement(req);
      return text === undefined
        ? builtIn.handler(req, sim)
        : { status: 200, headers: { "content-type": contentType }, text };
    },
  };
}

/**
 * Simulator routes serving `serving.report` as `host`'s all_users.csv and `serving.consumedLicenses`
 * as every consumed-licenses page, while set; the dataset otherwise.
 *
 * @example const serving: LeakyServing = {}; startSimulator({ ..., routes: leakyRoutes(serving, "ghes-a.corp.example") });
 */
export function leakyRoutes(serving: LeakyServing, host: string): Route[] {
  return [
    replaced(
      ghesRoutes(),
      "GET /stafftools/reports/all_users.csv",
      (req) => (req.target.kind === "ghes" && req.target.host === host ? serving.report : undefined),
      "text/csv; charset=utf-8",
    ),
    replaced(
      ghecRoutes(),
      "GET /enterprises/{enterprise}/consumed-licenses",
      () => serving.consumedLicenses,
      "application/json; charset=utf-8",
    ),
  ];
}
