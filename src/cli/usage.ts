/** `license-sync help`. */
export const USAGE = `license-sync: unique-user GitHub Enterprise license usage across Server and Cloud

Commands:
  license-sync report --server HOST=all_users.csv [--server ...] --cloud consumed-licenses.json
                      [--identities external-identities.json] [--format table|json|csv|markdown]
                      [--out FILE] [--show-emails]
      Offline reconciliation of files you downloaded.
  license-sync sync [--config FILE] [--dry-run] [--format table|json|markdown]
      One full run against the configured instances and enterprise.
  license-sync export --server-url URL --token-env VAR --out FILE [--hostname HOST]
      Collect one GHES into a usage file (air-gapped instances).

Exit codes: 0 success, 1 run failed, 2 bad input or configuration.
`;
