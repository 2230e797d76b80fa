import type { Context } from "probot";
import type { z } from "zod";
import { handlerLog, type AppServices } from "./services.js";
import { assertPayload } from "./webhook-payloads.js";

/** What the guard needs of Probot's context. */
type DeliveryContext = Pick<Context, "id" | "name" | "payload" | "log">;

/**
 * Wraps a handler so that a delivery is handled at most once and only when well formed:
 * 1. the payload is checked against `schema` (the fields the handler reads); a malformed one
 *    throws `MalformedPayloadError`, which the webhook middleware answers with 400;
 * 2. the delivery is claimed (`services.deliveries`); a replay within a day (same
 *    `X-GitHub-Delivery`, or the same payload under another id) is logged and does nothing;
 * 3. if the handler fails, the claim is released, so GitHub's redelivery of a failed delivery runs.
 *
 * @example app.on("push", guardDelivery(services, pushPayload, onPush(services)));
 */
export function guardDelivery<C extends DeliveryContext>(
  services: AppServices,
  schema: z.ZodType,
  handler: (context: C) => Promise<void>,
): (context: C) => Promise<void> {
  return async (context) => {
    assertPayload(schema, context.name, context.payload);
    const claims = services.deliveries;
    if (claims && !(await claims.claim(context.id, context.payload))) {
      handlerLog(context, services, "delivery-guard").info("delivery already handled within a day; replay ignored");
      return;
    }
    try {
      await handler(context);
    } catch (error) {
      await claims?.release(context.id, context.payload);
      throw error;
    }
  };
}
