import type { Caller, Reply, Route, SimContext } from "../http/types.js";
import { fieldArgs, hasField, stripComments } from "./graphql-args.js";
import { domainConnection, identityConnection, pageArgs, type GraphqlError } from "./graphql-connections.js";

const ENTERPRISE_SCOPES = ["read:enterprise", "admin:enterprise"];
const ORG_SCOPES = ["admin:org", "read:org"];

/** GitHub answers missing scopes on GraphQL with HTTP 200 and an INSUFFICIENT_SCOPES error. */
function scopeError(caller: Caller, field: string, accepted: string[]): GraphqlError | null {
  if (caller.kind !== "pat" || caller.spec.scopes.some((s) => accepted.includes(s))) return null;
  const granted = caller.spec.scopes.map((s) => `'${s}'`).join(", ");
  return {
    type: "INSUFFICIENT_SCOPES",
    message:
      `Your token has not been granted the required scopes to execute this query. The '${field}' field requires one of the ` +
      `following scopes: [${accepted.map((s) => `'${s}'`).join(", ")}], but your token has only been granted the: [${granted}] scopes. ` +
      "Please modify your token's scopes at: https://github.com/settings/tokens.",
  };
}

type Resolved = { data: unknown; errors?: GraphqlError[] };

function resolveEnterprise(query: string, vars: Record<string, unknown>, sim: SimContext, caller: Caller): Resolved {
  const ds = sim.dataset;
  const denied = scopeError(caller, "enterprise", ENTERPRISE_SCOPES);
  if (denied) return { data: null, errors: [denied] };
  const slug = fieldArgs(query, "enterprise", vars)?.slug;
  if (slug !== ds.options.enterprise) {
    return {
      data: { enterprise: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["enterprise"],
          message: `Could not resolve to an Enterprise with the slug of '${String(slug)}'.`,
        },
      ],
    };
  }
  const enterprise: Record<string, unknown> = { id: "E_kgDOAAcme", slug, name: "Acme Corp" };
  if (hasField(query, "ownerInfo")) {
    const owner: Record<string, unknown> = {};
    if (hasField(query, "samlIdentityProvider")) {
      // With organization-level SAML the enterprise itself has no IdP.
      if (ds.options.identityOrgs.length > 0) owner.samlIdentityProvider = null;
      else {
        const paging = pageArgs(fieldArgs(query, "externalIdentities", vars) ?? {}, "externalIdentities");
        if ("message" in paging) return { data: null, errors: [paging] };
        owner.samlIdentityProvider = {
          id: "ESP_kgDOAAcme",
          ssoUrl: `https://idp.${ds.options.domain}/saml`,
          issuer: `https://idp.${ds.options.domain}`,
          externalIdentities: identityConnection(query, ds, null, paging),
        };
      }
    }
    if (hasField(query, "domains")) {
      const args = fieldArgs(query, "domains", vars) ?? {};
      const paging = pageArgs(args, "domains");
      if ("message" in paging) return { data: null, errors: [paging] };
      owner.domains = domainConnection(query, ds, args, paging);
    }
    if (hasField(query, "enterpriseServerInstallations")) {
      const nodes = ds.syncStatus().server_instances.map((s) => ({
        hostName: s.hostname,
        isConnected: s.last_sync.status === "success",
        userAccountsUploads: {
          nodes: [{ syncState: s.last_sync.status === "success" ? "SUCCESS" : "FAILURE", updatedAt: s.last_sync.date }],
        },
      }));
      owner.enterpriseServerInstallations = {
        totalCount: nodes.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes,
      };
    }
    enterprise.ownerInfo = owner;
  }
  if (hasField(query, "billingInfo")) {
    enterprise.billingInfo = {
      totalLicenses: ds.options.seatsPurchased,
      allLicensableUsersCount: ds.consumedLicenseCount + sim.insertedRows,
    };
  }
  return { data: { enterprise } };
}

function resolveOrganization(query: string, vars: Record<string, unknown>, sim: SimContext, caller: Caller): Resolved {
  const ds = sim.dataset;
  const login = fieldArgs(query, "organization", vars)?.login;
  const known = [
    ...ds.options.identityOrgs,
    ...["eng", "ops", "data", "web"].map((o) => `${ds.options.enterprise}-${o}`),
  ];
  if (typeof login !== "string" || !known.includes(login)) {
    return {
      data: { organization: null },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["organization"],
          message: `Could not resolve to an Organization with the login of '${String(login)}'.`,
        },
      ],
    };
  }
  const organization: Record<string, unknown> = { login };
  if (hasField(query, "samlIdentityProvider")) {
    const denied = scopeError(caller, "samlIdentityProvider", ORG_SCOPES);
    if (denied) return { data: null, errors: [denied] };
    if (!ds.options.identityOrgs.includes(login)) organization.samlIdentityProvider = null;
    else {
      const paging = pageArgs(fieldArgs(query, "externalIdentities", vars) ?? {}, "externalIdentities");
      if ("message" in paging) return { data: null, errors: [paging] };
      organization.samlIdentityProvider = {
        id: `OSP_${login}`,
        ssoUrl: `https://idp.${ds.options.domain}/saml/${login}`,
        externalIdentities: identityConnection(query, ds, login, paging),
      };
    }
  }
  return { data: { organization } };
}

/** `POST /graphql`: recognizes the collectors' queries by the fields they select. */
export function graphqlRoutes(): Route[] {
  return [
    {
      name: "POST /graphql",
      target: "cloud",
      method: "POST",
      pattern: "/graphql",
      auth: { schemes: ["token"], installations: true },
      resource: "graphql",
      handler(req, sim): Reply {
        const body = (req.body ?? {}) as { query?: unknown; variables?: unknown };
        if (typeof body.query !== "string") {
          return {
            status: 200,
            body: { errors: [{ message: "A query attribute must be specified and must be a string." }] },
          };
        }
        const query = stripComments(body.query);
        const vars = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
          string,
          unknown
        >;
        let resolved: Resolved;
        if (hasField(query, "enterprise")) resolved = resolveEnterprise(query, vars, sim, req.caller);
        else if (hasField(query, "organization")) resolved = resolveOrganization(query, vars, sim, req.caller);
        else
          resolved = {
            data: null,
            errors: [
              {
                message: "The simulator does not understand this query (it knows enterprise and organization queries).",
              },
            ],
          };
        return {
          status: 200,
          body: resolved.errors ? { data: resolved.data, errors: resolved.errors } : { data: resolved.data },
        };
      },
    },
  ];
}
