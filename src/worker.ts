/** Worker process (`npm run worker`): BullMQ workers for queue `license-sync`. See src/runtime/worker-process.ts. */
import { runProcess, startWorkerProcess } from "./runtime/index.js";

await runProcess("worker", (boot) => startWorkerProcess(boot));
