/** The x-ratelimit-* headers of one answer, plus whether the request is refused. */
export interface RateState {
  limit: number;
  remaining: number;
  reset: number;
  used: number;
  resource: string;
  exceeded: boolean;
}

/**
 * GitHub's primary rate limit: a budget per token and resource that resets a fixed time after
 * the window opened. Small limits let tests watch a client wait for `x-ratelimit-reset`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { opened: number; used: number }>();

  constructor(private readonly windowMs: number) {}

  /** Charges one request to `key` unless the budget is spent. */
  take(key: string, resource: string, limit: number, now = Date.now()): RateState {
    const id = `${key}\u0000${resource}`;
    let bucket = this.buckets.get(id);
    if (!bucket || now >= bucket.opened + this.windowMs) {
      bucket = { opened: now, used: 0 };
      this.buckets.set(id, bucket);
    }
    const exceeded = bucket.used >= limit;
    if (!exceeded) bucket.used++;
    return {
      limit,
      remaining: limit - bucket.used,
      reset: Math.ceil((bucket.opened + this.windowMs) / 1000),
      used: bucket.used,
      resource,
      exceeded,
    };
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** Headers GitHub sends with every API answer. */
export function rateHeaders(state: RateState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(state.reset),
    "x-ratelimit-used": String(state.used),
    "x-ratelimit-resource": state.resource,
  };
}
