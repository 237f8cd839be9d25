/**
 * Reads a Keras 3 `.keras` archive: the zip `model.save("model.keras")` writes (Keras'
 * saving_lib), holding `config.json` (the model, as `serialize_keras_object` gives it),
 * `metadata.json` (`keras_version`, `date_saved`) and the weights (`model.weights.h5`). Only the
 * two JSON members are inflated: the weights are never read, however large.
 */
import { unzipSync } from "fflate";
import { CnnError, cnnError } from "../../core/errors.js";
import type { Warning } from "../../core/types.js";
import { isZip } from "../detect.js";
import type { ParsedSpec } from "../spec.js";

/** The member holding the model's config, as Keras' saving_lib names it. */
export const KERAS_CONFIG_MEMBER = "config.json";
/** The member holding the Keras version and the date saved. */
export const KERAS_METADATA_MEMBER = "metadata.json";

/** Largest config.json inflated (a model's config is kilobytes; this bounds a zip bomb). */
export const MAX_KERAS_CONFIG_BYTES = 64 * 1024 * 1024;

/** What metadata.json says, when the archive has one that reads as JSON. */
export interface KerasMetadata {
  kerasVersion?: string;
  dateSaved?: string;
}

/** The parts of a `.keras` archive cnncalc reads. */
export interface KerasArchive {
  /** config.json as text (UTF-8, checked). */
  configText: string;
  metadata?: KerasMetadata;
  /** Every member's name, in the archive's order. */
  members: string[];
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function utf8(bytes: Uint8Array, member: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw cnnError(
      "invalid-utf8",
      `the archive's ${member} is not UTF-8 text; expected the JSON config Keras writes`,
    );
  }
}

function metadataOf(bytes: Uint8Array | undefined): KerasMetadata | undefined {
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // metadata.json only names the version: a broken one does not stop the model being read
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { keras_version: version, date_saved: date } = value as Record<string, unknown>;
  return {
    ...(typeof version === "string" ? { kerasVersion: version } : {}),
    ...(typeof date === "string" ? { dateSaved: date } : {}),
  };
}

/** Names a list of members for a message: the first few, then how many more. */
function listed(members: string[]): string {
  if (members.length === 0) return "the archive is empty";
  const shown = members.slice(0, 8).map((m) => `"${m}"`);
  const more = members.length > 8 ? ` and ${members.length - 8} more` : "";
  return `it holds ${shown.join(", ")}${more}`;
}

/**
 * Reads a `.keras` archive's config.json and metadata.json, without inflating anything else.
 * Fails with `invalid-archive` (not a zip, or a damaged one), `missing-config` (no config.json,
 * naming what is there) or `invalid-utf8`.
 */
export function readKerasArchive(bytes: Uint8Array): KerasArchive {
  if (!isZip(bytes)) {
    const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw cnnError(
      "invalid-archive",
      `not a zip archive: a .keras file starts with the bytes 50 4b 03 04 ("PK"); received ${head || "no bytes"}`,
    );
  }
  const members: string[] = [];
  let tooLarge: number | undefined;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        members.push(file.name);
        const wanted = file.name === KERAS_CONFIG_MEMBER || file.name === KERAS_METADATA_MEMBER;
        if (wanted && file.originalSize > MAX_KERAS_CONFIG_BYTES) {
          tooLarge = file.originalSize;
          return false;
        }
        return wanted;
      },
    });
  } catch (e) {
    if (e instanceof CnnError) throw e;
    throw cnnError(
      "invalid-archive",
      `the zip archive is damaged (${e instanceof Error ? e.message : String(e)}); expected a .keras file as Keras' model.save() writes it`,
    );
  }
  if (tooLarge !== undefined) {
    throw cnnError(
      "invalid-archive",
      `the archive's ${KERAS_CONFIG_MEMBER} or ${KERAS_METADATA_MEMBER} would inflate to ${tooLarge} bytes; expected at most ${MAX_KERAS_CONFIG_BYTES} (a model's config is kilobytes)`,
    );
  }
  const config = files[KERAS_CONFIG_MEMBER];
  if (config === undefined) {
    throw cnnError(
      "missing-config",
      `the zip archive has no ${KERAS_CONFIG_MEMBER}, so it is not a Keras 3 .keras file (Keras' model.save writes config.json, metadata.json and model.weights.h5): ${listed(members)}`,
    );
  }
  const metadata = metadataOf(files[KERAS_METADATA_MEMBER]);
  return {
    configText: utf8(config, KERAS_CONFIG_MEMBER),
    ...(metadata ? { metadata } : {}),
    members,
  };
}

/** A `.keras` archive read: the spec, and the config.json text its spans and paths refer to. */
export interface KerasArchiveSpec extends ParsedSpec {
  /** What the reader warns about (frozen layers), spans into config.json. */
  warnings: Warning[];
  /** The text of config.json: what every span (the reader's and `locate`'s) points into. */
  source: string;
  /** The member the spans point into, `config.json`, for `model.keras:config.json:3:7`. */
  member: typeof KERAS_CONFIG_MEMBER;
  metadata?: KerasMetadata;
}

/**
 * Reads a `.keras` archive as a cnncalc spec: config.json through the Keras reader `parse`.
 * An error from reading config.json carries the config text as `error.source` and `config.json`
 * as `error.file`, so that its span shows as `model.keras:config.json:line:col`.
 */
export function readArchiveWith(
  bytes: Uint8Array,
  parse: (text: string) => ParsedSpec & { warnings: Warning[] },
): KerasArchiveSpec {
  const archive = readKerasArchive(bytes);
  try {
    const parsed = parse(archive.configText);
    return {
      ...parsed,
      source: archive.configText,
      member: KERAS_CONFIG_MEMBER,
      ...(archive.metadata ? { metadata: archive.metadata } : {}),
    };
  } catch (e) {
    if (e instanceof CnnError) {
      e.source = archive.configText;
      e.file = KERAS_CONFIG_MEMBER;
    }
    throw e;
  }
}
