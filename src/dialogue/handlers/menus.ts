/** Greeting, help, vague questions, thanks, goodbye: fixed wording from intents/responses.yaml. */
import type { Handler } from '../turn.js';
import { text } from '../turn.js';
import { renderMenu, type MenuOption, type Responses } from '../responses.js';

export function menuHandlers(r: Responses): { greeting: Handler; help: Handler; ambiguous: Handler; thanks: Handler; goodbye: Handler } {
  const offer = (options: MenuOption[], ctx: Parameters<Handler>[0]) => {
    ctx.state.menu = options.map((o) => o.ask);
    return renderMenu(options);
  };
  const help: Handler = async (ctx) => [text(`${r.welcome}\n${offer(r.menu, ctx)}\n${r.menu_footer}`)];
  return {
    greeting: help,
    help,
    ambiguous: async (ctx) => {
      const topic = Object.keys(r.clarify).find((k) => k !== 'default' && ctx.u.normalized.includes(k));
      const c = r.clarify[topic ?? 'default'] ?? r.clarify.default!;
      return [text(`${c.question}\n${offer(c.options, ctx)}`)];
    },
    thanks: async () => [text(r.thanks)],
    goodbye: async () => [text(r.goodbye)],
  };
}
