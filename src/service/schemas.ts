// Shared JSON schemas (for validation and the OpenAPI document at /docs).
export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
} as const;

export const subjectSchema = {
  type: 'object',
  description: 'Who the event is about: userId, deviceId, ip, phone, idNumber, bankCard, email, address or custom string keys',
  additionalProperties: { type: 'string' },
  properties: {
    userId: { type: 'string' },
    deviceId: { type: 'string' },
    ip: { type: 'string' },
    phone: { type: 'string' },
    idNumber: { type: 'string' },
    bankCard: { type: 'string' },
    email: { type: 'string' },
    address: { type: 'string' },
  },
} as const;

export const eventSchema = {
  type: 'object',
  required: ['id', 'type', 'occurredAt', 'subject'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$', description: 'client-chosen unique id (idempotency key)' },
    type: { type: 'string', description: 'register, login, payment, transfer, loan_application, drawdown, repayment, profile_change or custom ^[a-z][a-z0-9_]{0,63}$' },
    occurredAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] },
    subject: subjectSchema,
    data: { type: 'object', additionalProperties: true, description: 'data.amount (number) required for payment, transfer, loan_application, drawdown, repayment' },
  },
} as const;

export const decisionResponseSchema = {
  type: 'object',
  properties: {
    eventId: { type: 'string' },
    decision: { type: 'string', enum: ['approve', 'review', 'reject'] },
    score: { type: 'number' },
    riskLevel: { type: 'string' },
    reasons: { type: 'array', items: {} },
    outputs: { type: 'object', additionalProperties: true },
    strategy: { anyOf: [{ type: 'null' }, { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' } } }] },
    latencyMs: { type: 'number' },
    degraded: { type: 'string' },
    replayed: { type: 'boolean' },
    trace: {},
    features: { type: 'object', additionalProperties: true },
  },
} as const;

export const isoTime = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }] } as const;

export const paging = {
  limit: { type: 'integer', minimum: 1, maximum: 1000 },
  offset: { type: 'integer', minimum: 0 },
} as const;

export const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export const toIso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
