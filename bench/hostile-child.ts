// Child process of the hostile-input benchmark, measured for its own peak RSS (measure.ts):
//   hostile-child.js webhook                 the web server with Probot's webhook middleware; prints its port,
//                                            serves until SIGTERM
//   hostile-child.js usage-upload <file.gz>  the push check of one pushed usage file; prints its verdict and CPU
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot, createNodeMiddleware } from "probot";
import { webDeploymentConfigSchema } from "../src/config/deployment.js";
import type { Log } from "../src/shared/log.js";
import type { GitHub } from "../src/handlers/services.js";
import { checkUsageUpload } from "../src/handlers/usage-uploads.js";
import type { WebMetrics } from "../src/metrics/web-metrics.js";
import { createWebServer } from "../src/runtime/web-server.js";

const [mode, file] = process.argv.slice(2) as [string, string | undefined];
const logger = pino({ level: "silent" });

if (mode === "webhook") {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({ appId: 1, privateKey, secret: "bench-webhook-secret", log: logger as never });
  const webhooks = await createNodeMiddleware(() => undefined, { probot, webhooksPath: "/api/github/webhooks" });
  const metrics = {
    webhooks: { inc: () => undefined },
    render: async () => ({ contentType: "text/plain", body: "" }),
  } as unknown as WebMetrics;
  const server = createWebServer({
    webhooks,
    webhookPath: "/api/github/webhooks",
    redisReady: async () => true,
    redisConnected: () => true,
    metrics,
    logger: logger as unknown as Log,
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
  process.on("SIGTERM", () => process.exit(0));
} else {
  const bytes = readFileSync(file!);
  const path = "license-usage/uploads/ghes-b.json.gz";
  const deployment = webDeploymentConfigSchema.parse({
    enterprise: "acme",
    adminRepository: "acme/license-admin",
    servers: [{ hostname: "ghes-b.corp.example", usageFile: path }],
  });
  // The contents API's answer for a small file: the bytes inline, base64.
  const octokit = {
    request: async () => ({
      data: { type: "file", size: bytes.length, content: bytes.toString("base64"), sha: "b".repeat(40) },
    }),
  } as unknown as GitHub;
  const cpu = process.cpuUsage();
  const verdict = await checkUsageUpload(
    octokit,
    { owner: "acme", repo: "license-admin", ref: "a".repeat(40), path },
    deployment,
    "bench-key",
  );
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ refused: "problem" in verdict ? verdict.problem : null, cpuMs: (used.user + used.system) / 1000 })}\n`,
  );
}
