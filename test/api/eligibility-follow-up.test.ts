/**
 * The calculator as people reach it: after a policy answer that offers it ("帮我算算"), and after its
 * results, which invite more facts ("参加过创业培训…告诉我可以再帮您算"). Whole application, /api/chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const WHO = '请问您是哪类人员？';

describe('taking up the offer after a policy answer', () => {
  it('then "帮我算算" uses what the question already said and does not ask who the person is', async () => {
    const user = 'offer-1';
    expect(joined(await t.chat(user, '我是大学毕业生 想自己开个奶茶店 能有啥补贴'))).toContain('帮我算算');
    const r = joined(await t.chat(user, '帮我算算'));
    expect(r).not.toContain(WHO);
    expect(r).toContain('您是哪一年毕业的');
  });

  it('then without an earlier question it still asks who the person is', async () => {
    expect(joined(await t.chat('offer-2', '帮我算算'))).toContain(WHO);
  });
});

describe('after the results', () => {
  async function results(user: string): Promise<string> {
    await t.chat(user, '我能领什么补贴');
    await t.chat(user, '1');
    const r = joined(await t.chat(user, '今年6月毕业的 现在没工作'));
    expect(r).toContain('按您说的情况测算');
    return r;
  }

  it('then "我参加过创业培训" asks which ones and works the results out again with everything said', async () => {
    const user = 'after-1';
    await results(user);
    expect(joined(await t.chat(user, '我参加过创业培训'))).toContain('您参加过哪些创业培训');
    let r = joined(await t.chat(user, '创业意识培训和创业实训'));
    if (!r.includes('按您说的情况测算')) r = joined(await t.chat(user, '已经毕业了'));
    expect(r).toContain('毕业时间：2026年6月');
    expect(r).toContain('参加过的创业培训：创业意识培训、创业实训');
    expect(r).toContain('创业培训补贴');
  });

  it('then a fact on its own ("23岁") is added to them, not taken for a goodbye', async () => {
    const user = 'after-2';
    await results(user);
    const r = joined(await t.chat(user, '23岁'));
    expect(r).toContain('年龄：23岁');
    expect(r).toContain('毕业时间：2026年6月');
  });

  it('then another kind of person or a question with no fact is a new conversation', async () => {
    const user = 'after-3';
    await results(user);
    expect(joined(await t.chat(user, '见习补贴怎么申请'))).not.toContain('按您说的情况测算');
    const r = joined(await t.chat(user, '我是企业的 招了3个应届生 有啥补贴'));
    expect(r).not.toContain('毕业时间：2026年6月');
  });
});
