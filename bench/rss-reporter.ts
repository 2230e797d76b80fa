// Preloaded into measured children (`node --import`): writes the process's peak RSS (KiB) on exit.
import { writeFileSync } from "node:fs";

const file = process.env.LICENSE_SYNC_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
