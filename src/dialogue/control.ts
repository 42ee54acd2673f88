/** Reading the conversational moves that matter inside a form: yes, no, leave, start over, a question. */
import type { Understanding } from '../nlu/understand.js';

export type Control = 'yes' | 'no' | 'cancel' | 'restart' | null;

export function controlOf(u: Understanding): Control {
  const r = u.entities.reply;
  if (!r) return null;
  switch (r.kind) {
    case 'affirm':
      return 'yes';
    case 'deny':
      return 'no';
    case 'cancel':
      // "取消" alone leaves the form; "取消 不是这个意思" is not a request to leave.
      return r.exact || r.rest.length <= 2 ? 'cancel' : null;
    case 'restart':
    case 'back':
      return r.exact ? 'restart' : null;
    default:
      return null;
  }
}

/** Question words, "A不A" (收不收, 要不要) and a trailing 不 ("投诉要花钱不", "能要回来不"). */
const QUESTION_WORDS = /[?？]|吗|嘛|怎么|咋|哪|什么|啥|多少|几|能不能|可不可以|是不是|有没有|(\p{Script=Han})不\1|[^没不]不[啊呀呢]?$/u;

/** A message that asks something rather than answering the form's question. */
export function looksLikeQuestion(u: Understanding): boolean {
  if (!QUESTION_WORDS.test(u.normalized)) return false;
  // "cancel" too: the classifier reads 要不要钱 / 收不收钱 as 不要; a real "取消" is a reply (controlOf).
  return ['policy_question', 'eligibility', 'help', 'out_of_scope', 'ticket_status', 'wage_complaint', 'cancel', 'ambiguous'].includes(u.handler);
}
