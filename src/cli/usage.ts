import { readFile } from "node:fs/promises";

/** `license-sync help` / `license-sync --help`. */
export const USAGE = `license-sync: unique-user GitHub Enterprise license usage across Server and Cloud

Commands:
  license-sync report --server HOST=all_users.csv [--server ...] --cloud consumed-licenses.json
                      [--identities external-identities.json] [--format table|json|csv|markdown]
                      [--out FILE] [--show-emails] [--allow-incomplete]
      Offline reconciliation of files you downloaded. --cloud takes the consumed-licenses
      JSON as saved (one object, pages back to back, an array of pages or of user rows) or
      the license CSV; a list with fewer rows than total_seats_consumed is refused unless
      --allow-incomplete (the report is then marked partial).
  license-sync sync [--config FILE] [--repo-config FILE] [--dry-run] [--format table|json|markdown]
      One full run against the configured instances and enterprise.
  license-sync export --server-url URL --token-env VAR --out FILE [--hostname HOST] [--login LOGIN]
      Collect one GHES into a usage file (air-gapped instances).

  license-sync COMMAND --help    options of one command
  license-sync --version         the version

Exit codes: 0 success, 1 run failed, 2 bad input or configuration.
`;

/** `license-sync COMMAND --help`, per command. */
export const COMMAND_USAGE: Record<string, string> = {
  report: `Usage: license-sync report --server HOST=FILE [--server HOST=FILE ...] --cloud FILE [options]

Offline reconciliation of files you downloaded: no App, no Redis, no network.

  --server HOST=FILE     a GHES instance's site-admin all_users.csv (repeat per instance); HOST is
                         the hostname as GitHub writes it in enterprise_server_user_ids
  --cloud FILE           the enterprise's GET /enterprises/{e}/consumed-licenses response (JSON)
  --identities FILE      SAML/SCIM external identities (JSON), optional
  --format FORMAT        table (default), json, csv or markdown
  --out FILE             write the report there (atomically) instead of standard output
  --show-emails          print emails in clear (default: masked, a***@corp.example)
  --allow-incomplete     accept a --cloud list with fewer rows than total_seats_consumed (the
                         report is then marked partial)
  -h, --help             this help

Environment: LICENSE_SYNC_REPORT_HEAP_MB (heap budget, default 896; 0 for none).
Exit codes: 0 success, 1 run failed, 2 bad input.
`,
  sync: `Usage: license-sync sync [--config FILE] [--repo-config FILE] [--dry-run] [--format FORMAT]

One full run without a queue: checks every token's scopes and the admin repository, collects
every GHES and the GHEC enterprise, reconciles, and publishes the summary and divergence issues.

  --config FILE          the deployment config (default: LICENSE_SYNC_CONFIG, else
                         license-sync.config.yml); tokens are read from its \${VAR}s
  --repo-config FILE     a local .github/license-sync.yml to use instead of the admin repository's
                         (to try a policy before committing it)
  --dry-run              print what would be posted; write nothing
  --format FORMAT        table (default), json or markdown
  -h, --help             this help

Environment: LICENSE_SYNC_SECRET (required), APP_ID + PRIVATE_KEY or PRIVATE_KEY_PATH (write
as the App; without them cloud.token writes and needs the repo scope), LOG_LEVEL.
Exit codes: 0 success, 1 run failed, 2 bad input or configuration.
`,
  export: `Usage: license-sync export --server-url URL --token-env VAR --out FILE [options]

Collects one GHES instance into a usage file for an air-gapped instance; commit it under
license-usage/uploads/ of the admin repository.

  --server-url URL       the instance's web URL, e.g. https://ghes-a.corp.example
  --token-env VAR        name of the environment variable holding a site admin's classic PAT
                         (site_admin scope)
  --out FILE             the usage file to write (.json, or .json.gz to compress)
  --hostname HOST        the hostname GitHub writes for this instance in enterprise_server_user_ids,
                         when it differs from the URL's host (default: the URL's host)
  --login LOGIN          the token owner's login for the report download (default: GET /user)
  -h, --help             this help

Environment: LICENSE_SYNC_SECRET (the app's, or hashes will not match), LOG_LEVEL.
Exit codes: 0 success, 1 run failed, 2 bad input.
`,
};

/**
 * The version of the installed package, from its package.json (one directory above dist/ and
 * src/ alike), so `--version` never drifts from what npm installed.
 *
 * @example await version() // "0.1.0"
 */
export async function version(): Promise<string> {
  const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
