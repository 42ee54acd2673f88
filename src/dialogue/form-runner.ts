/**
 * Runs whichever form is active: one question at a time, several answers in one message, corrections,
 * "算了/取消" to leave, "重新开始" to start over, a confirmation before submitting, and a question asked
 * in the middle answered without losing the form.
 */
import type { Reply } from '../core/types.js';
import type { ActiveForm, FinishedForm } from './state.js';
import { text, type FormDefinition, type Handler, type TurnContext } from './turn.js';
import { controlOf, looksLikeQuestion } from './control.js';

const MAX_RETRIES = 2;

export async function startForm(
  ctx: TurnContext,
  def: FormDefinition,
  memo: Record<string, unknown> = {},
): Promise<Reply[]> {
  const form: ActiveForm = {
    name: def.name,
    slots: {},
    asking: null,
    retries: 0,
    awaitingConfirmation: false,
    startedAt: ctx.now.toISOString(),
    memo,
    opening: ctx.u.normalized,
  };
  ctx.state.form = form;
  const intro = def.intro(ctx, form);
  const { problems } = def.absorb(ctx, form);
  return [...(intro ? [text(intro)] : []), ...(await askNext(ctx, def, form, problems))];
}

/** Takes up a finished form again with its answers, reading this message into them. */
export async function reopenForm(ctx: TurnContext, def: FormDefinition, finished: FinishedForm): Promise<Reply[]> {
  const form: ActiveForm = {
    name: def.name,
    slots: structuredClone(finished.slots),
    asking: null,
    retries: 0,
    awaitingConfirmation: false,
    startedAt: ctx.now.toISOString(),
    memo: structuredClone(finished.memo),
  };
  ctx.state.form = form;
  ctx.state.finished = null;
  const { problems } = def.absorb(ctx, form);
  return askNext(ctx, def, form, problems);
}

export async function continueForm(
  ctx: TurnContext,
  def: FormDefinition,
  answerSideQuestion: Handler,
): Promise<Reply[]> {
  const form = ctx.state.form!;
  const control = controlOf(ctx.u);

  if (control === 'cancel') {
    ctx.state.form = null;
    return [text(def.cancelled)];
  }
  if (control === 'restart') {
    ctx.state.form = null;
    return [text('好的，重新开始。'), ...(await startForm(ctx, def, form.memo))];
  }

  if (form.awaitingConfirmation) {
    const { filled, problems } = def.absorb(ctx, form);
    if (filled.length === 0 && problems.length === 0 && control === 'yes') {
      form.awaitingConfirmation = false;
      const replies = await def.submit(ctx, form);
      ctx.state.form = null;
      return replies;
    }
    if (filled.length > 0 || problems.length > 0) return askNext(ctx, def, form, problems);
    if (control === 'no') {
      form.awaitingConfirmation = false;
      form.asking = null;
      return [text('请直接告诉我哪一项需要改，比如“金额是2万”“电话13812345678”。')];
    }
    return [text(`请回复“对”确认提交，或直接说要改的内容；回复“取消”放弃登记。\n\n${def.summary(ctx, form) ?? ''}`.trim())];
  }

  const { filled, problems } = def.absorb(ctx, form);
  if (filled.length === 0 && problems.length === 0 && looksLikeQuestion(ctx.u)) {
    // A question in the middle of the form: answer it, then ask again what we were asking. It is read
    // as a follow-up of what started the form ("最多能贷多少" inside the loan questions is the loan's).
    if (form.opening && !ctx.state.lastTopic) ctx.state.lastTopic = { query: form.opening, region: ctx.state.region };
    const answer = await answerSideQuestion(ctx);
    const again = def.next(ctx, form);
    const resume = again ? `\n\n（我们继续刚才的问题）${again.question}` : '';
    return [...answer, ...(resume ? [text(resume.trim())] : [])];
  }
  if (filled.length === 0 && problems.length === 0) {
    form.retries += 1;
    if (form.retries > MAX_RETRIES) {
      const q = def.next(ctx, form);
      return [
        text(
          `没太明白您的意思。${q ? q.question : ''}\n（回复“取消”可退出登记；也可以直接拨打12333人社服务热线。）`,
        ),
      ];
    }
  } else {
    form.retries = 0;
  }
  return askNext(ctx, def, form, problems);
}

async function askNext(ctx: TurnContext, def: FormDefinition, form: ActiveForm, problems: string[]): Promise<Reply[]> {
  const prefix = problems.length > 0 ? `${problems.join('\n')}\n` : '';
  const next = def.next(ctx, form);
  if (next) {
    form.asking = next.slot;
    return [text(`${prefix}${next.question}`)];
  }
  form.asking = null;
  const summary = def.summary(ctx, form);
  if (summary) {
    form.awaitingConfirmation = true;
    return [text(`${prefix}${summary}`)];
  }
  // Nothing to confirm: the form is complete, act on it now.
  const replies = await def.submit(ctx, form);
  ctx.state.form = null;
  if (def.reopens) ctx.state.finished = { name: def.name, slots: form.slots, memo: form.memo, endedAt: ctx.now.toISOString() };
  return prefix ? [text(prefix.trim()), ...replies] : replies;
}

/** Takes up a form set aside by an interruption: asks again what it was asking. */
export async function resumeForm(ctx: TurnContext, def: FormDefinition, form: ActiveForm): Promise<Reply[]> {
  ctx.state.form = { ...form, retries: 0 };
  return askNext(ctx, def, ctx.state.form, []);
}
