// 答错与未答 (#/misses): answers people marked 没用 and questions the assistant could not answer,
// grouped by similar wording, each with the answer given, the rules that fired and the clauses the
// index ranked next. Administrators fix a miss here: answer the wording from a clause (one of the
// ranked ones, or by id), add the wording as a programme's alias, or write a programme's answer
// (checked against its clauses by the server). The fixes in force and who made them are listed below.
import { get, post } from './api.js';
import { clear, dialog, fmtDateTime, h, toast } from './dom.js';
import { me } from './state.js';

const SOURCE = { catalogue: '政策目录', retrieval: '条款检索', 'staff-fix': '人工指定条款', none: '无出处' };
const KIND = { useless: '群众评为没用', unanswered: '未能回答' };
const FACET = { overview: '概况', who: '对象条件', amount: '标准金额', duration: '期限', apply: '申请办理', materials: '材料', where: '地点', phone: '电话', duty: '义务' };

export async function renderMisses(main) {
  const admin = me()?.role === 'admin';
  const [{ groups }, fixes, { programmes }] = await Promise.all([get('/api/staff/misses'), get('/api/staff/fixes'), get('/api/staff/programmes')]);

  const reload = async (message) => {
    toast(message);
    await renderMisses(main);
  };

  async function useClause(question, clause) {
    try {
      await post('/api/staff/fixes/clause', { question, clause });
      await reload(`已指定：此后「${question}」按 ${clause} 回答`);
    } catch (err) {
      toast(err.message, 'error');
    }
  }

  async function clauseById(question) {
    const v = await dialog('按条款编号指定', [
      { name: 'clause', label: '条款（<文件id>#<条款>，如 pds-2023-73-internships#一、（二））', required: true },
    ], { submit: '指定', intro: `问题：${question}` });
    if (v) await useClause(question, v.clause.trim());
  }

  async function addAlias(question) {
    const v = await dialog('加为项目别名', [
      { name: 'wording', label: '说法（问题中指项目的那几个字）', required: true, value: question.slice(0, 30) },
      { name: 'programId', label: '项目', type: 'select', required: true, options: programmes.map((p) => [p.id, `${p.name}（${p.region}）`]) },
    ], { submit: '添加' });
    if (!v) return;
    try {
      await post('/api/staff/fixes/alias', { wording: v.wording, programId: v.programId });
      await reload(`已添加别名「${v.wording}」`);
    } catch (err) {
      toast(err.message, 'error');
    }
  }

  async function writeFacet(programId, cite) {
    const v = await dialog('编写项目答复', [
      { name: 'programId', label: '项目', type: 'select', required: true, value: programId, options: programmes.map((p) => [p.id, `${p.name}（${p.region}）`]) },
      { name: 'facet', label: '回答哪方面', type: 'select', required: true, options: Object.entries(FACET) },
      { name: 'answer', label: '答复（1–2句，数字须出自所引条款）', type: 'textarea', required: true, maxlength: 160 },
      { name: 'cite', label: '依据条款（多个用空格分隔）', required: true, value: cite ?? '' },
    ], { submit: '核对并保存' });
    if (!v) return;
    try {
      await post('/api/staff/fixes/facet', { programId: v.programId, facet: v.facet, answer: v.answer, cite: v.cite.split(/\s+/).filter(Boolean) });
      await reload('答复已通过核对并生效');
    } catch (err) {
      toast(err.message, 'error');
    }
  }

  const item = (it) => h('li', { class: 'miss', 'data-question': it.question },
    h('div', { class: 'miss-q' }, h('strong', {}, it.question), ' ',
      h('span', { class: `badge m-${it.kind}` }, KIND[it.kind]), ' ',
      h('span', { class: 'muted small' }, `${it.count} 次 · ${fmtDateTime(it.at)}${it.reason ? ` · ${it.reason}` : ''}`)),
    h('details', { class: 'miss-answer' },
      h('summary', {}, `回答（${SOURCE[it.source] ?? '—'}${it.handler ? ` · ${it.handler}` : ''}）`),
      h('p', { class: 'pre' }, it.answer ?? '（回答已过保存期）'),
      it.rules.length ? h('ul', { class: 'rules' }, it.rules.map((r) => h('li', {}, h('code', {}, r)))) : null),
    h('div', { class: 'next-clauses' }, h('span', { class: 'muted small' }, '检索排名靠前的条款：'),
      h('ol', {}, it.nextClauses.map((c) => h('li', { 'data-clause': c.clauseId },
        h('span', {}, `《${c.title}》${c.docNo ? `（${c.docNo}）` : ''} ${c.clause}`), ' ',
        h('span', { class: 'muted small' }, c.excerpt),
        admin ? h('button', { class: 'btn small use-clause', type: 'button', onclick: () => useClause(it.question, c.clauseId) }, '用这条回答') : null)))),
    admin ? h('div', { class: 'miss-actions' },
      h('button', { class: 'btn small', type: 'button', onclick: () => clauseById(it.question) }, '按编号指定条款'),
      h('button', { class: 'btn small', type: 'button', onclick: () => addAlias(it.question) }, '加为项目别名'),
      h('button', { class: 'btn small', type: 'button', onclick: () => writeFacet(programmes[0]?.id, it.nextClauses[0] ? it.nextClauses[0].clauseId.replace(/\//g, '') : '') }, '编写答复')) : null);

  clear(main, h('section', { class: 'misses' },
    h('div', { class: 'page-head' }, h('h1', {}, '答错与未答'), h('span', { class: 'muted small' }, admin ? '相近问法归为一组；指定条款、别名、答复立即生效' : '修正由管理员进行')),
    groups.length === 0
      ? h('p', { class: 'empty' }, '暂无评为没用的回答或未能回答的问题。')
      : groups.map((g) => h('section', { class: 'panel miss-group' },
        h('h2', {}, g.label, h('span', { class: 'muted small' }, ` · ${g.items.length} 种问法，共 ${g.count} 次${g.programme ? ` · ${g.programme}` : ''}`)),
        h('ul', { class: 'miss-list' }, g.items.map(item)))),
    h('section', { class: 'panel fixes' },
      h('h2', {}, `生效中的修正（第 ${fixes.version} 版）`),
      fixes.log.length === 0
        ? h('p', { class: 'muted' }, '暂无。')
        : h('table', { class: 'simple' },
          h('thead', {}, h('tr', {}, h('th', {}, '时间'), h('th', {}, '人员'), h('th', {}, '类别'), h('th', {}, '内容'))),
          h('tbody', {}, fixes.log.map((f) => h('tr', {}, h('td', { class: 'nowrap' }, fmtDateTime(f.at)), h('td', {}, f.by), h('td', {}, { clause: '指定条款', alias: '别名', facet: '答复' }[f.kind]), h('td', {}, f.what))))))));
}
