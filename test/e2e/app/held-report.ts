import { ghesRoutes } from "../../sim/routes/ghes.js";
import type { Route } from "../../sim/server.js";

const REPORT = "GET /stafftools/reports/all_users.csv";

/** A GHES report route whose first calls wait for the test; the rest behave as usual. */
export interface HeldReport {
  route: Route;
  /** Resolves when the first held call arrived (its collect job is active). */
  reached: Promise<void>;
  /** Lets held calls (and all later ones) through. */
  release(): void;
  /** Report calls seen so far. */
  readonly calls: number;
}

/**
 * Holds the first `holdFirst` calls of the all_users.csv report (for `host`, or any host) so a
 * test can act while a collect job is active: add requests, kill its worker, shut down. Calls
 * held with `forever` are never answered (their worker is gone); the simulator drops them when
 * it closes.
 *
 * @example const held = holdReport({ holdFirst: 1 }); startHarness("x", { simulator: { routes: [held.route] } });
 */
export function holdReport(options: { holdFirst: number; host?: string; forever?: boolean }): HeldReport {
  const builtIn = ghesRoutes().find((route) => route.name === REPORT);
  if (!builtIn) throw new Error(`simulator has no route ${REPORT}`);
  let calls = 0;
  let reach = () => undefined as void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const route: Route = {
    ...builtIn,
    async handler(req, sim) {
      const host = req.target.kind === "ghes" ? req.target.host : "";
      if (!options.host || host === options.host) {
        calls++;
        if (calls <= options.holdFirst) {
          reach();
          await (options.forever ? new Promise<never>(() => undefined) : released);
        }
      }
      return builtIn.handler(req, sim);
    },
  };
  return {
    route,
    reached,
    release: () => release(),
    get calls() {
      return calls;
    },
  };
}

/**
 * A report route whose first `failFirst` calls (for `host`) answer `status`; the rest behave as
 * usual. For a collection that fails once and succeeds when BullMQ retries it.
 *
 * @example const flaky = failReport({ failFirst: 1, status: 400, host: "ghes-a.corp.example" });
 */
export function failReport(options: { failFirst: number; status: number; host: string }): {
  route: Route;
  readonly calls: number;
} {
  const builtIn = ghesRoutes().find((route) => route.name === REPORT);
  if (!builtIn) throw new Error(`simulator has no route ${REPORT}`);
  let calls = 0;
  const route: Route = {
    ...builtIn,
    handler(req, sim) {
      if (req.target.kind === "ghes" && req.target.host === options.host && ++calls <= options.failFirst) {
        return { status: options.status, body: { message: "Simulated failure" } };
      }
      return builtIn.handler(req, sim);
    },
  };
  return {
    route,
    get calls() {
      return calls;
    },
  };
}
