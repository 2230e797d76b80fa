/**
 * Keys that occur more than once in one JSON object of `text`, as `path.key` (JSON.parse keeps
 * the last silently, so it cannot tell). Throws on text that is not JSON.
 *
 * @example duplicateKeys('{"name":"a","name":"b"}') // ["name"]
 */
export function duplicateKeys(text: string): string[] {
  let at = 0;
  const found: string[] = [];
  const space = () => {
    while (/\s/.test(text[at] ?? "")) at++;
  };
  const expect = (char: string) => {
    if (text[at] !== char) throw new Error(`expected ${char} at ${at} in ${text.slice(0, 200)}`);
    at++;
  };
  const string = (): string => {
    const start = at;
    expect('"');
    while (text[at] !== '"') {
      if (at >= text.length) throw new Error("unterminated string");
      at += text[at] === "\\" ? 2 : 1;
    }
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      const keys = new Set<string>();
      space();
      if (text[at] === "}") return void at++;
      for (;;) {
        space();
        const key = string();
        if (keys.has(key)) found.push(path ? `${path}.${key}` : key);
        keys.add(key);
        space();
        expect(":");
        value(path ? `${path}.${key}` : key);
        space();
        if (text[at] === ",") at++;
        else return expect("}");
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text[at] === "]") return void at++;
      for (let i = 0; ; i++) {
        value(`${path}[${i}]`);
        space();
        if (text[at] === ",") at++;
        else return expect("]");
      }
    }
    if (char === '"') return void string();
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at, at + 40));
    if (!literal) throw new Error(`not JSON at ${at}: ${text.slice(at, at + 20)}`);
    at += literal[0].length;
  };
  value("");
  space();
  if (at !== text.length) throw new Error(`trailing text at ${at}`);
  return found;
}
