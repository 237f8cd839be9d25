/*
 * An independent reference for plain 2-D layer stacks (conv, pooling, dense, flatten, activation,
 * dropout, batchnorm), written from the tutorial's formulas, not from src/core: what the CLI must
 * print for a generated spec, or which error it must stop at.
 */

/** A layer of the oracle's subset, as written in a JSON spec. */
export type PlainLayer =
  | {
      type: "conv";
      filters: number;
      kernel: number | [number, number];
      stride?: number;
      padding?: number | "same" | "valid";
      dilation?: number;
      groups?: number;
      bias?: boolean;
    }
  | {
      type: "maxpool" | "avgpool";
      kernel: number;
      stride?: number;
      padding?: number;
      ceil?: boolean;
    }
  | { type: "dense"; units: number; bias?: boolean }
  | { type: "flatten" }
  | { type: "activation"; function: string }
  | { type: "dropout"; rate?: number }
  | { type: "batchnorm" };

/** The expected numbers of one layer. */
export interface Expected {
  outputShape: number[];
  weightsPerNeuron: bigint | null;
  neurons: bigint;
  connections: bigint;
  trainableParameters: bigint;
  nonTrainableParameters: bigint;
}

/** The expected run: every layer's numbers, or the code and layer path of the first error. */
export type Outcome = { layers: Expected[] } | { error: string; path: string };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function pair(v: number | [number, number]): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}

/** Output length of a window over one dimension, per the tutorial (and PyTorch's ceil mode). */
function windowLength(
  J: number,
  M: number,
  s: number,
  D: number,
  pad: [number, number],
  ceil: boolean,
): number {
  const span = J + pad[0] + pad[1] - (D * (M - 1) + 1);
  if (!ceil) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  if ((out - 1) * s >= J + pad[0]) out -= 1;
  return out;
}

/** TensorFlow's "same": output ceil(J/s), padding split with the odd pixel after. */
function samePad(J: number, M: number, s: number, D: number): [number, number] {
  const total = Math.max((Math.ceil(J / s) - 1) * s + D * (M - 1) + 1 - J, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Runs the oracle over a spec of plain layers on an input [h, w, c]. */
export function expectedRun(input: [number, number, number], layers: PlainLayer[]): Outcome {
  let dims: number[] = [input[0], input[1]];
  let channels = input[2];
  const out: Expected[] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i] as PlainLayer;
    const path = `layers[${i}]`;
    const zero = {
      weightsPerNeuron: null,
      neurons: 0n,
      connections: 0n,
      trainableParameters: 0n,
      nonTrainableParameters: 0n,
    };
    switch (l.type) {
      case "conv":
      case "maxpool":
      case "avgpool": {
        if (dims.length === 0) return { error: "needs-spatial-input", path };
        const isConv = l.type === "conv";
        const groups = isConv ? (l.groups ?? 1) : 1;
        if (isConv && (channels % groups !== 0 || l.filters % groups !== 0))
          return { error: "groups-mismatch", path: `${path}.groups` };
        const kernel = pair(l.kernel);
        const stride = l.stride ?? (isConv ? 1 : (l.kernel as number));
        const D = isConv ? (l.dilation ?? 1) : 1;
        const ceil = !isConv && l.ceil === true;
        const next: number[] = [];
        for (let d = 0; d < 2; d++) {
          const J = dims[d] as number;
          const M = kernel[d] as number;
          const p = l.padding ?? 0;
          const pad: [number, number] =
            p === "same" ? samePad(J, M, stride, D) : p === "valid" ? [0, 0] : [p, p];
          if (D * (M - 1) + 1 > J + pad[0] + pad[1])
            return { error: "kernel-too-large", path: `${path}.kernel` };
          next.push(windowLength(J, M, stride, D, pad, ceil));
        }
        const positions = BigInt(next[0] as number) * BigInt(next[1] as number);
        if (positions > BigInt(MAX_SAFE)) return { error: "size-overflow", path };
        const area = BigInt(kernel[0] * kernel[1]);
        if (l.type === "conv") {
          const wpn = area * BigInt(channels / groups) + (l.bias === false ? 0n : 1n);
          const neurons = positions * BigInt(l.filters);
          out.push({
            outputShape: [...next, l.filters],
            weightsPerNeuron: wpn,
            neurons,
            connections: neurons * wpn,
            trainableParameters: wpn * BigInt(l.filters),
            nonTrainableParameters: 0n,
          });
          channels = l.filters;
        } else {
          const neurons = positions * BigInt(channels);
          out.push({
            ...zero,
            outputShape: [...next, channels],
            neurons,
            connections: neurons * area,
          });
        }
        dims = next;
        break;
      }
      case "dense": {
        const inputs = dims.reduce((p, d) => p * BigInt(d), BigInt(channels));
        const wpn = inputs + (l.bias === false ? 0n : 1n);
        const neurons = BigInt(l.units);
        out.push({
          outputShape: [l.units],
          weightsPerNeuron: wpn,
          neurons,
          connections: neurons * wpn,
          trainableParameters: neurons * wpn,
          nonTrainableParameters: 0n,
        });
        dims = [];
        channels = l.units;
        break;
      }
      case "flatten": {
        const size = dims.reduce((p, d) => p * BigInt(d), BigInt(channels));
        if (size > BigInt(MAX_SAFE)) return { error: "size-overflow", path };
        dims = [];
        channels = Number(size);
        out.push({ ...zero, outputShape: [channels] });
        break;
      }
      case "batchnorm":
        out.push({
          ...zero,
          outputShape: [...dims, channels],
          trainableParameters: 2n * BigInt(channels),
          nonTrainableParameters: 2n * BigInt(channels),
        });
        break;
      case "activation":
      case "dropout":
        out.push({ ...zero, outputShape: [...dims, channels] });
        break;
      default: {
        const never: never = l;
        throw new Error(`oracle: unknown layer ${JSON.stringify(never)}`);
      }
    }
  }
  return { layers: out };
}
