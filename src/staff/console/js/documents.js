// Administrators: policy documents. Upload a .txt/.docx/.pdf, check what the system read (title, 文号,
// issuing bodies, date, region, validity, the clauses as answers will quote them, the problems),
// correct it and publish; withdraw a document or mark it superseded; review the catalogue entries
// that cite a changed document. Routes: #/documents, #/documents/<draft id>.
import { get, post } from './api.js';
import { clear, dialog, h, toast } from './dom.js';

const STATUS = { draft: '草稿', published: '现行', withdrawn: '已撤回', superseded: '已被取代' };
const CITED = { withdrawn: '文件已撤回', superseded: '文件已被取代', changed: '文件经后台发布', missing: '文件不存在' };
const REGIONS = ['平顶山市', '河南省', '全国', '济宁市'];
const PERSONAS = { graduate: '高校毕业生', migrant: '农民工', poverty: '脱贫人口', employer: '用人单位', staff: '经办人员', other: '其他' };
const SEVERITY = { error: '须改正', warning: '请核对' };

export async function renderDocuments(main) {
  const [{ documents }, { facets }] = await Promise.all([get('/api/staff/documents'), get('/api/staff/documents/review')]);
  const byId = new Map(documents.map((d) => [d.id, d]));
  const fileInput = h('input', { type: 'file', name: 'file', accept: '.txt,.docx,.pdf', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'panel upload-form' },
    h('label', { class: 'field' }, h('span', {}, '上传政策文件（.txt、.docx 或带文字层的 .pdf，最大 8 MB）'), fileInput),
    error,
    h('button', { class: 'btn primary', type: 'submit' }, '上传并识别'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) return;
    const button = form.querySelector('button');
    button.disabled = true;
    error.textContent = '';
    try {
      const draft = await post('/api/staff/documents', { filename: file.name, content: await base64Of(file) });
      location.hash = `#/documents/${encodeURIComponent(draft.id)}`;
    } catch (err) {
      error.textContent = err.message;
      button.disabled = false;
    }
  });

  const act = async (path, body, message) => {
    try {
      await post(path, body);
      toast(message);
      await renderDocuments(main);
    } catch (err) {
      toast(err.message, 'error');
    }
  };
  const withdraw = async (d) => {
    const v = await dialog(`撤回 · ${d.docNo ?? d.id}`, [{ name: 'reason', label: '撤回原因（记入操作日志）', type: 'textarea', maxlength: 200 }], { submit: '撤回', danger: true, intro: '撤回后不再用于回答（文本保留备查）。引用它的项目目录条目会列在下方待复核。' });
    if (v) await act(`/api/staff/documents/${encodeURIComponent(d.id)}/withdraw`, v.reason ? { reason: v.reason } : {}, `已撤回 ${d.docNo ?? d.id}`);
  };
  const supersede = async (d) => {
    const options = documents.filter((o) => o.status === 'published' && o.id !== d.id).map((o) => [o.id, `${o.docNo ?? o.id} ${o.title}`]);
    const v = await dialog(`标记被取代 · ${d.docNo ?? d.id}`, [{ name: 'supersededBy', label: '取代它的现行文件', type: 'select', options }], { submit: '标记', intro: '引用它的回答会注明“该政策已被《…》取代”。' });
    if (v) await act(`/api/staff/documents/${encodeURIComponent(d.id)}/supersede`, { supersededBy: v.supersededBy }, `已标记 ${d.docNo ?? d.id} 被取代`);
  };

  clear(main, h('section', { class: 'documents' },
    h('div', { class: 'page-head' }, h('h1', {}, '政策文件')),
    form,
    h('div', { class: 'panel' }, h('table', { class: 'simple documents-table' },
      h('thead', {}, h('tr', {}, ['状态', '文号', '标题', '日期', '地区', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, documents.map((d) => h('tr', { class: `doc-${d.status}`, dataset: { id: d.id } },
        h('td', { 'data-label': '状态' }, STATUS[d.status], d.supersededBy ? h('small', { class: 'muted' }, ` → ${byId.get(d.supersededBy)?.docNo ?? d.supersededBy}`) : null),
        h('td', { 'data-label': '文号', class: 'nowrap' }, d.docNo ?? '—'),
        h('td', { 'data-label': '标题' }, d.status === 'draft' ? h('a', { href: `#/documents/${encodeURIComponent(d.id)}` }, d.title) : d.title),
        h('td', { 'data-label': '日期', class: 'nowrap' }, d.date ?? '—'),
        h('td', { 'data-label': '地区' }, d.region),
        h('td', { class: 'actions-cell' }, d.status === 'published' || d.status === 'superseded'
          ? h('div', { class: 'row-actions' },
            d.status === 'published' ? h('button', { class: 'btn small', type: 'button', onclick: () => supersede(d) }, '标记被取代') : null,
            h('button', { class: 'btn small danger', type: 'button', onclick: () => withdraw(d) }, '撤回'))
          : null)))))),
    h('div', { class: 'panel review' },
      h('h2', {}, `需复核的项目目录条目（${facets.length}）`),
      facets.length === 0
        ? h('p', { class: 'muted' }, '没有引用已撤回、已被取代或后台发布文件的条目。')
        : h('table', { class: 'simple review-table' },
          h('thead', {}, h('tr', {}, ['项目', '问题类型', '引用', '原因'].map((c) => h('th', {}, c)))),
          h('tbody', {}, facets.map((f) => h('tr', {},
            h('td', {}, f.programmeName, h('small', { class: 'muted' }, ` ${f.programmeId}`)),
            h('td', {}, f.facet),
            h('td', { class: 'nowrap' }, f.cite),
            h('td', {}, CITED[f.status], f.supersededBy ? ` → ${f.supersededBy}` : ''))))))));
}

export async function renderDraft(main, id) {
  const draft = await get(`/api/staff/documents/${encodeURIComponent(id)}`);
  const p = draft.preview;
  const field = (name, label, value, attrs = {}) => h('label', { class: 'field' }, h('span', {}, label), h('input', { name, value: value ?? '', ...attrs }));
  const area = (name, label, value) => h('label', { class: 'field' }, h('span', {}, label), h('textarea', { name, rows: 3 }, value ?? ''));
  const form = h('form', { class: 'panel draft-form' },
    field('id', '文件编号（小写字母、数字、-，发布后不变）', p.id, { required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*' }),
    field('title', '标题（文件原标题）', p.title, { required: true }),
    area('aliases', '简称（每行一个；“关于印发《X》的通知”的 X 已列出）', p.aliases.join('\n')),
    field('docNo', '文号（如 平人社〔2026〕9号；无文号留空）', p.docNo),
    area('issuers', '发文机关（每行一个）', p.issuers.join('\n')),
    field('date', '成文日期', p.date, { type: 'date' }),
    h('label', { class: 'field' }, h('span', {}, '地区'), h('select', { name: 'region' }, REGIONS.map((r) => h('option', { value: r, selected: r === p.region }, r)))),
    h('fieldset', { class: 'field personas' }, h('legend', {}, '主要对象'),
      Object.entries(PERSONAS).map(([v, t]) => h('label', {}, h('input', { type: 'checkbox', name: 'personas', value: v, checked: p.personas.includes(v) }), t))),
    field('start', '施行日期', p.validity.start, { type: 'date' }),
    field('end', '截止日期（正文写明时）', p.validity.end, { type: 'date' }),
    area('endText', '写明截止日期的原文（须与正文一字不差）', p.validity.endText),
  );
  const problems = h('div', { class: 'panel problems', role: 'status' });
  const clauses = h('div', { class: 'panel clauses' });
  const show = (view) => {
    clear(problems, h('h2', {}, view.problems.length === 0 ? '没有发现问题' : `问题（${view.problems.length}）`),
      h('ul', {}, view.problems.map((x) => h('li', { class: `problem ${x.severity}` }, h('b', {}, `${SEVERITY[x.severity]}：`), x.message))));
    clear(clauses, h('h2', {}, `条款（${view.preview.clauses.length}）：回答中这样引用`),
      view.preview.clauses.map((c) => h('div', { class: 'clause' }, h('div', { class: 'clause-label' }, c.label), h('pre', { class: 'clause-text' }, c.text))));
  };
  const corrected = () => {
    const fd = new FormData(form);
    const lines = (name) => String(fd.get(name) ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    const orNull = (name) => String(fd.get(name) ?? '').trim() || null;
    const end = orNull('end');
    return {
      id: String(fd.get('id')).trim(),
      title: String(fd.get('title')).trim(),
      aliases: lines('aliases'),
      docNo: orNull('docNo'),
      issuers: lines('issuers'),
      date: orNull('date'),
      region: String(fd.get('region')),
      personas: fd.getAll('personas').map(String),
      validity: { start: orNull('start'), end, endText: end ? orNull('endText') : null },
      clauseValidity: p.clauseValidity,
    };
  };
  const check = async () => {
    try {
      show(await post(`/api/staff/documents/${encodeURIComponent(id)}/check`, corrected()));
    } catch (err) {
      toast(err.message, 'error');
    }
  };
  const publish = async (button) => {
    button.disabled = true;
    try {
      const res = await post(`/api/staff/documents/${encodeURIComponent(id)}/publish`, corrected());
      toast(`已发布 ${res.docId}：${res.clauses} 条，新索引已启用`);
      location.hash = '#/documents';
    } catch (err) {
      toast(err.message, 'error');
      button.disabled = false;
    }
  };
  show(draft);
  const published = draft.status === 'published';
  clear(main, h('section', { class: 'draft' },
    h('div', { class: 'page-head' }, h('h1', {}, `核对并发布 · ${draft.filename}`), h('a', { href: '#/documents' }, '返回文件列表')),
    published ? h('p', { class: 'panel' }, `已发布为 ${draft.docId}。`) : null,
    h('div', { class: 'draft-grid' }, form, h('div', {}, problems, clauses)),
    published ? null : h('div', { class: 'btn-row' },
      h('button', { class: 'btn', type: 'button', onclick: check }, '重新检查'),
      h('button', { class: 'btn primary', type: 'button', name: 'publish', onclick: (e) => publish(e.currentTarget) }, '发布'))));
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('无法读取所选文件'));
    reader.readAsDataURL(file);
  });
}
