/** Typed errors the ticket stores throw; both map onto the API error catalogue. */
import { ApiError } from '../server/errors.js';
import type { TicketStatus } from './types.js';

/** The change is not allowed in the ticket's current state (HTTP 409, code CONFLICT). */
export class TicketConflictError extends ApiError {
  constructor(
    message: string,
    readonly ticketId: string,
    readonly ticketStatus: TicketStatus | undefined = undefined,
  ) {
    super('CONFLICT', message);
    this.name = 'TicketConflictError';
  }
}

export class TicketNotFoundError extends ApiError {
  constructor(readonly ticketId: string) {
    super('NOT_FOUND', `工单 ${ticketId} 不存在`);
    this.name = 'TicketNotFoundError';
  }
}
