// Fastify plugin: POST /v1/statements (multipart), GET /v1/statements/:id (JSON), /:id/report.html, /:id/report.pdf.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { analyzeStatements, type AnalyzeOptions, type StatementReport } from './analyze.js';
import { StatementError } from './errors.js';
import { renderReportHtml } from './report/html.js';
import { renderPdf } from './report/pdf.js';
import type { Lang } from './report/i18n.js';
import { maskIdNumber } from '../core/mask.js';

/** The applicant a report is about (multipart fields `userId`, `idNumber`): decisions find the report by either. */
export interface StatementSubject {
  userId?: string;
  idNumber?: string;
}

/** Who asks: the tenant of the authenticated caller (undefined when the routes run without tenants). */
export interface StatementScope {
  tenantId?: string;
}

/**
 * Where analysed reports are kept. The service backs this with its database, scoped by tenant;
 * MemoryStatementStore is the default for a bare Fastify app.
 */
export interface StatementStore {
  put(id: string, report: StatementReport, ctx?: StatementScope & { subject?: StatementSubject }): Promise<void>;
  /** The report, only when it was stored for the same tenant. */
  get(id: string, ctx?: StatementScope): Promise<StatementReport | undefined>;
}

/** In-process store with a size cap (oldest evicted first); reports are keyed by tenant and id. */
export class MemoryStatementStore implements StatementStore {
  private readonly map = new Map<string, StatementReport>();
  constructor(private readonly max = 500) {}
  async put(id: string, report: StatementReport, ctx?: StatementScope): Promise<void> {
    this.map.set(`${ctx?.tenantId ?? ''}\0${id}`, report);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  async get(id: string, ctx?: StatementScope): Promise<StatementReport | undefined> {
    return this.map.get(`${ctx?.tenantId ?? ''}\0${id}`);
  }
}

export interface StatementRoutesOptions {
  store?: StatementStore;
  /** Per-file upload limit, bytes (default 20 MiB). */
  maxFileBytes?: number;
  /** Files per request (default 10). */
  maxFiles?: number;
  analyze?: AnalyzeOptions;
  /** Skip registering @fastify/multipart when the app already did. */
  multipartRegistered?: boolean;
  /**
   * The caller's tenant (the service passes its authenticated tenant). When given and it answers undefined,
   * the request is refused with 401; reports are stored and read within that tenant only.
   */
  tenantOf?: (req: FastifyRequest) => string | undefined;
}

/** Multipart text fields naming the applicant. */
const SUBJECT_FIELDS: Record<string, keyof StatementSubject> = { userId: 'userId', idNumber: 'idNumber' };
const MAX_SUBJECT_CHARS = 128;

const langOf = (q: unknown): Lang => ((q as { lang?: string })?.lang === 'en' ? 'en' : 'zh-CN');

function sendError(reply: FastifyReply, status: number, e: StatementError | { code: string; zh: string; en: string; file?: string }) {
  return reply.code(status).send({ error: { code: e.code, file: e.file, message: e.en, messageZh: e.zh } });
}

/** The subject as shown back to the caller: the ID number masked (personal data). */
function maskSubject(s: StatementSubject): StatementSubject {
  return { ...s, ...(s.idNumber ? { idNumber: maskIdNumber(s.idNumber) } : {}) };
}

// OpenAPI descriptions. The upload body is parsed by @fastify/multipart, so it is documented (swaggerTransform)
// but not validated by ajv; the error body is the same for every statement route.
const ERROR_DOC = {
  type: 'object',
  properties: { error: { type: 'object', additionalProperties: true, properties: { code: { type: 'string' }, file: { type: 'string' }, message: { type: 'string' }, messageZh: { type: 'string' } } } },
} as const;

const UPLOAD_SCHEMA = {
  tags: ['statements'],
  summary: 'Analyse statement files / 上传流水并分析',
  description:
    'multipart/form-data: one or more files (Alipay, WeChat Pay, bank exports; merged and de-duplicated) and optional text fields ' +
    '`userId` and `idNumber` naming the applicant, whose indicators loan strategies then read as `features.statement.*`.',
  response: {
    201: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        subject: { type: 'object', properties: { userId: { type: 'string' }, idNumber: { type: 'string' } } },
        files: { type: 'array', items: { type: 'object', additionalProperties: true } },
        risk: { type: 'object', additionalProperties: true },
        links: { type: 'object', properties: { self: { type: 'string' }, html: { type: 'string' }, pdf: { type: 'string' } } },
      },
    },
    '4xx': ERROR_DOC,
  },
};

const uploadDoc = ({ schema, url }: { schema: unknown; url: string }) => ({
  url,
  schema: {
    ...(schema as object),
    consumes: ['multipart/form-data'],
    body: {
      type: 'object',
      required: ['files'],
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'statement files (CSV / XLSX)' },
        userId: { type: 'string', maxLength: MAX_SUBJECT_CHARS },
        idNumber: { type: 'string', maxLength: MAX_SUBJECT_CHARS },
      },
    },
  },
});

function readSchema(summary: string, rendered = false) {
  return {
    tags: ['statements'],
    summary,
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } },
    ...(rendered ? { querystring: { type: 'object', properties: { lang: { type: 'string', description: 'zh-CN (default) or en' } } } } : {}),
  };
}

export const statementRoutes: FastifyPluginAsync<StatementRoutesOptions> = async (app: FastifyInstance, opts) => {
  const store = opts.store ?? new MemoryStatementStore();
  const maxFileBytes = opts.maxFileBytes ?? 20 * 1024 * 1024;
  const maxFiles = opts.maxFiles ?? 10;
  if (!opts.multipartRegistered) {
    await app.register(multipart, { limits: { fileSize: maxFileBytes, files: maxFiles, fields: 10, parts: maxFiles + 10 } });
  }

  const scopeOf = (req: FastifyRequest, reply: FastifyReply): StatementScope | undefined => {
    if (!opts.tenantOf) return {};
    const tenantId = opts.tenantOf(req);
    if (tenantId === undefined) {
      sendError(reply, 401, { code: 'UNAUTHORIZED', zh: '需要有效的 API 密钥', en: 'a valid API key is required' });
      return undefined;
    }
    return { tenantId };
  };

  app.post('/v1/statements', { schema: UPLOAD_SCHEMA, config: { swaggerTransform: uploadDoc } }, async (req, reply) => {
    const scope = scopeOf(req, reply);
    if (!scope) return reply;
    if (!req.isMultipart()) {
      return sendError(reply, 415, { code: 'NOT_MULTIPART', zh: '请以 multipart/form-data 上传账单文件', en: 'upload the statement files as multipart/form-data' });
    }
    const files: { name: string; data: Buffer }[] = [];
    const subject: StatementSubject = {};
    try {
      for await (const part of req.parts({ limits: { fileSize: maxFileBytes, files: maxFiles } })) {
        if (part.type !== 'file') {
          const key = SUBJECT_FIELDS[part.fieldname];
          if (!key) continue;
          const v = typeof part.value === 'string' ? part.value.trim() : '';
          if (!v || v.length > MAX_SUBJECT_CHARS || /[\u0000-\u001f]/.test(v)) {
            return sendError(reply, 400, {
              code: 'BAD_FIELD',
              zh: `字段 ${part.fieldname} 须为 1-${MAX_SUBJECT_CHARS} 个字符的文本`,
              en: `field ${part.fieldname} must be text of 1-${MAX_SUBJECT_CHARS} characters`,
            });
          }
          subject[key] = v;
          continue;
        }
        const data = await part.toBuffer();
        if (part.file.truncated) {
          return sendError(reply, 413, { code: 'TOO_LARGE', file: part.filename, zh: `文件超过 ${maxFileBytes} 字节上限`, en: `file exceeds the ${maxFileBytes}-byte limit` });
        }
        files.push({ name: part.filename || `file${files.length + 1}`, data });
      }
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code === 'FST_REQ_FILE_TOO_LARGE') return sendError(reply, 413, { code: 'TOO_LARGE', zh: `文件超过 ${maxFileBytes} 字节上限`, en: `file exceeds the ${maxFileBytes}-byte limit` });
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return sendError(reply, 413, { code: 'TOO_MANY_FILES', zh: `一次最多上传 ${maxFiles} 个文件`, en: `at most ${maxFiles} files per upload` });
      return sendError(reply, 400, { code: 'BAD_UPLOAD', zh: `上传内容无法读取：${(e as Error).message}`, en: `the upload could not be read: ${(e as Error).message}` });
    }
    if (files.length === 0) return sendError(reply, 400, { code: 'NO_FILES', zh: '没有收到文件', en: 'no files in the upload' });
    let report: StatementReport;
    try {
      report = await analyzeStatements(files, { maxBytes: maxFileBytes, ...opts.analyze });
    } catch (e) {
      if (e instanceof StatementError) return sendError(reply, 422, e);
      throw e;
    }
    const id = randomUUID();
    await store.put(id, report, { ...scope, subject });
    return reply.code(201).send({ id, subject: maskSubject(subject), files: report.files, risk: report.risk, links: { self: `/v1/statements/${id}`, html: `/v1/statements/${id}/report.html`, pdf: `/v1/statements/${id}/report.pdf` } });
  });

  const load = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const scope = scopeOf(req, reply);
    if (!scope) return undefined;
    const id = req.params.id;
    const r = await store.get(id, scope);
    if (!r) sendError(reply, 404, { code: 'NOT_FOUND', zh: '没有这份流水报告', en: 'no such statement report' });
    return r;
  };

  app.get<{ Params: { id: string } }>('/v1/statements/:id', { schema: readSchema('Statement report (JSON) / 流水分析报告') }, async (req, reply) => {
    const r = await load(req, reply);
    if (r) return { id: req.params.id, ...r };
    return reply;
  });

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>('/v1/statements/:id/report.html', { schema: readSchema('Report as HTML / HTML 报告', true) }, async (req, reply) => {
    const r = await load(req, reply);
    if (!r) return reply;
    return reply.type('text/html; charset=utf-8').send(renderReportHtml(r, { lang: langOf(req.query) }));
  });

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>('/v1/statements/:id/report.pdf', { schema: readSchema('Report as PDF / PDF 报告', true) }, async (req, reply) => {
    const r = await load(req, reply);
    if (!r) return reply;
    try {
      const pdf = await renderPdf(renderReportHtml(r, { lang: langOf(req.query) }));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="statement-${req.params.id}.pdf"`).send(pdf);
    } catch (e) {
      if (e instanceof StatementError) return sendError(reply, 503, e);
      throw e;
    }
  });
};
