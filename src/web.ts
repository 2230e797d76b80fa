/** Web process (`npm start`): Probot webhooks, /healthz, /readyz, /metrics. See src/runtime/web-process.ts. */
import { runProcess } from "./runtime/bootstrap.js";
import { startWebProcess } from "./runtime/web-process.js";

await runProcess("web", (boot) => startWebProcess(boot));
