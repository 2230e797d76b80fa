// The crude floor `report` is compared against (issue 12): read the same files and do the least
// parsing that touches every value: `split` on lines and commas for the CSVs, `JSON.parse` for the
// JSON. No validation, no keying, nothing reconciled, nothing kept; never the project's readers.
// The JSON files are parsed a line at a time (the generator writes one row or node per line):
// a 500 MB response is longer than V8's longest string, so one `JSON.parse` of it cannot run.
//   parse-floor.js <consumed-licenses.json> <identities.json> <host>=<all_users.csv>...
import { createReadStream } from "node:fs";

/** Calls `onLine` for every line of the file, split from the decoded text as it streams. */
async function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split("\n");
    rest = lines.pop()!;
    for (const line of lines) onLine(line);
  }
  onLine(rest);
}

/** `JSON.parse` of every line holding one whole object (`{...}` or `{...},`); the other lines are brackets or a page header. */
async function parseJsonLines(file: string): Promise<number> {
  let values = 0;
  await eachLine(file, (line) => {
    const text = line.endsWith(",") ? line.slice(0, -1) : line;
    if (text.startsWith("{") && text.endsWith("}")) {
      JSON.parse(text);
      values++;
    }
  });
  return values;
}

const [cloudFile, identitiesFile, ...servers] = process.argv.slice(2) as [string, string, ...string[]];
let fields = 0;
for (const server of servers) {
  const file = server.slice(server.indexOf("=") + 1);
  await eachLine(file, (line) => {
    fields += line.split(",").length;
  });
}
const rows = await parseJsonLines(cloudFile);
const identities = await parseJsonLines(identitiesFile);
process.stderr.write(`floor: ${fields} CSV fields, ${rows} cloud rows, ${identities} identities\n`);
