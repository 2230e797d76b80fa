/**
 * The one thresholds type of the divergence stage, named as in the repository config
 * (`thresholds:` in `.github/license-sync.yml`, docs/configuration.md), so the config's
 * `thresholds` object is passed as it is: no second vocabulary to map into.
 */
export interface DivergenceThresholds {
  /** Utilization (0..1) at or above which `near-limit` is raised. */
  utilizationWarning: number;
  /** `stale-sync` once an instance's last sync is this many days old. */
  staleSyncDays: number;
  /** Tolerated difference between unique users and GitHub's consumed seats. */
  uniqueCountTolerance: number;
  /** Tolerated difference between an instance's billable accounts and GitHub's rows naming it. */
  serverCountTolerance: number;
  /** `license-expiring` when a GHES license expires within this many days. */
  licenseExpiryDays: number;
}

/** The repository config's defaults (src/config/repository.ts), repeated so reconcile/ stays self-contained. */
export const DEFAULT_DIVERGENCE_THRESHOLDS: DivergenceThresholds = {
  utilizationWarning: 0.9,
  staleSyncDays: 8,
  uniqueCountTolerance: 0,
  serverCountTolerance: 0,
  licenseExpiryDays: 30,
};
