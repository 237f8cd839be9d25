// The playground in Debian's Chromium, driven by playwright-core: the launch (shared by
// `npm run test:browser` and `npm run bench`) and the ResNet-50 recompute measurement.
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";
/** The built page, as a file:// URL: the page must work with no server. */
export const PAGE_URL = pathToFileURL(
  fileURLToPath(new URL("../dist/playground/index.html", import.meta.url)),
).href;

/**
 * Chromium's flags: it runs as root in CI (no sandbox), without a display or GPU, and the
 * network is closed, so nothing may try to reach it (background networking, component updates,
 * sync, QUIC).
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether Debian's Chromium is installed. */
export function haveChromium() {
  return existsSync(CHROMIUM);
}

/** Launches Chromium headless through playwright-core. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Keystrokes on examples/resnet50.json measured in the page: its text alternates with a copy that
 * differs by one keystroke, `edit` puts each in the Spec box and times the synchronous recompute
 * (analysis, table, totals, marks, DOM update) and, apart, the layout it causes. `where` picks the
 * keystroke: `last` deletes a digit of the last layer's units (two rows and the totals change),
 * `input` one of the input's height (every row's shape changes). Medians of `runs` after `warmup`
 * (the JIT's first compilations) in ms.
 */
export async function measureResnet50(page, { where = "last", warmup = 10, runs = 21 } = {}) {
  const a = readFileSync(new URL("../examples/resnet50.json", import.meta.url), "utf8");
  const b =
    where === "last"
      ? a.replace('"units": 1000', '"units": 100')
      : a.replace('"input": [224, 224, 3]', '"input": [24, 224, 3]');
  if (a === b) throw new Error("examples/resnet50.json changed: the keystroke finds nothing");
  await page.goto(PAGE_URL);
  await page.selectOption("#preset", "resnet50.json");
  const times = await page.evaluate(
    ([a, b, warmup, runs]) => {
      const p = window.cnncalcPlayground;
      const out = [];
      for (let i = 0; i < warmup + runs; i++) {
        const t = p.edit(i % 2 === 0 ? b : a);
        if (i >= warmup) out.push(t);
      }
      return out;
    },
    [a, b, warmup, runs],
  );
  const rows = await page.locator("#table tbody tr").count();
  return {
    rows,
    recompute: median(times.map((t) => t.recompute)),
    layout: median(times.map((t) => t.layout)),
    runs,
  };
}

const f1 = (x) => x.toFixed(1);

/** The summary row's measure, the key by which `npm run bench -- --playground` finds the row. */
export const SUMMARY_MEASURE = "Playground: ResNet-50 recomputed after a keystroke, in Chromium";

/**
 * Measures the playground in Chromium and returns bench/results.md's parts: the summary row and
 * the section (its lines, from its `## ` heading). Without Chromium both say it was skipped.
 */
export async function playgroundReport({ runs = 41 } = {}) {
  if (!haveChromium()) {
    return {
      row: `| ${SUMMARY_MEASURE} | skipped: no chromium | < 16 ms |`,
      section: ["## Playground in Chromium", "", `skipped: no chromium (${CHROMIUM})`, ""],
    };
  }
  const chromium = await launchChromium();
  let last;
  let input;
  const version = chromium.version();
  try {
    const page = await chromium.newPage({ viewport: { width: 1280, height: 900 } });
    last = await measureResnet50(page, { where: "last", runs });
    input = await measureResnet50(page, { where: "input", runs });
  } finally {
    await chromium.close();
  }
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  return {
    row: `| ${SUMMARY_MEASURE} | ${f1(last.recompute)} ms | < 16 ms |`,
    section: [
      `## Playground in Chromium (median of ${runs} keystrokes, 10 warm-up)`,
      "",
      `Measured on ${date} UTC in Chromium ${version} headless: \`dist/playground/index.html\` from`,
      `file://, \`examples/resnet50.json\` in the Spec box (a table of ${last.rows} rows). A keystroke's`,
      "synchronous work is the recompute (read, analyse, table, totals, marks, DOM update); the",
      "layout it causes follows before the next paint. The diagram is drawn in a worker.",
      `Load average after the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")} (the machine is shared).`,
      "",
      "| Keystroke | Recompute | Layout |",
      "| --- | ---: | ---: |",
      `| in the last layer (\`"units": 1000\` → \`100\`: two rows and the totals change) | ${f1(last.recompute)} ms | ${f1(last.layout)} ms |`,
      `| in the input (\`[224, 224, 3]\` → \`[24, 224, 3]\`: every row changes) | ${f1(input.recompute)} ms | ${f1(input.layout)} ms |`,
      "",
    ],
  };
}
