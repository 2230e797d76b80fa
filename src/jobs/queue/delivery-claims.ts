import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { runKeys } from "./names.js";
import { guardQueueCall } from "./unavailable.js";

/** How long a handled delivery is remembered: GitHub's redeliveries and replays of a day are ignored. */
export const DELIVERY_MEMORY_SECONDS = 24 * 60 * 60;

/** Records which webhook deliveries were handled, so a replay starts nothing new. */
export interface DeliveryClaims {
  /**
   * Claims a delivery by its `X-GitHub-Delivery` id and by its payload. False when either was
   * claimed within the last day: the header is not covered by the signature, so a signed payload
   * replayed under a fresh id is caught by its digest.
   */
  claim(deliveryId: string, payload: unknown): Promise<boolean>;
  /** Forgets a claim, so a delivery whose handling failed can be redelivered. */
  release(deliveryId: string, payload: unknown): Promise<void>;
}

const digest = (kind: string, text: string) => `${kind}-${createHash("sha256").update(text).digest("base64url")}`;

/**
 * Delivery claims in Redis (`SET NX EX`, one day), shared by every web process. Keys are digests,
 * so the unauthenticated header never becomes a key as it is.
 *
 * @example
 *   const claims = redisDeliveryClaims(redis, "license-sync");
 *   if (!(await claims.claim(context.id, context.payload))) return; // a replay
 */
export function redisDeliveryClaims(redis: Redis, prefix: string): DeliveryClaims {
  const keysOf = (deliveryId: string, payload: unknown) => [
    runKeys.delivery(prefix, digest("id", deliveryId)),
    runKeys.delivery(prefix, digest("payload", JSON.stringify(payload))),
  ];
  return {
    async claim(deliveryId, payload) {
      const [idKey, payloadKey] = keysOf(deliveryId, payload);
      const results = await guardQueueCall(
        redis,
        () =>
          redis
            .multi()
            .set(idKey!, "1", "EX", DELIVERY_MEMORY_SECONDS, "NX")
            .set(payloadKey!, "1", "EX", DELIVERY_MEMORY_SECONDS, "NX")
            .exec(),
        3000,
      );
      return (results ?? []).every(([error, reply]) => !error && reply === "OK");
    },
    async release(deliveryId, payload) {
      await guardQueueCall(redis, () => redis.del(...keysOf(deliveryId, payload)), 3000);
    },
  };
}
