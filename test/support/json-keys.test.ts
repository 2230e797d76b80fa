import { duplicateKeys } from "./json-keys.js";

test("the duplicate-key check finds repeated keys at any depth and passes clean JSON", () => {
  expect(duplicateKeys('{"name":"probot","name":"license-sync","a":{"x":1,"x":[2]},"l":[{"k":1,"k":2}]}')).toEqual([
    "name",
    "a.x",
    "l[0].k",
  ]);
  expect(duplicateKeys('{"level":30,"msg":"a \\"quoted\\" name","n":-1.5e3,"t":true,"z":null,"e":{},"f":[]}')).toEqual(
    [],
  );
  expect(() => duplicateKeys("INFO (license-sync): started")).toThrow(/not JSON/);
});
