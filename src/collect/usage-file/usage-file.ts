import { Readable } from "node:stream";
import { InputError, type ServerAccount, type ServerCollection, type ServerLicense } from "../../shared/index.js";
import { streamJson } from "../readers/json-stream.js";
import { issuePath, issueProblem } from "../readers/zod-issue.js";
import {
  USAGE_FILE_FORMAT,
  USAGE_FILE_VERSION,
  usageAccountSchema,
  usageHeaderSchema,
  type UsageAccount,
  type UsageHeader,
} from "./schema.js";

const FIX = "Export it again with `license-sync export` (docs/usage-file.md); do not edit it by hand.";
/** An account entry is about 200 bytes and a header field less: anything near this is hostile. */
const MAX_VALUE_BYTES = 64 * 1024;

/** Engine record -> usage-file entry. */
export function toUsageAccount(account: ServerAccount): UsageAccount {
  return {
    id: account.id,
    email: account.primaryEmail ? { hash: account.primaryEmail.key, masked: account.primaryEmail.masked } : null,
    handles: account.handleKeys,
    suspended: account.suspended,
    dormant: account.dormant,
    siteAdmin: account.siteAdmin,
    licensable: account.licensable,
  };
}

/** Usage-file entry -> engine record. */
export function fromUsageAccount(entry: UsageAccount, hostname: string): ServerAccount {
  const masked = entry.email?.masked;
  return {
    hostname,
    id: entry.id,
    handleKeys: entry.handles,
    primaryEmail:
      entry.email && masked ? { key: entry.email.hash, masked, domain: masked.slice(masked.indexOf("@") + 1) } : null,
    suspended: entry.suspended,
    dormant: entry.dormant,
    siteAdmin: entry.siteAdmin,
    licensable: entry.licensable,
  };
}

export interface UsageFileMeta {
  hostname: string;
  version: string | null;
  generatedAt: string;
  license: ServerLicense | null;
  keyId: string;
}

/**
 * The usage file as text chunks (accounts one per line), so a million accounts are never one
 * string. Header fields come first: a reader checks them before any account.
 */
export function* usageFileChunks(meta: UsageFileMeta, accounts: readonly ServerAccount[]): Generator<string> {
  const header: UsageHeader = {
    format: USAGE_FILE_FORMAT,
    version: USAGE_FILE_VERSION,
    server: { hostname: meta.hostname, version: meta.version },
    generatedAt: meta.generatedAt,
    license: meta.license,
    hashing: { algorithm: "hmac-sha256-128", keyId: meta.keyId },
    accountCount: accounts.length,
  };
  yield `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "accounts": [\n`;
  let chunk = "";
  for (const [i, account] of accounts.entries()) {
    chunk += `    ${JSON.stringify(toUsageAccount(account))}${i === accounts.length - 1 ? "" : ","}\n`;
    if (chunk.length > 65536) {
      yield chunk;
      chunk = "";
    }
  }
  yield `${chunk}  ]\n}\n`;
}

export interface ReadUsageFileOptions {
  source: string;
  /** The app's key fingerprint; a file keyed with another secret is rejected. */
  keyId: string;
  /** Hostname the deployment config expects in this file. */
  expectedHostname?: string;
  onAccount?: (account: ServerAccount) => void;
}

/**
 * Reads a usage file (air-gapped instance) into a `ServerCollection`, streaming and validating
 * each account; errors name the file and the field.
 */
export async function readUsageFile(
  input: Readable,
  options: ReadUsageFileOptions,
): Promise<{ header: UsageHeader; collection: ServerCollection }> {
  const { source } = options;
  const started = performance.now();
  const header: Record<string, unknown> = {};
  let checked: UsageHeader | undefined;
  const accounts: ServerAccount[] = [];
  let accountCount = 0;
  let billableAccounts = 0;
  const checkHeader = (): UsageHeader => {
    const parsed = usageHeaderSchema.safeParse(header);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(source, issuePath("", issue).replace(/^\./, "") || "(top level)", issueProblem(issue), FIX);
    }
    if (parsed.data.hashing.keyId !== options.keyId) {
      throw new InputError(
        source,
        "hashing.keyId",
        `the emails were hashed with a different LICENSE_SYNC_SECRET (this app's key is ${options.keyId})`,
        "Export again with the same LICENSE_SYNC_SECRET as the app.",
      );
    }
    if (options.expectedHostname && parsed.data.server.hostname !== options.expectedHostname) {
      // The file's own value is not quoted back (errors never carry field values); the configured one is ours.
      throw new InputError(
        source,
        "server.hostname",
        `is another instance than ${options.expectedHostname}, the one this path is configured for`,
        "Upload the file under the path configured for its instance.",
      );
    }
    return parsed.data;
  };
  const root = await streamJson(input, source, {
    fix: FIX,
    maxValueBytes: MAX_VALUE_BYTES,
    paths: [
      "$.format",
      "$.version",
      "$.server",
      "$.generatedAt",
      "$.license",
      "$.hashing",
      "$.accountCount",
      "$.accounts.*",
    ],
    onValue(value, key, parentKey) {
      if (parentKey !== "accounts" || typeof key !== "number") {
        header[String(key)] = value;
        return;
      }
      checked ??= checkHeader();
      const entry = usageAccountSchema.safeParse(value);
      if (!entry.success)
        throw new InputError(
          source,
          issuePath(`accounts[${key}]`, entry.error.issues[0]!),
          issueProblem(entry.error.issues[0]!),
          FIX,
        );
      const account = fromUsageAccount(entry.data, checked.server.hostname);
      accountCount++;
      if (account.licensable && !account.suspended) billableAccounts++;
      if (options.onAccount) options.onAccount(account);
      else accounts.push(account);
    },
  });
  if (root !== "object") throw new InputError(source, "", "expected a JSON object", FIX);
  checked ??= checkHeader();
  if (accountCount !== checked.accountCount) {
    throw new InputError(
      source,
      "accounts",
      `holds ${accountCount} accounts but accountCount says ${checked.accountCount} (truncated?)`,
      FIX,
    );
  }
  const license = checked.license;
  const collection: ServerCollection = {
    hostname: checked.server.hostname,
    accounts,
    accountCount,
    collectedAt: checked.generatedAt,
    license,
    stats: null,
    billableAccounts,
    seatsUsedDifference: license ? billableAccounts - license.seatsUsed : null,
    durationMs: Math.round(performance.now() - started),
    requests: 0,
  };
  return { header: checked, collection };
}

/**
 * Validates a whole usage file held as text (a pushed file, checked before any run starts).
 *
 * @example
 *   const header = await parseUsageFile(text, "license-usage/uploads/ghes-b.json", protector.keyId);
 */
export async function parseUsageFile(
  text: string,
  source: string,
  keyId: string,
  expectedHostname?: string,
): Promise<UsageHeader> {
  const { header } = await readUsageFile(Readable.from([text]), {
    source,
    keyId,
    expectedHostname,
    onAccount: () => undefined,
  });
  return header;
}
