import { describe, expect, it } from "vitest";
import { computeView, isCheckError, joinTable } from "../../src/playground/compute.js";
import { decodeHash, decodeText, encodeHash, encodeText } from "../../src/playground/hash.js";
import { escapeHtml, MARKED, toHtml } from "../../src/playground/html.js";
import { readRepoFile } from "../helpers/io.js";

/*
 * The playground's pure parts in Node (the page itself is tested in Chromium by
 * `npm run test:browser`, test/browser/).
 */

describe("the URL hash", () => {
  it.each([
    ["", ""],
    ["conv 16 8x8", "Y29udiAxNiA4eDg"],
    ["84 × 84 × 4 φ", "ODQgw5cgODQgw5cgNCDPhg"],
  ])("%j is base64url of its UTF-8 bytes, and back", (text, encoded) => {
    expect(encodeText(text)).toBe(encoded);
    expect(Buffer.from(encoded, "base64url").toString("utf8")).toBe(text);
    expect(decodeText(encoded)).toBe(text);
  });

  it("keeps a 50 kB spec (encoded in 32 kB slices) and both texts", () => {
    const big = "conv 8 3x3 pad 1\n".repeat(3_000);
    const hash = encodeHash({ spec: big, answers: "layer 1 neurons 6400" });
    expect(hash.startsWith(`spec=${Buffer.from(big).toString("base64url")}&answers=`)).toBe(true);
    expect(decodeHash(`#${hash}`)).toEqual({ spec: big, answers: "layer 1 neurons 6400" });
  });

  it.each([["spec=%%%"], ["spec=_w"]])("refuses %j", (hash) => {
    expect(() => decodeHash(hash)).toThrow();
  });
});

describe("HTML", () => {
  it("escapes the user's text and turns the renderers' emphasis into spans", () => {
    expect(toHtml(`${MARKED.bold("<b>")} & ${MARKED.error('"x"')}`)).toBe(
      '<span class="s-bold">&lt;b&gt;</span> &amp; <span class="s-error">&quot;x&quot;</span>',
    );
    expect(escapeHtml("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });
});

describe("computeView", () => {
  it("the DQN: the table, totals and the answers marked", () => {
    const v = computeView(
      readRepoFile("examples/dqn.json"),
      "layer 1 neurons 6400\nlayer 2 neurons 1",
    );
    expect(v.format).toBe("json");
    expect(v.error).toBeNull();
    expect(v.table?.rows).toHaveLength(4);
    expect(joinTable(v.table as NonNullable<typeof v.table>)).toContain(
      '<tfoot><tr><td class="num"></td><th scope="row">Total</th><td></td><td class="num"></td><td class="num"></td><td class="num">9,266</td><td class="num">2,979,378</td><td class="num">680,770</td></tr></tfoot>',
    );
    expect(v.summary[0]).toBe(
      'Parameters: <span class="s-bold">680,770</span> (trainable 680,770, non-trainable 0)',
    );
    expect(v.working).toBeNull();
    const c = v.check;
    if (c === null || isCheckError(c)) throw new Error("expected marked answers");
    expect([...c.marks]).toEqual([
      [1, "right"],
      [2, "wrong"],
    ]);
    expect(c.score).toBe("Score: 1/2 right, 1 wrong");
  });

  it("a broken spec: the CLI's diagnostic and its line", () => {
    const v = computeView("conv 16 8x8 stride 4\nfc -3", "");
    expect(v.analysis).toBeNull();
    expect(v.error?.line).toBe(2);
    expect(v.error?.html).toMatch(/^<span class="s-bold">spec:2:\d+:<\/span>/);
  });

  it("text that holds the emphasis marks is rendered plain, not as spans", () => {
    const v = computeView(
      '{"name":"\uE0000","input":[4],"layers":[{"type":"dense","units":2}]}',
      "",
    );
    expect(v.table?.head).toContain("\uE0000 (input 4)");
    expect(v.summary[0]).toBe("Parameters: 10 (trainable 10, non-trainable 0)");
  });
});
