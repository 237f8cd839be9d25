import { describe, expect, it } from "vitest";
import { CnnError } from "../../src/core/errors.js";
import { locateJson, parseJson, pathSegments } from "../../src/parse/json.js";

function errorOf(text: string) {
  try {
    parseJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CnnError);
    return (e as CnnError).diagnostic;
  }
  throw new Error("expected an error");
}

describe("the JSON reader", () => {
  it("reads what JSON.parse reads", () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {"c": {}}, "d": []}';
    expect(JSON.stringify(parseJson(text).value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it("reads integers as JSON.parse does, on the fast path and off it", () => {
    for (const literal of [
      "0",
      "-0",
      "7",
      "-42",
      "999999999999999", // 15 digits: the fast path's longest
      "9007199254740991", // 16 digits: the general path
      "-9007199254740991",
      "1.5",
      "10e2",
      "2E-3",
      "-0.25",
    ]) {
      const { value } = parseJson(`[${literal}, ${literal}]`);
      expect(value).toEqual([JSON.parse(literal), JSON.parse(literal)]);
      expect(Object.is((value as number[])[0], JSON.parse(literal))).toBe(true);
    }
  });

  it("refuses what JSON refuses in numbers, with the same messages as before", () => {
    expect(errorOf("[01]").message).toBe(
      "expected ',' or ']' after an array element; received '1'",
    );
    expect(errorOf("[-]").code).toBe("json-syntax");
    expect(errorOf("[1.]").code).toBe("json-syntax");
    expect(errorOf("[9007199254740993]").code).toBe("number-range");
  });

  it("says the file ends where a value should be, wherever it is cut", () => {
    const endOfFile =
      "expected a JSON value (object, array, string, number, true, false or null); received the end of the file";
    for (const cut of ['{"input":[8,8,', "[", '{"a":', '{"a": ', "[1,"]) {
      const e = errorOf(cut);
      expect(e.message, cut).toBe(endOfFile);
      expect(e.span, cut).toEqual({ start: cut.length, end: cut.length + 1 });
    }
    for (const text of ["[-", "-", "  -"]) {
      const e = errorOf(text);
      expect(e.code, text).toBe("json-syntax");
      expect(e.message, text).toBe(
        "expected a JSON value (object, array, string, number, true, false or null); received '-'",
      );
    }
  });

  it("reads repeated keys and words as JSON.parse does (the reader reuses their strings)", () => {
    const text = JSON.stringify({
      layers: [
        { type: "conv", kernel: 3, padding: "same" },
        { type: "conv", kernel: 5, padding: "same" },
        // same first letter and length as other keys and words: must not be taken for them
        { typf: "conw", kernal: 1, paddinh: "samf", k: "", "": "" },
        { 't"ype': "c\\onv", "x\u00e9": "é", "😀": "名前" },
        { type: "a-very-long-word-of-more-than-thirteen-letters", t: "b" },
      ],
    });
    const { value } = parseJson(text);
    expect(value).toEqual(JSON.parse(text));
    const layers = (value as { layers: Record<string, unknown>[] }).layers;
    expect(layers.map((l) => Object.keys(l))).toEqual(
      (JSON.parse(text) as { layers: object[] }).layers.map((l) => Object.keys(l)),
    );
  });

  it("still refuses a duplicate key that the reader has seen before", () => {
    const e = errorOf('[{"type": 1, "kernel": 2}, {"type": 1, "type": 2}]');
    expect(e.code).toBe("duplicate-key");
    expect(e.message).toBe('duplicate key "type"; expected each key once per object');
  });

  it("records spans of keys and values", () => {
    const text = '{\n  "layers": [\n    {"type": "conv", "kernel": 100}\n  ]\n}';
    const { value, map } = parseJson(text);
    const span = locateJson(value, map, "layers[0].kernel");
    expect(text.slice(span.start, span.end)).toBe("100");
    const key = locateJson(value, map, "layers[0].kernel", true);
    expect(text.slice(key.start, key.end)).toBe('"kernel"');
    // a path that does not exist points at the deepest part that does
    const missing = locateJson(value, map, "layers[0].stride");
    expect(text.slice(missing.start, missing.end)).toBe('{"type": "conv", "kernel": 100}');
  });

  it("keeps __proto__ a plain key and never pollutes prototypes", () => {
    const { value } = parseJson('{"__proto__": {"polluted": 1}, "constructor": 2}');
    expect(Object.keys(value as object)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("skips a UTF-8 byte order mark and reads CRLF line ends", () => {
    expect(parseJson('\uFEFF{\r\n"a": 1\r\n}').value).toEqual(
      Object.assign(Object.create(null), { a: 1 }),
    );
  });

  it("reads nesting far deeper than a recursive parser could", () => {
    const depth = 50_000;
    const { value } = parseJson(`${"[".repeat(depth)}${"]".repeat(depth)}`, { maxDepth: depth });
    let d = 0;
    for (let v: unknown = value; Array.isArray(v) && v.length > 0; v = v[0]) d++;
    expect(d).toBe(depth - 1);
  });

  it.each([
    ["", "empty-input", 'the file is empty; expected a JSON object with "input" and "layers"', 0],
    [
      "{",
      "json-syntax",
      "expected a property name in double quotes or '}'; received the end of the file",
      1,
    ],
    ['{"a" 1}', "json-syntax", "expected ':' after the property name \"a\"; received '1'", 5],
    [
      '{"a": 1,}',
      "json-syntax",
      "expected a property name in double quotes after ','; received '}'",
      8,
    ],
    ['{"a": [1 2]}', "json-syntax", "expected ',' or ']' after an array element; received '2'", 9],
    [
      '{"a": tru}',
      "json-syntax",
      "expected a JSON value (object, array, string, number, true, false or null); received 'tru'",
      6,
    ],
    [
      '{"a": 1, "a": 2}',
      "duplicate-key",
      'duplicate key "a"; expected each key once per object',
      9,
    ],
    ['{"a": "x', "json-syntax", "unterminated string; expected a closing '\"'", 6],
    [
      '{"a": NaN}',
      "json-syntax",
      "expected a JSON value (object, array, string, number, true, false or null); received 'NaN'",
      6,
    ],
    ["{} x", "json-syntax", "expected the end of the file after the JSON value; received 'x'", 3],
  ])("%j is an error: %s", (text, code, message, at) => {
    const d = errorOf(text);
    expect(d.code).toBe(code);
    expect(d.message).toBe(message);
    expect(d.span?.start).toBe(at);
  });

  it("refuses nesting beyond the limit with a clear error", () => {
    const d = errorOf(`${"[".repeat(10_001)}${"]".repeat(10_001)}`);
    expect(d.code).toBe("too-deep");
    expect(d.message).toContain("deeper than 10000 levels");
  });

  it("splits spec paths, dropping repetition tags", () => {
    expect(pathSegments("layers[3].body[1]#2.kernel")).toEqual(["layers", 3, "body", 1, "kernel"]);
  });
});
