/**
 * The wording of a question as staff fixes and feedback match it: normalised as the assistant reads
 * it (full-width folded, traditional → simplified), lower-case, without whitespace and punctuation —
 * "创业补贴 怎么申请？" and "创业补贴怎么申请" are the same question.
 */
import { normalize } from '../nlu/normalize.js';

export function questionKey(text: string): string {
  return normalize(text.normalize('NFKC')).toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}
