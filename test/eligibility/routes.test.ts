import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildEligibilityApp } from './helpers.js';

describe('POST /api/eligibility', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildEligibilityApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/eligibility', payload: payload as object });

  it('when a county of 平顶山 is given, then it is read as 平顶山市 and the results carry amounts, reasons and citations', async () => {
    const res = await post({
      region: '叶县',
      asOf: '2023-09-20',
      profile: { persona: 'poverty', household_type: '监测对象', annual_wage: 15000, months_worked_away: 7, work_location: '省内县外', nickname: '老王' },
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json();
    const wi = results.find((r: { program: string }) => r.program === 'work_incentive');
    expect(wi).toMatchObject({ eligible: true, amount: 450, arithmetic: expect.stringContaining('15000 × 3% = 450 元') });
    expect(wi.citations[0]).toMatchObject({ docNo: '平巩固脱贫成果办〔2023〕7号' });
    expect(results.find((r: { program: string }) => r.program === 'household_total').amount).toBe(750);
  });

  it('when a profile field has the wrong type, then 400 names that field', async () => {
    const res = await post({ region: '平顶山', asOf: '2023-09-20', profile: { annual_wage: '一万五' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'profile.annual_wage' })]));
  });

  it('when the region is unknown or the date malformed, then 400 names region and asOf', async () => {
    const res = await post({ region: '郑州', asOf: '2023/09/20', profile: {} });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['region', 'asOf']));
  });

  it('when an injected evaluate function is given, then the route uses it', async () => {
    const custom = await buildEligibilityApp({ evaluate: () => ({ results: [] }) });
    const res = await custom.inject({ method: 'POST', url: '/api/eligibility', payload: { region: '济宁', asOf: '2023-09-01', profile: {} } });
    expect(res.json()).toEqual({ results: [] });
    await custom.close();
  });
});
