/** What to ask next: the question for a field, and the questions for a set of programmes. */
import { defaultEvaluator, type Evaluator } from './evaluate.js';
import type { Profile } from './profile.js';
import { missingFieldsFor as fieldsFor, type ProgramDecl } from './programs.js';
import type { Question } from './questions.js';

export function questionFor(field: string, evaluator: Evaluator = defaultEvaluator()): Question | null {
  return evaluator.questions.get(field) ?? null;
}

/** Questions for the fields these programmes still need, in the order to ask them. */
export function missingQuestions(programKeys: string[], profile: Profile, evaluator: Evaluator = defaultEvaluator()): Question[] {
  return missingFieldsFor(programKeys, profile, evaluator)
    .map((f) => evaluator.questions.get(f))
    .filter((q): q is Question => q !== undefined);
}

/**
 * Fields still to ask for these programmes (keys or declarations), in order: requirements first,
 * then fields that confirm conditions, then fields the amount needs.
 */
export function missingFieldsFor(programs: (string | ProgramDecl)[], profile: Profile, evaluator: Evaluator = defaultEvaluator()): string[] {
  const decls = programs
    .map((p) => (typeof p === 'string' ? evaluator.programs.find((d) => d.key === p) : p))
    .filter((d): d is ProgramDecl => d !== undefined);
  return fieldsFor(decls, profile);
}
