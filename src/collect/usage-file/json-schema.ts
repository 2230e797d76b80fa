import { z } from "zod";
import { usageFileSchema } from "./schema.js";

/** JSON Schema of the usage file, generated from its zod schema (committed as schemas/usage-file.schema.json). */
export function usageFileJsonSchema(): object {
  return {
    $id: "https://raw.githubusercontent.com/license-sync/license-sync/main/schemas/usage-file.schema.json",
    title: "license-sync usage file",
    description:
      "Accounts of one GitHub Enterprise Server instance with keyed and masked emails; see docs/usage-file.md.",
    ...z.toJSONSchema(usageFileSchema, { io: "input" }),
  };
}
