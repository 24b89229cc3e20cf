// ONNX inference through onnxruntime-node, an optional dependency: it is loaded only when an ONNX model
// is used, and a clear error says how to install it when absent. Inference is asynchronous (the runtime
// has no synchronous API), so ONNX models serve batch scoring and `xiezhi model evaluate`, not the
// synchronous ModelHost of the decision engine.
import { ModelError } from '../errors.js';

export interface OnnxModelOptions {
  /** Feature names in input-column order. */
  features: string[];
  /** Output to read (default: the last output, e.g. "probabilities" or "probability"). */
  output?: string;
  /** For 2-column probability outputs, the column of the bad class (default 1). */
  column?: number;
}

export interface OnnxModel {
  readonly features: string[];
  readonly inputName: string;
  readonly outputNames: readonly string[];
  predictBatch(rows: Record<string, unknown>[]): Promise<Float64Array>;
}

interface OrtModule {
  InferenceSession: { create(path: string | Uint8Array): Promise<OrtSession> };
  Tensor: new (type: string, data: Float32Array, dims: number[]) => unknown;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: ArrayLike<number | bigint>; dims: readonly number[] }>>;
}

async function loadOrt(): Promise<OrtModule> {
  try {
    const name = 'onnxruntime-node';
    return (await import(name)) as OrtModule;
  } catch (err) {
    throw new ModelError(
      'onnx_unavailable',
      `ONNX models need the optional package onnxruntime-node (ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node): ${(err as Error).message}`,
      `ONNX 模型需要可选依赖 onnxruntime-node（ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node）：${(err as Error).message}`,
    );
  }
}

export async function loadOnnxModel(source: string | Uint8Array, options: OnnxModelOptions): Promise<OnnxModel> {
  const ort = await loadOrt();
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(source);
  } catch (err) {
    throw new ModelError('bad_model', `cannot load ONNX model: ${(err as Error).message}`, `无法加载 ONNX 模型：${(err as Error).message}`);
  }
  if (session.inputNames.length !== 1) throw new ModelError('unsupported_model', `ONNX model must have one input tensor, has ${session.inputNames.length}`, `ONNX 模型必须只有一个输入张量，实际有 ${session.inputNames.length} 个`);
  const inputName = session.inputNames[0]!;
  const outputName = options.output ?? session.outputNames[session.outputNames.length - 1]!;
  if (!session.outputNames.includes(outputName)) throw new ModelError('bad_option', `ONNX model has no output "${outputName}" (outputs: ${session.outputNames.join(', ')})`, `ONNX 模型没有输出 "${outputName}"（现有：${session.outputNames.join(', ')}）`);
  const nf = options.features.length;
  return {
    features: options.features,
    inputName,
    outputNames: session.outputNames,
    async predictBatch(rows) {
      const data = new Float32Array(rows.length * nf);
      rows.forEach((r, i) => options.features.forEach((f, j) => {
        const v = r[f];
        data[i * nf + j] = v === null || v === undefined || v === '' ? NaN : Number(v);
      }));
      const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [rows.length, nf]) });
      const t = out[outputName]!;
      const width = t.dims.length > 1 ? t.dims[t.dims.length - 1]! : 1;
      const col = width === 1 ? 0 : options.column ?? 1;
      const res = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) res[i] = Number(t.data[i * width + col]!);
      return res;
    },
  };
}
