import type { Logger } from "probot";

/**
 * What clients and collectors log through: probot's pino logger (or a child of it), or anything
 * with the same four levels. Structured fields first, message second, as pino expects.
 */
export type Log = Pick<Logger, "debug" | "info" | "warn" | "error">;
