// POST /v1/model-jobs (a CSV as multipart/form-data or a raw text/csv body, options as form fields or query
// parameters) starts a training job; GET /v1/model-jobs[/:jobId] reports stage, percent, messages and the
// registered version; DELETE /v1/model-jobs/:jobId cancels a running one. The upload is parsed the way the
// other imports are: multipart as for statements, a raw CSV body (UTF-8 or GBK) as for name lists.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { requireRole } from './auth.js';
import { HttpError, badRequest, notFound, type FieldError } from './errors.js';
import { errorSchema } from './schemas.js';
import { TrainingInputError, type TrainingJobView, type TrainingJobs } from './model-training.js';
import type { TrainingRequest } from './model-training-run.js';

export const MAX_TRAINING_FILE = 64 * 1024 * 1024;
const ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const FIELDS = ['id', 'type', 'target', 'bad', 'good', 'drop', 'testFraction', 'seed', 'binning', 'maxBins', 'trees', 'depth', 'learningRate', 'description'] as const;

const FIELD_DOCS: Record<(typeof FIELDS)[number], string> = {
  id: 'model id (lowercase letters, digits, . _ -); the job registers its next version',
  type: 'scorecard (default) or gbdt',
  target: 'the label column',
  bad: 'comma-separated target values meaning bad (default 1, bad, yes, true, default, y)',
  good: 'comma-separated target values meaning good (default 0, good, no, false, n)',
  drop: 'comma-separated columns that are not features (ids, dates)',
  testFraction: 'share of rows held out for the metrics and charts (default 0.3)',
  seed: 'seed of the stratified split (default 42)',
  binning: 'scorecard binning: tree (default), quantile or chimerge',
  maxBins: 'scorecard: max bins per variable (default 6)',
  trees: 'gbdt: number of trees (default 300)',
  depth: 'gbdt: max depth (default 4)',
  learningRate: 'gbdt: learning rate (default 0.1)',
  description: 'free text stored with the version',
};

const list = (s: string | undefined): string[] | undefined => {
  const v = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  return v.length ? v : undefined;
};

/** Checks the options of a training request (form fields or query parameters, all strings). */
export function trainingRequestOf(f: Record<string, string | undefined>): { request: TrainingRequest; description?: string } {
  const errors: FieldError[] = [];
  const err = (field: string, en: string, zh: string) => errors.push({ field, message: `${en} / ${zh}` });
  const num = (k: string, lo: number, hi: number, integer: boolean): number | undefined => {
    const raw = f[k]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
      err(k, `must be ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`, `必须是 ${lo} 到 ${hi} 之间的${integer ? '整数' : '数'}`);
      return undefined;
    }
    return n;
  };
  const id = f.id?.trim() ?? '';
  if (!ID.test(id)) err('id', 'required: the model id, lowercase letters, digits, ".", "_" or "-"', '必填：模型 id，只能包含小写字母、数字、"."、"_"、"-"');
  const target = f.target?.trim() ?? '';
  if (!target) err('target', 'required: the name of the label column', '必填：目标（标签）列名');
  const type = (f.type?.trim() || 'scorecard') as TrainingRequest['type'];
  if (type !== 'scorecard' && type !== 'gbdt') err('type', 'must be scorecard or gbdt', '必须是 scorecard 或 gbdt');
  const binning = f.binning?.trim() || undefined;
  if (binning && !['tree', 'quantile', 'chimerge'].includes(binning)) err('binning', 'must be tree, quantile or chimerge', '必须是 tree、quantile 或 chimerge');
  const bad = list(f.bad);
  const good = list(f.good);
  const drop = list(f.drop);
  if (bad && good && bad.some((b) => good.map((g) => g.toLowerCase()).includes(b.toLowerCase()))) err('good', 'a value cannot be both good and bad', '同一个取值不能既是好样本又是坏样本');
  if (drop?.includes(target)) err('drop', 'the target column cannot be dropped', '不能剔除目标列');
  for (const [k, v] of [['bad', bad], ['good', good], ['drop', drop]] as const) if (v && v.length > 200) err(k, 'at most 200 values', '最多 200 个取值');
  const description = f.description;
  if (description !== undefined && description.length > 2000) err('description', 'at most 2000 characters', '最多 2000 个字符');
  const request: TrainingRequest = {
    modelId: id,
    type,
    target,
    ...(bad ? { bad } : {}),
    ...(good ? { good } : {}),
    ...(drop ? { drop } : {}),
  };
  const opt = <K extends keyof TrainingRequest>(k: K, v: TrainingRequest[K] | undefined) => {
    if (v !== undefined) request[k] = v;
  };
  opt('testFraction', num('testFraction', 0.05, 0.5, false));
  opt('seed', num('seed', 0, 2 ** 31 - 1, true));
  opt('binning', binning as TrainingRequest['binning']);
  opt('maxBins', num('maxBins', 2, 20, true));
  opt('trees', num('trees', 1, 2000, true));
  opt('depth', num('depth', 1, 12, true));
  opt('learningRate', num('learningRate', 0.001, 1, false));
  if (errors.length) throw badRequest(errors, `the training request has ${errors.length} invalid field${errors.length > 1 ? 's' : ''}: ${errors.map((e) => e.field).join(', ')} / 训练参数有误`);
  return { request, ...(description ? { description } : {}) };
}

/** The worker's verdict on the file as an HTTP error: the caller's data, so 422 with both languages. */
function inputError(e: TrainingInputError): HttpError {
  const field = e.code === 'missing_target' || e.code === 'non_binary_target' ? 'target' : 'file';
  return new HttpError(422, e.code, `${e.message} / ${e.zh}`, [{ field, message: e.message }]);
}

const jobIdParam = { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } } } as const;

/** Called after a job is cancelled (the audit trail). */
export type OnCancelled = (tenantId: string, actor: string, job: TrainingJobView) => Promise<void>;

export function trainingRoutes(app: FastifyInstance, jobs: TrainingJobs, onCancelled?: OnCancelled): void {
  const tags = ['models'];
  app.register(async (scope) => {
    // Multipart for the console (a file plus form fields), raw bytes for scripts (options in the query).
    await scope.register(multipart, { limits: { fileSize: MAX_TRAINING_FILE, files: 1, fields: FIELDS.length, parts: FIELDS.length + 1 } });
    scope.addContentTypeParser(['text/csv', 'text/plain', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_TRAINING_FILE }, (_req, body, done) => done(null, body));
    scope.post(
      '/v1/model-jobs',
      {
        bodyLimit: MAX_TRAINING_FILE,
        schema: {
          tags,
          summary: 'Train a new model version from a CSV (a job) / 上传 CSV 训练新模型版本',
          description:
            'multipart/form-data with one CSV file and the options as fields, or the CSV itself as the text/csv body with the options as query ' +
            'parameters. The file is read and checked before the answer (422 for an unknown target, a target with one class, too few rows ...); ' +
            'training then runs in a worker thread: poll GET /v1/model-jobs/{jobId}. On success the job registers the next version of `id`.',
          consumes: ['multipart/form-data', 'text/csv'],
          querystring: { type: 'object', additionalProperties: false, properties: Object.fromEntries(FIELDS.map((k) => [k, { type: 'string', maxLength: k === 'description' ? 2000 : 4000, description: FIELD_DOCS[k] }])) },
          response: { '4xx': errorSchema },
        },
      },
      async (req, reply) => {
        const a = requireRole(req, 'analyst');
        const fields: Record<string, string | undefined> = { ...(req.query as Record<string, string>) };
        let csv: Buffer | undefined;
        if (req.isMultipart()) {
          try {
            for await (const part of req.parts()) {
              if (part.type === 'file') {
                csv = await part.toBuffer();
                if (part.file.truncated) throw new HttpError(413, 'payload_too_large', `the file exceeds ${MAX_TRAINING_FILE} bytes / 文件超过 ${MAX_TRAINING_FILE} 字节上限`);
              } else if ((FIELDS as readonly string[]).includes(part.fieldname) && typeof part.value === 'string') fields[part.fieldname] = part.value;
            }
          } catch (e) {
            if (e instanceof HttpError) throw e;
            const code = (e as { code?: string }).code ?? '';
            if (code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'payload_too_large', `the file exceeds ${MAX_TRAINING_FILE} bytes / 文件超过 ${MAX_TRAINING_FILE} 字节上限`);
            if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw badRequest([{ field: 'file', message: 'send one CSV file and the option fields only / 只能上传一个 CSV 文件及参数字段' }]);
            throw badRequest([{ field: 'file', message: `the upload could not be read: ${(e as Error).message} / 上传内容无法读取` }]);
          }
        } else if (Buffer.isBuffer(req.body)) csv = req.body;
        else throw new HttpError(415, 'unsupported_media_type', 'send the CSV as multipart/form-data or as a text/csv body / 请以 multipart/form-data 或 text/csv 上传 CSV 文件', [{ field: 'headers.content-type', message: 'multipart/form-data or text/csv' }]);
        if (!csv || csv.length === 0) throw badRequest([{ field: 'file', message: 'no CSV file in the request / 请求中没有 CSV 文件' }]);
        const { request, description } = trainingRequestOf(fields);
        let job;
        try {
          job = await jobs.start(a.tenantId, a.actor, csv, request, description);
        } catch (e) {
          if (e instanceof TrainingInputError) throw inputError(e);
          throw e;
        }
        reply.code(202).header('location', `/v1/model-jobs/${job.id}`);
        return job;
      },
    );
  });

  app.get('/v1/model-jobs', { schema: { tags, summary: 'Training jobs of the last hour / 训练任务' } }, async (req) => {
    const a = requireRole(req, 'viewer');
    return { items: jobs.list(a.tenantId) };
  });

  app.get('/v1/model-jobs/:jobId', { schema: { tags, summary: 'A training job: stage, percent, messages, result / 训练任务进度', params: jobIdParam } }, async (req) => {
    const a = requireRole(req, 'viewer');
    const job = jobs.get(a.tenantId, (req.params as { jobId: string }).jobId);
    if (!job) throw notFound(`training job ${(req.params as { jobId: string }).jobId} (jobs are kept for an hour on the instance that accepted them)`);
    return job;
  });

  app.delete(
    '/v1/model-jobs/:jobId',
    {
      schema: {
        tags,
        summary: 'Cancel a running training job / 取消训练任务',
        description: 'Stops the training thread; the job stays listed as `cancelled` and registers nothing. 409 once the job has finished (or is registering its version).',
        params: jobIdParam,
        response: { '4xx': errorSchema },
      },
    },
    async (req) => {
      const a = requireRole(req, 'analyst');
      const { jobId } = req.params as { jobId: string };
      const job = jobs.cancel(a.tenantId, jobId, a.actor);
      if (!job) throw notFound(`training job ${jobId} (jobs are kept for an hour on the instance that accepted them)`);
      await onCancelled?.(a.tenantId, a.actor, job);
      return job;
    },
  );
}
