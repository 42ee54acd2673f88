/** Public surface of the eligibility calculator. */
export { createEvaluator, defaultEvaluator, evaluate, evaluateRequestSchema, type EvaluateRequest, type Evaluator } from './evaluate.js';
export { profileSchema, type Profile, PROFILE_FIELDS } from './profile.js';
export { isRelevant, type ProgramDecl } from './programs.js';
export { type Question, type QuestionBook } from './questions.js';
export { normalizeRegion, fallbackChain } from './regions.js';
export { lookup, type LookupResult } from './parameters/lookup.js';
export { loadRuleData, RuleDataError, type RuleData } from './parameters/load.js';
export type { EvaluateInput, EvaluateOptions, EvaluateOutput, ProgramResult } from './types.js';
export { questionFor, missingQuestions, missingFieldsFor } from './ask.js';
