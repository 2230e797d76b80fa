/** Worker process (`npm run worker`): BullMQ workers for queue `license-sync`. See src/runtime/worker-process.ts. */
import { runProcess } from "./runtime/bootstrap.js";
import { startWorkerProcess } from "./runtime/worker-process.js";

await runProcess("worker", (boot) => startWorkerProcess(boot));
