/** `license-sync help`. */
export const USAGE = `license-sync: unique-user GitHub Enterprise license usage across Server and Cloud

Commands:
  license-sync report --server HOST=all_users.csv [--server ...] --cloud consumed-licenses.json
                      [--identities external-identities.json] [--format table|json|csv|markdown]
                      [--out FILE] [--show-emails] [--allow-incomplete]
      Offline reconciliation of files you downloaded. --cloud takes the consumed-licenses
      JSON as saved (one object, pages back to back, an array of pages or of user rows) or
      the license CSV; a list with fewer rows than total_seats_consumed is refused unless
      --allow-incomplete (the report is then marked partial).
  license-sync sync [--config FILE] [--dry-run] [--format table|json|markdown]
      One full run against the configured instances and enterprise.
  license-sync export --server-url URL --token-env VAR --out FILE [--hostname HOST]
      Collect one GHES into a usage file (air-gapped instances).

Exit codes: 0 success, 1 run failed, 2 bad input or configuration.
`;
