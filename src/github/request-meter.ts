/** The key under Octokit's per-request `request` options that carries a meter to the hooks. */
const METER_KEY = "licenseSyncMeter";

/**
 * Counts the HTTP attempts one collector makes (retries included), even when several collectors
 * share one client at the same time. Octokit passes unknown keys of the `request` option through
 * to its hooks unchanged, so the meter rides along with each call; `requestLogPlugin` counts it.
 *
 * @example
 *   const meter = new RequestMeter();
 *   await client.request("GET /enterprise/stats/users", { request: meter.tag() });
 *   meter.count // 1 (or more after retries)
 */
export class RequestMeter {
  #count = 0;

  /** Attempts counted so far. */
  get count(): number {
    return this.#count;
  }

  /** Counts attempts made outside Octokit (e.g. the GHES report, fetched with plain `fetch`). */
  add(attempts = 1): void {
    this.#count += attempts;
  }

  /** The value to pass as a call's `request` option. */
  tag(): Record<string, unknown> {
    return { [METER_KEY]: this };
  }
}

/**
 * The meter a request carries, if any.
 *
 * @example meterOf(options.request)?.add();
 */
export function meterOf(requestOptions: Record<string, unknown> | undefined): RequestMeter | undefined {
  const meter = requestOptions?.[METER_KEY];
  return meter instanceof RequestMeter ? meter : undefined;
}
