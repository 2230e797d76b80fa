import { hash32, hashString, Rng } from "../prng.js";
import type { Faults } from "./types.js";

/** What the plan decided for one request. */
export type FaultDecision =
  | { kind: "timeout" }
  | { kind: "error"; status: 502 | 503 }
  | { kind: "secondary"; status: 403 | 429 }
  | { kind: "rateLimit403"; retryAfter: number };

/**
 * Decides the fate of a request from (seed, request key, how many times that key was seen), so
 * the same run of requests meets the same faults whatever the interleaving of other requests,
 * and a retried request gets a fresh draw.
 */
export class FaultPlan {
  private readonly seen = new Map<string, number>();

  constructor(private readonly faults: Faults) {}

  /** Whether faults apply to `route` at all. */
  applies(route: string): boolean {
    return !this.faults.routes || this.faults.routes.includes(route);
  }

  decide(route: string, key: string): FaultDecision | null {
    const f = this.faults;
    if (!this.applies(route)) return null;
    const nth = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, nth);
    const rng = new Rng(hash32(f.seed ?? 0, hashString(key), nth));
    const roll = rng.next();
    const timeout = f.timeoutRate ?? 0;
    const error = timeout + (f.errorRate ?? 0);
    const secondary = error + (f.secondaryRateLimitRate ?? 0);
    if (roll < timeout) return { kind: "timeout" };
    if (roll < error) return { kind: "error", status: rng.chance(0.5) ? 502 : 503 };
    const rateLimit403 = secondary + (f.rateLimit403Rate ?? 0);
    if (roll < secondary) return { kind: "secondary", status: f.secondaryRateLimitStatus ?? 403 };
    if (roll < rateLimit403) return { kind: "rateLimit403", retryAfter: f.rateLimit403RetryAfter ?? 1 };
    return null;
  }

  clear(): void {
    this.seen.clear();
  }
}
