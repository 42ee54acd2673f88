/** What to ask next: the question for a field, and the questions for a set of programmes. */
import { defaultEvaluator, type Evaluator } from './evaluate.js';
import type { Profile } from './profile.js';
import { missingFieldsFor } from './programs.js';
import type { Question } from './questions.js';

export function questionFor(field: string, evaluator: Evaluator = defaultEvaluator()): Question | null {
  return evaluator.questions.get(field) ?? null;
}

/** Questions for the fields these programmes still need, in the order to ask them. */
export function missingQuestions(programKeys: string[], profile: Profile, evaluator: Evaluator = defaultEvaluator()): Question[] {
  const decls = evaluator.programs.filter((p) => programKeys.includes(p.key));
  return missingFieldsFor(decls, profile)
    .map((f) => evaluator.questions.get(f))
    .filter((q): q is Question => q !== undefined);
}
