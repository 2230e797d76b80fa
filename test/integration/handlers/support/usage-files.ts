import { usageFileChunks } from "../../../../src/collect/usage-file/usage-file.js";
import { createEmailProtector } from "../../../../src/privacy/protect.js";
import type { ServerAccount } from "../../../../src/shared/report.js";
import { SECRET } from "./app.js";

/** A small, valid usage file of `hostname`, hashed with `secret` (the app's by default). */
export function usageFileText(hostname: string, options: { secret?: string; accounts?: number } = {}): string {
  const protector = createEmailProtector({ secret: options.secret ?? SECRET });
  const accounts: ServerAccount[] = Array.from({ length: options.accounts ?? 3 }, (_, i) => ({
    hostname,
    id: i + 1,
    handleKeys: [protector.handleKey(`user${i}`)!],
    primaryEmail: protector.protect(`user${i}@corp.example`),
    suspended: false,
    dormant: i === 2,
    siteAdmin: i === 0,
    licensable: true,
  }));
  const meta = {
    hostname,
    version: "3.17.0",
    generatedAt: "2026-11-23T12:00:00.000Z",
    license: null,
    keyId: protector.keyId,
  };
  return [...usageFileChunks(meta, accounts)].join("");
}
