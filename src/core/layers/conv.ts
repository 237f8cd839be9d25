import { fail } from "../errors.js";
import { product } from "../formulas.js";
import type { LayerKind } from "../kind.js";
import { checkSafe, elementCount } from "../shape.js";
import type { ConvSpec } from "../types.js";
import { requireSpatial, resolveWindow, windowOutput } from "../window.js";
import { counted } from "../words.js";

/** Fails unless the groups divide both the input channels and the filters; returns them. */
export function checkGroups(
  groups: number,
  channels: number,
  filters: number,
  path: string,
): number {
  if (channels % groups !== 0 || filters % groups !== 0) {
    fail(
      "groups-mismatch",
      `${path}.groups`,
      `groups must divide both the input channels and the filters; expected a divisor of ${channels} and ${filters}. Received: groups=${groups}, channels=${channels}, filters=${filters}`,
    );
  }
  return groups;
}

/** Convolution (1-D, 2-D or 3-D by the input's rank), grouped, depthwise or with a map table. */
export const conv: LayerKind<ConvSpec> = {
  analyze(spec, input, ctx) {
    const L = input.shape.channels;
    requireSpatial(input.shape, ctx.path, "conv");
    const groups = checkGroups(spec.groups ?? 1, L, spec.filters, ctx.path);
    const { window, outDims } = resolveWindow(spec, input.shape, ctx, "one");
    const bias = spec.bias === false ? 0n : 1n;
    const area = product(window.kernel);
    const output = windowOutput(input, window, outDims, spec.filters);
    const positions = product(outDims);
    const neurons = elementCount(output.shape);
    let weightsPerNeuron: bigint | null;
    let weightsSum: bigint;
    let macs: bigint;
    if (spec.connections !== undefined) {
      const table = checkConnections(spec.connections, spec.filters, L, groups, ctx.path);
      weightsPerNeuron = null;
      const mapsRead = table.reduce((sum, maps) => sum + BigInt(maps.length), 0n);
      weightsSum = area * mapsRead + bias * BigInt(spec.filters);
      // a per-neuron figure exists only when every filter reads the same number of maps
      if (table.every((maps) => maps.length === table[0]?.length)) {
        weightsPerNeuron = area * BigInt(table[0]?.length ?? 0) + bias;
      }
      macs = positions * area * mapsRead;
    } else {
      weightsPerNeuron = area * BigInt(L / groups) + bias;
      weightsSum = weightsPerNeuron * BigInt(spec.filters);
      macs = neurons * area * BigInt(L / groups);
    }
    checkSafe(positions, ctx.path, "the output size");
    return {
      output,
      window,
      weightsPerNeuron,
      neurons,
      connections: positions * weightsSum,
      trainableParameters: weightsSum,
      macs,
    };
  },
};

/** Checks a LeNet-style connection table: one list of distinct, valid input maps per filter. */
function checkConnections(
  table: number[][],
  filters: number,
  channels: number,
  groups: number,
  path: string,
): number[][] {
  if (groups !== 1) {
    fail(
      "connections-with-groups",
      `${path}.connections`,
      `a connection table replaces groups; expected groups=1 with connections. Received: groups=${groups}`,
    );
  }
  if (table.length !== filters) {
    fail(
      "connections-length",
      `${path}.connections`,
      `the connection table needs one list per filter; expected ${counted(filters, "list")}. Received: ${table.length}`,
    );
  }
  table.forEach((maps, f) => {
    const seen = new Set<number>();
    for (const m of maps) {
      if (m >= channels || seen.has(m)) {
        fail(
          "connections-map",
          `${path}.connections[${f}]`,
          m >= channels
            ? `input map ${m} does not exist; expected a map index from 0 to ${channels - 1}. Received: ${m}`
            : `input map ${m} is listed twice; expected each map once`,
        );
      }
      seen.add(m);
    }
    if (maps.length === 0) {
      fail(
        "connections-empty",
        `${path}.connections[${f}]`,
        "a filter must read at least one input map; received an empty list",
      );
    }
  });
  return table;
}
