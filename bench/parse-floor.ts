// The parse-only floor: read and parse the report's inputs with the same readers and the same
// email protection, keep nothing, reconcile nothing. `report` is compared against this.
import { createReadStream } from "node:fs";
import { readConsumedLicenses } from "../src/collect/readers/consumed-licenses.js";
import { readAllUsersCsv } from "../src/collect/readers/ghes-csv.js";
import { readExternalIdentitiesJson } from "../src/collect/readers/identities-json.js";
import { createEmailProtector } from "../src/privacy/protect.js";

const [cloudFile, identitiesFile, ...servers] = process.argv.slice(2);
const protector = createEmailProtector();
let accounts = 0;
for (const server of servers) {
  const [hostname, file] = server.split("=") as [string, string];
  for await (const account of readAllUsersCsv(createReadStream(file), { hostname, source: file, protector }))
    if (account) accounts++;
}
const cloud = await readConsumedLicenses(createReadStream(cloudFile!), { source: cloudFile!, protector });
const identities = await readExternalIdentitiesJson(createReadStream(identitiesFile!), {
  source: identitiesFile!,
  protector,
});
process.stderr.write(
  `floor: ${accounts} accounts, ${cloud.licenses.length} cloud rows, ${identities.length} identities\n`,
);
