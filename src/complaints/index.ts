/**
 * Wage-arrears complaints for the composition root: the intake form, the handler that starts it,
 * the status enquiry, and the notification delivery.
 *
 *   const complaints = complaintHandlers({ tickets: stores.tickets });
 *   handlers.wage_complaint = complaints.wage_complaint;
 *   handlers.ticket_status = complaints.ticket_status;
 *   forms[complaints.form.name] = complaints.form;
 */
import type { Channel } from '../core/types.js';
import { startForm } from '../dialogue/form-runner.js';
import type { FormDefinition, Handler } from '../dialogue/turn.js';
import type { CalendarOverrides } from '../tickets/deadlines.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import { fileComplaint } from './file-complaint.js';
import { loadWageComplaintConfig, type WageComplaintConfig } from './form-config.js';
import { ticketStatusHandler } from './status.js';
import { wageComplaintForm } from './wage-complaint-form.js';

export interface ComplaintDeps {
  tickets: TicketStore;
  /** The form's wording; default intents/forms/wage-complaint.yaml. A path or an already-loaded config. */
  config?: WageComplaintConfig | string;
  /** Local holidays / make-up working days for the acceptance deadline. */
  calendar?: CalendarOverrides;
  /** The one-line personal-data notice given before the first personal question (ServiceInfo). */
  privacyNotice?: (channel: Channel) => string;
}

export interface ComplaintHandlers {
  wage_complaint: Handler;
  ticket_status: Handler;
  form: FormDefinition;
  config: WageComplaintConfig;
}

export function complaintHandlers(deps: ComplaintDeps): ComplaintHandlers {
  const config = typeof deps.config === 'object' ? deps.config : loadWageComplaintConfig(deps.config);
  const form = wageComplaintForm({
    config,
    ...(deps.privacyNotice ? { privacyNotice: deps.privacyNotice } : {}),
    submit: (ctx, f) => fileComplaint({ tickets: deps.tickets, config, ...(deps.calendar ? { calendar: deps.calendar } : {}) }, ctx, f),
  });
  return {
    wage_complaint: (ctx) => startForm(ctx, form),
    ticket_status: ticketStatusHandler({ tickets: deps.tickets, config }),
    form,
    config,
  };
}

export { deliverPending, loggingOutbound, routeByChannel, startNotificationPoller, Undeliverable, type Outbound, type Poller } from './notifier.js';
export { assessUrgency, type Urgency } from './urgency.js';
export { extractFacts, type Facts } from './extract.js';
export { buildTicketInput, idempotencyKey } from './file-complaint.js';
export { WAGE_COMPLAINT_FORM } from './wage-complaint-form.js';
