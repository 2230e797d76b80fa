/** Web process (`npm start`): Probot webhooks, /healthz, /readyz, /metrics. See src/runtime/web-process.ts. */
import { runProcess, startWebProcess } from "./runtime/index.js";

await runProcess("web", (boot) => startWebProcess(boot));
