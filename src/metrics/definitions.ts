/** Upper bounds (seconds) of the run duration histogram: a small enterprise takes seconds, a large one an hour. */
export const RUN_DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/** A metric workers record in Redis and `/metrics` exposes. */
export interface StoredMetricDefinition {
  name: string;
  help: string;
  type: "counter" | "histogram";
}

export const METRICS = {
  runsStarted: { name: "license_sync_runs_started_total", help: "Runs whose flow was added, by trigger.", type: "counter" },
  runsCompleted: { name: "license_sync_runs_completed_total", help: "Runs that published (or planned, in a dry run), by trigger.", type: "counter" },
  runsFailed: { name: "license_sync_runs_failed_total", help: "Runs that failed for good, by trigger.", type: "counter" },
  runDuration: { name: "license_sync_run_duration_seconds", help: "Time from a run's flow being added to its end, by trigger and outcome.", type: "histogram" },
  accountsCollected: { name: "license_sync_accounts_collected_total", help: "GHES accounts and GHEC license rows read, by side.", type: "counter" },
  apiRequests: { name: "license_sync_api_requests_total", help: "HTTP attempts collectors made to GitHub, by side.", type: "counter" },
  failures: { name: "license_sync_job_failures_total", help: "Failed job attempts, by job and kind of failure.", type: "counter" },
} as const satisfies Record<string, StoredMetricDefinition>;
