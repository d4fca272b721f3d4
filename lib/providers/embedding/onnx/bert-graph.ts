import onnxProto, { type onnx as Onnx } from "onnx-proto";
import type { WeightFormat } from "../weight-formats";
import type { Tensor } from "./safetensors";

/**
 * Writes a BERT sentence encoder (the architecture of all-MiniLM-L6-v2, bge,
 * e5 and gte) as an ONNX model from its safetensors weights, so ONNX Runtime
 * can run the model pgrag ships although no ONNX file of it installs.
 *
 * Inputs `input_ids` and `attention_mask` ([batch, tokens], int64), as Hugging
 * Face exports name them. The output is either `sentence_embedding` (masked
 * mean pooling and L2 normalization in the graph, as sentence-transformers
 * computes them) or `last_hidden_state`, for a model whose pooling a folder's
 * 1_Pooling/config.json chooses.
 *
 * Two forms of the same arithmetic: standard ONNX operators, which ONNX
 * Runtime's optimizer fuses as far as it recognises them, or ONNX Runtime's
 * own fused transformer kernels (com.microsoft Attention, SkipLayerNormalization,
 * BiasGelu); bench:embed measures both.
 */

export interface BertConfig {
  hidden_size: number;
  num_attention_heads: number;
  num_hidden_layers: number;
  intermediate_size: number;
  layer_norm_eps: number;
  hidden_act?: string;
}

export interface BertGraphOptions {
  output: "sentence_embedding" | "last_hidden_state";
  operators: "standard" | "fused";
  /** int8: ONNX Runtime's DynamicQuantizeMatMul, which quantizes each layer's input as it comes (VNNI runs it). */
  weights?: WeightFormat;
}

/** Bump when the graph written for the same weights changes, so cached models are rebuilt. */
export const BERT_GRAPH_VERSION = 2;

// A CommonJS module whose namespace Node only exposes as the default export.
const { onnx } = onnxProto;

const OPSET = 17;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT8 = onnx.TensorProto.DataType.INT8;

type AttributeValue = number | number[] | string;

class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];
  private counter = 0;

  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, domain = ""): string {
    const output = `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({
      opType,
      domain,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  float(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  int8(name: string, dims: number[], data: Int8Array): string {
    this.initializers.push({ name, dims, dataType: INT8, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  int64(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map(BigInt));
    this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }
}

function attribute(name: string, value: AttributeValue): Onnx.IAttributeProto {
  if (typeof value === "string") return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value };
  if (Number.isInteger(value)) return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

/** A Linear layer's weight is stored [out, in]; MatMul wants [in, out]. */
function transposed({ shape: [rows, cols], data }: Tensor): Float32Array {
  const out = new Float32Array(rows! * cols!);
  for (let r = 0; r < rows!; r++) for (let c = 0; c < cols!; c++) out[c * rows! + r] = data[r * cols! + c]!;
  return out;
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** [in, a] ⧺ [in, b] ⧺ [in, c] along the output axis: one MatMul computes query, key and value. */
function concatColumns(width: number, ...parts: Float32Array[]): Float32Array {
  const rows = parts[0]!.length / width;
  const out = new Float32Array(rows * width * parts.length);
  for (let r = 0; r < rows; r++) {
    parts.forEach((part, p) => out.set(part.subarray(r * width, (r + 1) * width), (r * parts.length + p) * width));
  }
  return out;
}

/** Symmetric int8 per output column of an [in, out] matrix: column c is int8 × scale[c]. */
function quantizeColumns(data: Float32Array, rows: number, cols: number): { values: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c]!, Math.abs(data[r * cols + c]!));
  for (let c = 0; c < cols; c++) scales[c] = scales[c]! / 127 || 1;
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = Math.round(data[r * cols + c]! / scales[c]!);
  return { values, scales };
}

export function buildBertGraph(weights: Map<string, Tensor>, config: BertConfig, options: BertGraphOptions): Uint8Array {
  const prefix = weights.has("bert.embeddings.word_embeddings.weight") ? "bert." : "";
  const tensor = (name: string): Tensor => {
    const found = weights.get(prefix + name);
    if (!found) throw new Error(`the weights have no tensor named ${prefix + name}`);
    return found;
  };
  const hidden = config.hidden_size;
  const heads = config.num_attention_heads;
  const headSize = hidden / heads;
  const eps = config.layer_norm_eps;
  const fused = options.operators === "fused";
  const g = new GraphBuilder();
  const weight = (name: string) => g.float(name, tensor(name).shape, tensor(name).data);
  const int8 = options.weights === "int8";
  /** x · W for a weight matrix [in, out]: float, or int8 through ONNX Runtime's DynamicQuantizeMatMul. */
  const matMulWeight = (x: string, name: string, dims: [number, number], data: Float32Array) => {
    if (!int8) return g.node("MatMul", [x, g.float(name, dims, data)]);
    const { values, scales } = quantizeColumns(data, dims[0], dims[1]);
    return g.node("DynamicQuantizeMatMul", [x, g.int8(name, dims, values), g.float(`${name}.scale`, [dims[1]], scales)], {}, "com.microsoft");
  };
  const linear = (name: string) => {
    const t = tensor(`${name}.weight`);
    return { times: (x: string) => matMulWeight(x, `${name}.weight_t`, [t.shape[1]!, t.shape[0]!], transposed(t)), bias: weight(`${name}.bias`) };
  };
  const layerNorm = (x: string, name: string) =>
    g.node("LayerNormalization", [x, weight(`${name}.weight`), weight(`${name}.bias`)], { axis: -1, epsilon: eps });

  // Embeddings: word + position + token type 0 (sentence encoders see one segment).
  const words = g.node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], { axis: 0 });
  const length = g.node("Slice", [g.node("Shape", ["input_ids"]), g.int64("one", [1]), g.int64("two", [2])]);
  const positions = g.node("Slice", [weight("embeddings.position_embeddings.weight"), g.int64("zero", [0]), length, g.int64("axis0", [0])]);
  const tokenType = tensor("embeddings.token_type_embeddings.weight");
  const segment = g.float("token_type_0", [hidden], tokenType.data.subarray(0, hidden));
  const summed = g.node("Add", [g.node("Add", [words, positions]), segment]);
  let x = layerNorm(summed, "embeddings.LayerNorm");

  const maskFloat = g.node("Cast", ["attention_mask"], { to: FLOAT });
  // Standard form: padding gets a large negative score before the softmax, as BERT does.
  const maskBias = fused
    ? g.node("Cast", ["attention_mask"], { to: INT32 })
    : g.node("Unsqueeze", [
        g.node("Mul", [g.node("Sub", [g.float("one_f", [], Float32Array.of(1)), maskFloat]), g.float("mask_min", [], Float32Array.of(-10000))]),
        g.int64("axes12", [1, 2]),
      ]);
  const toHeads = fused ? "" : g.int64("to_heads", [0, 0, heads, headSize]);
  const fromHeads = fused ? "" : g.int64("from_heads", [0, 0, hidden]);
  const scale = fused ? "" : g.float("attention_scale", [], Float32Array.of(1 / Math.sqrt(headSize)));

  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `encoder.layer.${l}`;
    const [q, k, v] = ["query", "key", "value"].map((n) => tensor(`${p}.attention.self.${n}.weight`));
    const qkvData = concatColumns(hidden, transposed(q!), transposed(k!), transposed(v!));
    const qkvBias = g.float(
      `${p}.qkv.bias`,
      [3 * hidden],
      concat(...["query", "key", "value"].map((n) => tensor(`${p}.attention.self.${n}.bias`).data)),
    );
    const out = linear(`${p}.attention.output.dense`);
    let context: string;
    if (fused) {
      context = g.node("Attention", [x, g.float(`${p}.qkv.weight`, [hidden, 3 * hidden], qkvData), qkvBias, maskBias], { num_heads: heads }, "com.microsoft");
    } else {
      const qkv = g.node("Add", [matMulWeight(x, `${p}.qkv.weight`, [hidden, 3 * hidden], qkvData), qkvBias]);
      const split = `${p}.split`;
      g.nodes.push({ opType: "Split", input: [qkv, g.int64(`${p}.split_sizes`, [hidden, hidden, hidden])], output: [`${split}.q`, `${split}.k`, `${split}.v`], attribute: [attribute("axis", 2)], name: split });
      const heads4 = (t: string, perm: number[]) => g.node("Transpose", [g.node("Reshape", [t, toHeads])], { perm });
      const query = heads4(`${split}.q`, [0, 2, 1, 3]);
      const keyT = heads4(`${split}.k`, [0, 2, 3, 1]);
      const value = heads4(`${split}.v`, [0, 2, 1, 3]);
      const scores = g.node("Add", [g.node("Mul", [g.node("MatMul", [query, keyT]), scale]), maskBias]);
      const weighted = g.node("MatMul", [g.node("Softmax", [scores], { axis: -1 }), value]);
      context = g.node("Reshape", [g.node("Transpose", [weighted], { perm: [0, 2, 1, 3] }), fromHeads]);
    }
    const attentionOut = out.times(context);
    const norm1 = `${p}.attention.output.LayerNorm`;
    x = fused
      ? g.node("SkipLayerNormalization", [attentionOut, x, weight(`${norm1}.weight`), weight(`${norm1}.bias`), out.bias], { epsilon: eps }, "com.microsoft")
      : layerNorm(g.node("Add", [g.node("Add", [attentionOut, out.bias]), x]), norm1);

    const up = linear(`${p}.intermediate.dense`);
    const down = linear(`${p}.output.dense`);
    const projected = up.times(x);
    let activated: string;
    if (fused) {
      activated = g.node("BiasGelu", [projected, up.bias], {}, "com.microsoft");
    } else {
      // GELU as BERT defines it: x · ½ · (1 + erf(x / √2)).
      const biased = g.node("Add", [projected, up.bias]);
      const erf = g.node("Erf", [g.node("Div", [biased, g.float(`${p}.sqrt2`, [], Float32Array.of(Math.SQRT2))])]);
      activated = g.node("Mul", [g.node("Mul", [biased, g.node("Add", [erf, g.float(`${p}.one`, [], Float32Array.of(1))])]), g.float(`${p}.half`, [], Float32Array.of(0.5))]);
    }
    const downOut = down.times(activated);
    const norm2 = `${p}.output.LayerNorm`;
    x = fused
      ? g.node("SkipLayerNormalization", [downOut, x, weight(`${norm2}.weight`), weight(`${norm2}.bias`), down.bias], { epsilon: eps }, "com.microsoft")
      : layerNorm(g.node("Add", [g.node("Add", [downOut, down.bias]), x]), norm2);
  }

  let output = x;
  let outputShape: (string | number)[] = ["batch", "tokens", hidden];
  if (options.output === "sentence_embedding") {
    // Masked mean over the tokens, then unit length: sentence-transformers' Pooling + Normalize.
    const mask3 = g.node("Unsqueeze", [maskFloat, g.int64("axis2", [2])]);
    const sum = g.node("ReduceSum", [g.node("Mul", [x, mask3]), g.int64("axis1", [1])], { keepdims: 0 });
    const count = g.node("Max", [g.node("ReduceSum", [maskFloat, g.int64("axis1_", [1])], { keepdims: 1 }), g.float("min_count", [], Float32Array.of(1e-9))]);
    output = g.node("LpNormalization", [g.node("Div", [sum, count])], { axis: 1, p: 2 });
    outputShape = ["batch", hidden];
  }
  // Named as Hugging Face exports name it; ONNX Runtime removes the Identity.
  g.nodes.push({ opType: "Identity", input: [output], output: [options.output], name: options.output });

  const valueInfo = (name: string, type: number, dims: (string | number)[]): Onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model: Onnx.IModelProto = {
    irVersion: 8,
    producerName: "pgrag",
    producerVersion: String(BERT_GRAPH_VERSION),
    opsetImport: [{ domain: "", version: OPSET }, ...(fused || int8 ? [{ domain: "com.microsoft", version: 1 }] : [])],
    graph: {
      name: "bert_sentence_encoder",
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo("input_ids", INT64, ["batch", "tokens"]), valueInfo("attention_mask", INT64, ["batch", "tokens"])],
      output: [valueInfo(options.output, FLOAT, outputShape)],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
