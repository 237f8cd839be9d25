import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, measureResnet50, PAGE_URL } from "../../bench/browser.mjs";
import { encodeHash } from "../../src/playground/hash.js";

/*
 * The playground page (dist/playground/index.html, built by `npm run build`) in Debian's
 * Chromium, opened from file:// as a user opens it. Its numbers and messages are compared with
 * the CLI's own output on the same input.
 */

const example = (f: string) =>
  readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8");

/** The built CLI's output on a file, or on a text through standard input. */
function cli(args: string[], input?: string): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, ["bin/cnncalc.js", ...args], {
    cwd: new URL("../..", import.meta.url),
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    ...(input === undefined ? {} : { input }),
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh page on the playground; fails the test on any error the page throws. */
async function open(url = PAGE_URL, width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("close", () => expect(errors).toEqual([]));
  await page.goto(url);
  return page;
}

/** The text an element shows (Playwright's innerText: hidden parts left out). */
const shown = (l: Locator) =>
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's rendered text, not the DOM property
  l.innerText();

const specBox = (page: Page) => page.getByRole("textbox", { name: "Spec", exact: true });
const answersBox = (page: Page) => page.getByRole("textbox", { name: "Answers", exact: true });
/** The totals row of the results table. */
const totals = (page: Page) => page.getByRole("table").locator("tfoot");

describe("the playground computes what the CLI computes", () => {
  it("typed JSON (examples/dqn.json): 680,770 parameters, the table and the working", async () => {
    const page = await open();
    await specBox(page).fill("");
    await specBox(page).fill(example("dqn.json"));
    await expect.poll(() => shown(page.locator("#format"))).toBe("read as json");
    const table = page.getByRole("table");
    expect(await table.getByRole("row").count()).toBe(1 + 4 + 1);
    expect(await shown(totals(page))).toMatch(/Total\s+9,266\s+2,979,378\s+680,770/);
    // every cell as the CLI's Markdown table has it (the same columns and cell texts)
    const markdown = cli(["examples/dqn.json", "--format", "markdown"]).stdout;
    const cliCells = markdown
      .split("\n")
      .filter((l) => /^\| \d/.test(l))
      .map((l) => l.slice(2, -2).split(" | "));
    expect(cliCells).toHaveLength(4);
    const cells = await table
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(cells).toEqual(cliCells);
    expect(cells[1]).toEqual([
      "2",
      "conv2",
      "conv relu",
      "9×9×32",
      "257",
      "2,592",
      "666,144",
      "8,224",
    ]);
    expect(await shown(page.locator("#summary"))).toContain(
      "Parameters: 680,770 (trainable 680,770, non-trainable 0)",
    );
    await page.locator("#working-panel summary").click();
    const working = await shown(page.locator("#working"));
    const explain = cli(["examples/dqn.json", "--explain"]).stdout;
    // the same working as `--explain`, line for line
    const cliWorking = explain.slice(explain.indexOf("Notation"));
    expect(working.trim()).toBe(cliWorking.trim());
    await page.close();
  });

  it("the layer language typed key by key (examples/dqn.cnn): 680,770", async () => {
    const page = await open();
    await specBox(page).fill("");
    // real keystrokes, each an input event; comments left out to keep it short
    const text = example("dqn.cnn")
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .join("\n");
    await specBox(page).pressSequentially(text);
    await expect.poll(() => shown(page.locator("#format"))).toBe("read as text");
    expect(await shown(totals(page))).toMatch(/680,770$/);
    await page.close();
  });

  it("pasted prose (examples/dqn-paper.txt): 680,770 with the reader's assumptions", async () => {
    const page = await open();
    await specBox(page).fill(example("dqn-paper.txt"));
    await expect.poll(() => shown(page.locator("#format"))).toBe("read as prose");
    expect(await shown(totals(page))).toMatch(/680,770$/);
    const notes = await page.locator("#summary li").allInnerTexts();
    const json = JSON.parse(cli(["examples/dqn-paper.txt", "--json"]).stdout) as {
      assumptions: { code: string; message: string }[];
    };
    expect(json.assumptions.map((a) => a.code)).toEqual([
      "outputs-range",
      "padding-zero",
      "implied-flatten",
    ]);
    expect(notes.filter((n) => n.startsWith("assumption:"))).toEqual(
      json.assumptions.map((a) => `assumption: ${a.message} [${a.code}]`),
    );
    await page.close();
  });
});

describe("opening a model file", () => {
  const fixture = (f: string) => new URL(`../../${f}`, import.meta.url).pathname;

  it.each([
    // an ONNX export of torchvision's resnet18 (BatchNorm kept), as `cnncalc examples/resnet18.onnx`
    [
      "examples/resnet18.onnx",
      "onnx",
      "Parameters: 11,699,112 (trainable 11,689,512, non-trainable 9,600)",
    ],
    // a .keras archive written by Keras 3.15.1 itself: 225,034, the weights it saved
    [
      "test/fixtures/keras/keras3-real-mnist-cnn.keras",
      "keras",
      "Parameters: 225,034 (trainable 225,034, non-trainable 0)",
    ],
  ])(
    "%s is converted to the layer language and counted as the CLI counts it",
    async (file, format, line) => {
      const page = await open();
      await page.locator("#model").setInputFiles(fixture(file));
      await expect
        .poll(() => shown(page.locator("#notice")))
        .toContain(`(${format}) and wrote it in the layer language`);
      await expect.poll(() => shown(page.locator("#summary"))).toContain(line);
      // the Spec box holds what `cnncalc convert --to text` prints
      expect(await specBox(page).inputValue()).toBe(cli(["convert", file, "--to", "text"]).stdout);
      await page.close();
    },
  );

  it("a file it cannot read is said in the notice, the spec left as it was", async () => {
    const page = await open();
    const before = await specBox(page).inputValue();
    await page.locator("#model").setInputFiles({
      name: "broken.keras",
      mimeType: "application/octet-stream",
      buffer: Buffer.from("PK\u0003\u0004 cut short"),
    });
    await expect
      .poll(() => shown(page.locator("#notice")))
      .toBe(
        "broken.keras: the zip archive is damaged (invalid zip data); expected a .keras file as Keras' model.save() writes it",
      );
    expect(await specBox(page).inputValue()).toBe(before);
    await page.close();
  });
});

describe("errors", () => {
  it("a broken spec shows the CLI's located error, and its line is marked in the editor", async () => {
    const page = await open();
    const broken = example("dqn.json").replace('"kernel": 4', '"kernel": 40');
    await specBox(page).fill(broken);
    const error = page.getByRole("alert");
    await expect.poll(() => error.isVisible()).toBe(true);
    const cliError = cli(["-"], broken);
    expect(cliError.status).toBe(1);
    expect(cliError.stderr).toMatch(/^<stdin>:7:48: error: layers\[1\]\.kernel: kernel 40/);
    // the same three lines: place and message, the line, the caret
    expect((await shown(error.locator(".diag"))).trim()).toBe(
      cliError.stderr.replace("<stdin>", "spec").trim(),
    );
    expect(await specBox(page).getAttribute("aria-invalid")).toBe("true");
    const mark = page.locator(".editor .mark").first();
    expect(await mark.isVisible()).toBe(true);
    expect(await mark.getAttribute("data-line")).toBe("7");
    expect(await page.locator("#results").isHidden()).toBe(true);
    // the button selects the line in the editor
    await error.getByRole("button", { name: "Show line 7 in the editor" }).click();
    const selected = await specBox(page).evaluate((t) => {
      const area = t as HTMLTextAreaElement;
      return area.value.slice(area.selectionStart, area.selectionEnd);
    });
    expect(selected).toBe(broken.split("\n")[6]);
    // fixed again: the error goes, the results come back
    await specBox(page).fill(example("dqn.json"));
    expect(await error.isHidden()).toBe(true);
    expect(await shown(totals(page))).toMatch(/680,770$/);
    await page.close();
  });
});

describe("answers", () => {
  it("a wrong answer is marked wrong, as `cnncalc check` marks it", async () => {
    const page = await open();
    await page.selectOption("#preset", "dqn.json");
    await answersBox(page).fill(example("dqn-wrong.answers.txt"));
    expect(await shown(page.locator("#score"))).toBe("Score: 17/18 right, 1 wrong");
    const report = (await shown(page.locator("#check pre"))).trim().split("\n");
    const cliReport = cli(["check", "examples/dqn.json", "examples/dqn-wrong.answers.txt"]);
    expect(cliReport.status).toBe(1);
    // the same report but for the first line, which names the answers file
    expect(report.slice(1)).toEqual(cliReport.stdout.trim().split("\n").slice(1));
    expect(report).toContain(
      "✗ wrong  line 6: layer 1 (conv1) connections = 1,644,000; the right value is 1,644,800",
    );
    // the editor's gutter marks line 6 wrong and the others right
    const gutter = await page.locator(".editor.answers .gutter span").allInnerTexts();
    expect(gutter[5]).toBe("✗ 6");
    expect(gutter[2]).toBe("✓ 3");
    expect(gutter[0]).toBe("1");
    // a line that cannot be read
    await answersBox(page).fill("layer 1 neurons 6400\nlayer 1 colour blue");
    expect(await shown(page.locator("#score"))).toBe("Score: 1/2 right, 1 not read");
    expect(await page.locator(".editor.answers .gutter span").allInnerTexts()).toEqual([
      "✓ 1",
      "? 2",
    ]);
    // answers that are not JSON: the CLI's diagnostic, its line marked in the Answers box
    const bad = '[{"layer": 1,\n "quantity": }]';
    await answersBox(page).fill(bad);
    const cliBad = cli(["check", "examples/dqn.json", "-"], bad);
    expect(cliBad.stderr).toMatch(/^<stdin>:2:14: error: expected a JSON value/);
    expect((await shown(page.locator("#check .diag"))).trim()).toBe(
      cliBad.stderr.replace("<stdin>", "answers").trim(),
    );
    expect(await answersBox(page).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".editor.answers .mark").getAttribute("data-line")).toBe("2");
    expect(await shown(page.locator("#score"))).toBe("");
    await page.close();
  });
});

describe("the URL", () => {
  it("keeps the spec and answers in its hash: the link reopens the same network", async () => {
    const page = await open();
    const spec = example("dqn.cnn").replace("fc 256 relu", "fc 512 relu");
    await specBox(page).fill(spec);
    await answersBox(page).fill("layer 3 neurons 512");
    const expected = cli(["-"], spec).stdout.match(/Parameters: ([\d,]+)/)?.[1];
    expect(expected).toBe("1,349,186");
    await page.evaluate(() =>
      (
        window as unknown as { cnncalcPlayground: { flush(): Promise<void> } }
      ).cnncalcPlayground.flush(),
    );
    const url = page.url();
    expect(new URL(url).hash).toBe(`#${encodeHash({ spec, answers: "layer 3 neurons 512" })}`);
    expect(await page.getByRole("link", { name: "Link to this page" }).getAttribute("href")).toBe(
      new URL(url).hash,
    );
    await page.close();

    const again = await open(url);
    expect(await specBox(again).inputValue()).toBe(spec);
    expect(await shown(totals(again))).toMatch(new RegExp(`${expected}$`));
    expect(await shown(again.locator("#score"))).toBe("Score: 1/1 right");
    await again.close();

    // a hash that is not base64url of UTF-8: an example instead, and a notice saying so
    const bad = await open(`${PAGE_URL}#spec=%%%`);
    expect(await shown(bad.locator("#notice"))).toMatch(/could not be read/);
    expect(await shown(totals(bad))).toMatch(/680,770$/);
    await bad.close();
  });
});

describe("the page", () => {
  it("offers every example as a preset, the answers with theirs", async () => {
    const page = await open();
    const options = await page.locator("#preset option").allInnerTexts();
    const { readdirSync } = await import("node:fs");
    const specs = readdirSync(new URL("../../examples/", import.meta.url))
      .filter((f) => !f.includes(".answers."))
      .sort();
    expect(options).toEqual(["(your own)", ...specs]);
    await page.selectOption("#preset", "dqn.cnn");
    expect(await answersBox(page).inputValue()).toBe(example("dqn.answers.txt"));
    expect(await shown(page.locator("#score"))).toBe("Score: 18/18 right");
    await page.selectOption("#preset", "resnet18.json");
    expect(await answersBox(page).inputValue()).toBe("");
    expect(await shown(totals(page))).toMatch(/11,699,112$/);
    // Depth is --depth: top-level rows only, as `cnncalc examples/resnet18.json --depth 1`
    await page.selectOption("#depth", "1");
    const names = await page.locator("#table tbody th").allTextContents();
    const cliNames = cli(["examples/resnet18.json", "--depth", "1", "--format", "csv"])
      .stdout.trim()
      .split("\n")
      .slice(1, -1)
      .map((l) => l.split(",")[2]);
    expect(names).toEqual(cliNames);
    expect(names).toHaveLength(10);
    await page.close();
  });

  it("draws the diagram in a worker: the page stays responsive during its layout", async () => {
    const page = await open();
    await page.selectOption("#preset", "densenet121.json");
    const t = await page.evaluate(async () => {
      const p = (
        window as unknown as {
          cnncalcPlayground: { flush(): Promise<void>; inWorker(): boolean };
        }
      ).cnncalcPlayground;
      const start = performance.now();
      const done = p.flush();
      // a task queued now runs at once if the main thread is free
      const free = await new Promise<number>((r) =>
        setTimeout(() => r(performance.now() - start), 0),
      );
      await done;
      return { inWorker: p.inWorker(), free, drawn: performance.now() - start };
    });
    expect(t.inWorker).toBe(true);
    expect(await page.locator("#diagram svg .layer").count()).toBeGreaterThan(300);
    // DenseNet-121's layout takes its time, and the page did not wait for it
    expect(t.drawn).toBeGreaterThan(200);
    expect(t.free).toBeLessThan(t.drawn / 4);
    await page.close();
  });

  it("draws the diagram after typing pauses", async () => {
    const page = await open();
    await page.selectOption("#preset", "resnet-stage.json");
    const svg = page.locator("#diagram svg");
    await svg.waitFor();
    // the CLI's diagram: the same labels in the same order
    const cliSvg = cli(["examples/resnet-stage.json", "--format", "svg"]).stdout;
    const labels = [...cliSvg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      (m[1] as string).replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">"),
    );
    expect(labels.length).toBeGreaterThan(20);
    expect(await svg.locator("text").allTextContents()).toEqual(labels);
    await page.close();
  });

  it("fits a narrow window: nothing wider than the screen but the table's own scroll box", async () => {
    const page = await open(PAGE_URL, 400, 800);
    await page.selectOption("#preset", "resnet18.json");
    await page.locator("#diagram svg").waitFor();
    if (process.env.UPDATE_SCREENSHOT === "1")
      await page.screenshot({ path: "/tmp/pg-narrow.png" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      400,
    );
    await page.close();
  });

  it("makes the README's screenshot (UPDATE_SCREENSHOT=1 writes docs/img/playground.png)", async () => {
    const page = await open(PAGE_URL, 1280, 860);
    await page.selectOption("#preset", "dqn.json");
    await answersBox(page).fill(example("dqn-wrong.answers.txt"));
    // the top of the answers, with the wrong one, and no focus ring
    await answersBox(page).evaluate((t) => {
      t.scrollTop = 0;
      (t as HTMLTextAreaElement).blur();
    });
    await page.locator("#diagram svg").waitFor();
    await page.evaluate(() =>
      (
        window as unknown as { cnncalcPlayground: { flush(): Promise<void> } }
      ).cnncalcPlayground.flush(),
    );
    const png = await page.screenshot();
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.length).toBeGreaterThan(20_000);
    if (process.env.UPDATE_SCREENSHOT === "1") {
      writeFileSync(new URL("../../docs/img/playground.png", import.meta.url), png);
    }
    await page.close();
  });
});

describe("speed", () => {
  it("recomputes ResNet-50 after a keystroke in under 16 ms (median)", async () => {
    const page = await open();
    await page.selectOption("#preset", "resnet50.json");
    expect(await shown(totals(page))).toMatch(/25,610,152$/);
    const last = await measureResnet50(page, { where: "last" });
    const input = await measureResnet50(page, { where: "input" });
    console.log(
      `ResNet-50 recompute (median of ${last.runs}): ${last.recompute.toFixed(1)} ms, layout ${last.layout.toFixed(1)} ms; a keystroke in the input (every row changes): ${input.recompute.toFixed(1)} ms, layout ${input.layout.toFixed(1)} ms`,
    );
    expect(last.recompute).toBeLessThan(16);
    await page.close();
  });
});
