// The playground in Debian's Chromium, driven by playwright-core: the launch (shared by
// `npm run test:browser` and `npm run bench`) and the ResNet-50 recompute measurement.
import { existsSync, readFileSync } from "node:fs";
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
 * `first` one of the first convolution's filters (every row after it changes). Medians of `runs`
 * after `warmup` (the JIT's first compilations) in ms.
 */
export async function measureResnet50(page, { where = "last", warmup = 10, runs = 21 } = {}) {
  const a = readFileSync(new URL("../examples/resnet50.json", import.meta.url), "utf8");
  const b =
    where === "last"
      ? a.replace('"units": 1000', '"units": 100')
      : a.replace('"filters": 64,', '"filters": 6,');
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
