/**
 * POST /api/eligibility {region, asOf, profile} → 200 {results}. The body is validated with zod
 * (fastify-type-provider-zod); a malformed body is a validation error that the app's error handler
 * turns into 400 {error: {code: "BAD_REQUEST", message, issues: [{path, message}]}}.
 */
import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { ApiError } from '../server/errors.js';
import { evaluate as defaultEvaluate, evaluateRequestSchema } from './evaluate.js';
import type { EvaluateOutput } from './types.js';

const citationSchema = z.object({ title: z.string(), docNo: z.string().nullable(), clause: z.string().nullable() });

export const programResultSchema = z.object({
  program: z.string(),
  title: z.string(),
  eligible: z.boolean(),
  amount: z.number().nullable(),
  reasons: z.array(z.string()),
  citations: z.array(citationSchema),
  arithmetic: z.string().optional(),
  expired: z.object({ end: z.string(), text: z.string() }).optional(),
  reading: z.string().optional(),
  missing: z.array(z.string()).optional(),
});

export const evaluateResponseSchema = z.object({ results: z.array(programResultSchema) });

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export type EligibilityEvaluate = (input: z.output<typeof evaluateRequestSchema>) => EvaluateOutput | Promise<EvaluateOutput>;

export interface EligibilityRoutesOptions {
  /** Defaults to the calculator over the shipped rules. */
  evaluate?: EligibilityEvaluate;
}

export const eligibilityRoutes: FastifyPluginAsync<EligibilityRoutesOptions> = async (app, opts) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const run: EligibilityEvaluate = opts.evaluate ?? ((input) => defaultEvaluate(input));

  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/eligibility',
    {
      schema: {
        body: evaluateRequestSchema,
        response: { 200: evaluateResponseSchema, 400: errorBodySchema }, // not a policy figure: HTTP status
      },
    },
    async (req) => {
      try {
        return await run(req.body);
      } catch (err) {
        if (err instanceof ZodError) {
          const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
          throw new ApiError('BAD_REQUEST', `请求内容不符合要求：${issues.map((i) => i.path).join(', ')}`, issues);
        }
        throw err;
      }
    },
  );
};
