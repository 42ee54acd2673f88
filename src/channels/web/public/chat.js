// The chat page's behaviour (index.html). A separate file: the CSP allows scripts from this origin only.
(() => {
  const log = document.getElementById('log');
  const input = document.getElementById('t');
  const send = document.getElementById('send');
  const chips = document.getElementById('chips');
  const status = document.getElementById('status');
  const userId = localStorage.getItem('epa-user') || ('web-' + Math.random().toString(36).slice(2, 10));
  localStorage.setItem('epa-user', userId);

  const TICKET = /QX\d{6}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}/g;
  // Addresses in replies that open: this site's pages (the privacy notice links /privacy) and http(s).
  const LINK = /(https?:\/\/[^\s，。；）]+|\/(?:privacy|about|docs\/[a-z0-9-]+(?:#[^\s，。；）]+)?)(?![\w/-]))/g;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Ticket numbers never wrap and come with a copy button; addresses become links. Text stays text.
  function renderText(container, text) {
    const parts = [];
    const re = new RegExp(TICKET.source + '|' + LINK.source, 'g');
    let last = 0, m;
    const copyable = new Set(); // one copy button per number and message
    while ((m = re.exec(text))) {
      if (m.index > last) parts.push(document.createTextNode(text.slice(last, m.index)));
      const found = m[0];
      if (/^QX/.test(found)) {
        parts.push(el('span', { class: 'ticket' }, found));
        last = m.index + found.length;
        if (copyable.has(found)) continue;
        copyable.add(found);
        // The visible word starts the accessible name ("复制 投诉编号 QX…"), as a voice user says it.
        const copy = el('button', { type: 'button', class: 'copy' });
        const word = el('span', {}, '复制');
        copy.append(word, el('span', { class: 'sr-only' }, ' 投诉编号 ' + found));
        copy.addEventListener('click', () => copyText(found, word));
        parts.push(copy);
      } else {
        parts.push(el('a', { href: found, target: found.startsWith('http') ? '_blank' : '_self', rel: 'noopener' }, found));
      }
      last = m.index + found.length;
    }
    if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
    parts.forEach((p) => container.appendChild(p));
  }

  async function copyText(text, word) {
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (e) {
      const ta = el('textarea', { 'aria-hidden': 'true' });
      ta.value = text; ta.style.position = 'fixed'; ta.style.opacity = '0';
      document.body.appendChild(ta); ta.select();
      try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
      ta.remove();
    }
    word.textContent = ok ? '已复制' : '请长按编号复制';
    status.textContent = ok ? '投诉编号 ' + text + ' 已复制' : '复制失败，请长按编号复制';
    setTimeout(() => { word.textContent = '复制'; }, 2500);
  }

  const citeLabel = (c) => '《' + c.title + '》' + (c.docNo ? '（' + c.docNo + '）' : '') + (c.clause && c.clause !== '正文' ? c.clause : '');
  let boxSeq = 0;

  // A citation opens its clause in place: the document's particulars, the clause and its neighbours.
  async function openClause(c, button, box) {
    const open = button.getAttribute('aria-expanded') === 'true';
    if (open) { box.hidden = true; button.setAttribute('aria-expanded', 'false'); return; }
    button.setAttribute('aria-expanded', 'true');
    box.hidden = false;
    if (box.dataset.loaded) return;
    box.textContent = '正在打开原文…';
    try {
      const res = await fetch('/api/sources/' + encodeURIComponent(c.docId) + '?clause=' + encodeURIComponent(c.anchor));
      if (!res.ok) throw new Error(String(res.status));
      const s = await res.json();
      box.textContent = '';
      const d = s.document;
      box.appendChild(el('h3', {}, '《' + d.title + '》'));
      // The clause's own end date, when it has one the document does not (e.g. 一、 延续至2023年底).
      const clauseValidity = s.clause.validity !== d.validity.text ? '本条' + s.clause.validity : null;
      const meta = [d.docNo, d.date ? '发文日期 ' + d.date : null, d.validity.text, clauseValidity].filter(Boolean).join(' · ');
      box.appendChild(el('p', { class: 'meta' }, meta));
      for (const x of s.before) box.appendChild(el('p', { class: 'around' }, x.label + ' ' + x.text));
      const own = el('div', { class: 'own' });
      [s.clause, ...s.children].forEach((x, i) => own.appendChild(el('p', {}, (i === 0 ? x.label + ' ' : '') + x.text)));
      box.appendChild(own);
      for (const x of s.after) box.appendChild(el('p', { class: 'around' }, x.label + ' ' + x.text));
      const full = el('a', { href: d.href + '#' + encodeURIComponent(s.clause.anchor) }, '查看全文');
      box.appendChild(full);
      box.dataset.loaded = '1';
    } catch (e) {
      box.textContent = '原文暂时打不开，请稍后再试。';
    }
  }

  function addSources(bubble, citations) {
    const linked = (citations || []).filter((c) => c.docId);
    if (!linked.length) return;
    const wrap = el('div', { class: 'sources' });
    wrap.appendChild(el('span', { class: 'label' }, '查看原文：'));
    const boxes = [];
    linked.forEach((c) => {
      const id = 'clause-' + (++boxSeq);
      const b = el('button', { type: 'button', class: 'src', 'aria-expanded': 'false', 'aria-controls': id }, citeLabel(c));
      const box = el('div', { class: 'clause-box', id, hidden: '' });
      if (c.anchor) b.addEventListener('click', () => openClause(c, b, box));
      else b.addEventListener('click', () => { location.href = '/docs/' + encodeURIComponent(c.docId); });
      wrap.appendChild(b);
      boxes.push(box);
    });
    boxes.forEach((x) => wrap.appendChild(x));
    bubble.appendChild(wrap);
  }

  function add(who, text, citations) {
    const row = el('div', { class: 'msg ' + who });
    const b = el('div', { class: 'bubble' });
    const t = el('div', { class: 'text' });
    renderText(t, text);
    b.appendChild(t);
    addSources(b, citations);
    row.appendChild(b);
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
  }

  // The quick replies the server chose for this point of the conversation, in one scrolling row.
  function setChips(list) {
    if (!Array.isArray(list)) return;
    chips.textContent = '';
    list.forEach((q) => {
      const b = el('button', { type: 'button' }, q);
      b.addEventListener('click', () => ask(q));
      chips.appendChild(b);
    });
    chips.scrollLeft = 0;
  }

  // Each message carries an id: when the response is lost, the retry with the same id gets the
  // original replies (the ticket number included) and is not handled twice.
  let seq = 0;
  const newMessageId = () => Date.now().toString(36) + '-' + (seq++) + '-' + Math.random().toString(36).slice(2, 8);
  const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // Ids of the staff messages already on the page (from the poll or at the top of a reply).
  const shown = new Set();

  async function ask(text) {
    if (!text.trim()) return;
    add('user', text);
    send.disabled = true;
    const messageId = newMessageId();
    try {
      let res;
      try {
        res = await post('/api/chat', { userId, text, messageId });
      } catch (e) {
        await new Promise((r) => setTimeout(r, 1500));
        res = await post('/api/chat', { userId, text, messageId });
      }
      const body = await res.json();
      if (!res.ok) { add('bot', (body.error && body.error.message) || '出错了，请稍后再试。'); return; }
      // Staff replies at the top of the replies (ids in body.ack) may have been shown by the poll already.
      const acked = body.ack || [];
      body.replies.forEach((r, i) => {
        if (i < acked.length && shown.has(acked[i])) return;
        if (i < acked.length) shown.add(acked[i]);
        add('bot', r.text, r.citations);
        if (r.answerId) addRating(log.lastElementChild, r.answerId);
      });
      setChips(body.quickReplies);
      if (acked.length) post('/api/chat/ack', { userId, ack: acked }).catch(() => {});
    } catch (e) {
      add('bot', '网络连接失败，请稍后再试，或拨打12333。');
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  // 有用 / 没用 under an answer (issue 18): one tap, sent with the answer's id; the choice stays shown.
  function addRating(row, answerId) {
    const bubble = row && row.querySelector('.bubble');
    if (!bubble) return;
    const box = document.createElement('div');
    box.className = 'rate';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', '这条回答有用吗');
    const said = document.createElement('span');
    said.setAttribute('role', 'status');
    const buttons = [['useful', '有用', '这条回答有用'], ['useless', '没用', '这条回答没用']].map(([verdict, label, spoken]) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.verdict = verdict;
      b.setAttribute('aria-label', spoken);
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', async () => {
        buttons.forEach(x => { x.disabled = true; });
        b.setAttribute('aria-pressed', 'true');
        try {
          const res = await post('/api/chat/feedback', { userId, answerId, verdict });
          const body = await res.json();
          said.textContent = res.ok ? body.text : ((body.error && body.error.message) || '没有记下，请稍后再试');
          if (!res.ok) { buttons.forEach(x => { x.disabled = false; }); b.setAttribute('aria-pressed', 'false'); }
        } catch (e) {
          said.textContent = '网络连接失败，没有记下';
          buttons.forEach(x => { x.disabled = false; });
          b.setAttribute('aria-pressed', 'false');
        }
      });
      box.appendChild(b);
      return b;
    });
    box.appendChild(said);
    bubble.appendChild(box);
  }

  document.getElementById('f').addEventListener('submit', (e) => { e.preventDefault(); const v = input.value; input.value = ''; ask(v); });
  const GREETING = '您好！我是就业创业政策咨询助手，可以：\n1. 解答就业创业补贴、创业担保贷款、就业见习等政策\n2. 帮您测算能领哪些补贴、大概多少钱\n3. 登记欠薪投诉，给您投诉编号并告知处理进度\n换了手机查投诉进度，发“查询 编号 手机后四位”。\n请直接输入您的问题。';

  // The earlier conversation of this browser's id (kept in localStorage), shown after a reload.
  async function loadHistory() {
    try {
      const res = await fetch('/api/chat/history?userId=' + encodeURIComponent(userId));
      if (!res.ok) return false;
      const body = await res.json();
      setChips(body.quickReplies);
      if (!body.turns || !body.turns.length) return false;
      for (const t of body.turns) add(t.from === 'user' ? 'user' : 'bot', t.text);
      log.appendChild(el('div', { class: 'divider' }, '—— 以上是之前的对话 ——'));
      log.scrollTop = log.scrollHeight;
      return true;
    } catch (e) {
      return false;
    }
  }

  // Staff replies arrive without the person typing: poll the inbox, show what is new, acknowledge it.
  let polling = false;
  async function pollInbox() {
    if (polling) return;
    polling = true;
    try {
      const res = await fetch('/api/chat/inbox?userId=' + encodeURIComponent(userId));
      if (!res.ok) return;
      const body = await res.json();
      const fresh = (body.messages || []).filter((m) => !shown.has(m.id));
      for (const m of fresh) { shown.add(m.id); add('bot', m.text); }
      if (fresh.length) await post('/api/chat/ack', { userId, ack: fresh.map((m) => m.id), shown: 'inbox' });
    } catch (e) {
      // Offline for now: the next poll tries again, and nothing is lost (the inbox keeps it).
    } finally {
      polling = false;
    }
  }
  const POLL_MS = 20000;
  window.addEventListener('focus', pollInbox);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') pollInbox(); });

  (async () => {
    if (!(await loadHistory())) add('bot', GREETING);
    await pollInbox();
    setInterval(pollInbox, POLL_MS);
    document.body.dataset.ready = '1';
  })();
})();
