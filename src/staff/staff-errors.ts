/** Errors of the staff module; all map onto the one API catalogue (src/server/errors.ts). */
import { ApiError } from '../server/errors.js';

export class StaffAccountExistsError extends ApiError {
  constructor(readonly username: string) {
    super('CONFLICT', `账号 ${username} 已存在`);
    this.name = 'StaffAccountExistsError';
  }
}

export class StaffAccountNotFoundError extends ApiError {
  constructor(readonly username: string) {
    super('NOT_FOUND', `账号 ${username} 不存在`);
    this.name = 'StaffAccountNotFoundError';
  }
}

/** 401: no token, unknown token, expired session or disabled account; the message says which. */
export class NotAuthenticatedError extends ApiError {
  constructor(message = '需要登录') {
    super('UNAUTHORIZED', message);
    this.name = 'NotAuthenticatedError';
  }
}

export class ForbiddenError extends ApiError {
  constructor(message = '没有权限执行此操作') {
    super('FORBIDDEN', message);
    this.name = 'ForbiddenError';
  }
}

/** 429 with the time until another attempt is accepted. */
export class LoginThrottledError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    what = '登录失败次数过多',
  ) {
    super('RATE_LIMITED', `${what}，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`);
    this.name = 'LoginThrottledError';
  }
}
