/**
 * The one catalogue of API error codes. Every error body has the shape
 * `{ "error": { "code", "message", "issues"? } }` where issues name the offending fields.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: '请求内容不符合要求' },
  UNAUTHORIZED: { status: 401, message: '需要登录' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  NOT_FOUND: { status: 404, message: '未找到' },
  CONFLICT: { status: 409, message: '当前状态不允许此操作' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '内容过长' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试' },
  INTERNAL: { status: 500, message: '服务内部错误' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message?: string, issues?: ErrorIssue[]) {
    super(message ?? ERROR_CODES[code].message);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.issues = issues;
  }

  toBody(): { error: { code: ErrorCode; message: string; issues?: ErrorIssue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}
