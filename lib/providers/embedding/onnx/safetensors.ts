import { readFileSync } from "node:fs";

/**
 * Reads a safetensors file: an 8-byte header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw bytes. The format is that
 * small, and the npm packages for it are unmaintained stubs, so it is read here.
 * Half-precision weights come back as float32, as every engine computes them.
 */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function readSafetensors(path: string): Map<string, Tensor> {
  const file = readFileSync(path);
  const headerLength = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, HeaderEntry | Record<string, string>>;
  const body = 8 + headerLength;
  const tensors = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: [start, end] } = entry as HeaderEntry;
    const bytes = file.subarray(body + start, body + end);
    if (dtype === "F16") tensors.set(name, { shape, data: halfToFloat(bytes) });
    else if (dtype === "F32") tensors.set(name, { shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) });
    // Integer buffers (BERT's position_ids) are recomputed by the graph.
  }
  return tensors;
}

function halfToFloat(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = halfBitsToFloat(bytes.readUInt16LE(i * 2));
  return out;
}

function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
