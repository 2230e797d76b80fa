import type { ConsumedLicenseRow } from "../dataset-types.js";
import { linkHeader } from "../http/respond.js";
import type { AuthPolicy, Route } from "../http/types.js";
import { notFound, paging } from "./common.js";
import { simpleUser } from "./users.js";

/**
 * GHEC enterprise endpoints take a classic PAT with `read:enterprise` (or the broader admin and
 * billing scopes); App installation tokens are documented but disputed (GitHub's API docs), so the
 * simulator accepts them and the deployment decides.
 */
export const ENTERPRISE_AUTH: AuthPolicy = {
  schemes: ["token"],
  scopes: ["read:enterprise", "admin:enterprise", "manage_billing:enterprise"],
  installations: true,
};

/** Login of the n-th row the shift fault inserts at the front of consumed-licenses. */
export function insertedRowLogin(n: number): string {
  return `new-hire-${n + 1}`;
}

function insertedRow(n: number, domain: string): ConsumedLicenseRow {
  const login = insertedRowLogin(n);
  return {
    github_com_login: login,
    github_com_name: `New Hire ${n + 1}`,
    enterprise_server_user_ids: [],
    github_com_user: true,
    enterprise_server_user: false,
    visual_studio_subscription_user: false,
    license_type: "enterprise",
    github_com_profile: `https://github.com/${login}`,
    github_com_member_roles: [],
    github_com_enterprise_roles: [],
    github_com_verified_domain_emails: [`${login}@${domain}`],
    github_com_saml_name_id: "",
    github_com_orgs_with_pending_invites: [],
    github_com_two_factor_auth: true,
    enterprise_server_emails: [],
    visual_studio_license_status: "",
    visual_studio_subscription_email: "",
    total_user_accounts: 1,
  };
}

/** A row as GHE.com with data residency writes it: `github_*` for every `github_com_*` key. */
function dataResidencyRow(row: ConsumedLicenseRow): ConsumedLicenseRow {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/^github_com_/, "github_"), value]),
  ) as ConsumedLicenseRow;
}

/** `GET /enterprises/{enterprise}/consumed-licenses` and `.../license-sync-status`. */
export function ghecRoutes(): Route[] {
  return [
    {
      // The token's owner; like GitHub, the answer carries the token's scopes (x-oauth-scopes), which license-sync checks before a run.
      name: "GET /user",
      target: "cloud",
      method: "GET",
      pattern: "/user",
      auth: { schemes: ["token"], scopes: [], denyMessage: "Requires authentication" },
      handler(req) {
        const principal = req.caller;
        if (principal?.kind !== "pat")
          return {
            status: 403,
            body: {
              message: "Resource not accessible by integration",
              documentation_url: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
              status: "403",
            },
          };
        return {
          status: 200,
          body: simpleUser(
            req.baseUrl,
            req.baseUrl.replace("://api.", "://"),
            principal.spec.login ?? "token-owner",
            2,
            "User",
          ),
        };
      },
    },
    {
      name: "GET /enterprises/{enterprise}/consumed-licenses",
      target: "cloud",
      method: "GET",
      pattern: "/enterprises/{enterprise}/consumed-licenses",
      auth: ENTERPRISE_AUTH,
      handler(req, sim) {
        const ds = sim.dataset;
        if (req.params.enterprise !== ds.options.enterprise) return notFound();
        const { perPage, page } = paging(req.query);
        const inserted = sim.insertedRows;
        const total = ds.consumedLicenseCount + inserted;
        const listed = total - (sim.faults.missingConsumedLicenseRows ?? 0);
        const users: ConsumedLicenseRow[] = [];
        for (let k = (page - 1) * perPage; k < Math.min(listed, page * perPage); k++) {
          const row = k < inserted ? insertedRow(k, ds.options.domain) : ds.consumedLicenseRow(k - inserted);
          users.push(sim.faults.dataResidencyKeys ? dataResidencyRow(row) : row);
        }
        const link = linkHeader(req.url, page, Math.max(1, Math.ceil(total / perPage)));
        const shiftNow = sim.faults.shiftRowsAfterPage === page && inserted === 0;
        return {
          status: 200,
          headers: link ? { link } : {},
          // No total_count: GitHub gives only the seat totals (GitHub's API docs).
          body: { total_seats_consumed: total, total_seats_purchased: ds.options.seatsPurchased, users },
          after: shiftNow ? () => (sim.insertedRows = 1) : undefined,
        };
      },
    },
    {
      name: "GET /enterprises/{enterprise}/license-sync-status",
      target: "cloud",
      method: "GET",
      pattern: "/enterprises/{enterprise}/license-sync-status",
      auth: ENTERPRISE_AUTH,
      handler(req, sim) {
        if (req.params.enterprise !== sim.dataset.options.enterprise) return notFound();
        return { status: 200, body: sim.dataset.syncStatus() };
      },
    },
  ];
}
