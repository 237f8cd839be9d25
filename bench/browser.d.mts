import type { Browser, Page } from "playwright-core";

export const CHROMIUM: string;
export const PAGE_URL: string;
export const CHROMIUM_ARGS: readonly string[];
export function haveChromium(): boolean;
export function launchChromium(): Promise<Browser>;
export function measureResnet50(
  page: Page,
  options?: { where?: "last" | "input"; warmup?: number; runs?: number },
): Promise<{ rows: number; recompute: number; layout: number; runs: number }>;
export const SUMMARY_MEASURE: string;
export function playgroundReport(options?: {
  runs?: number;
}): Promise<{ row: string; section: string[] }>;
