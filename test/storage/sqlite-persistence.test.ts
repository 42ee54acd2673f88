import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores } from '../../src/storage/create-stores.js';
import { wageComplaint } from '../tickets/ticket-input.js';

describe('embedded storage across a restart', () => {
  const root = mkdtempSync(join(tmpdir(), 'epa-persist-'));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('when the stores are closed and opened again, then tickets, history, outbox and sessions are all there', async () => {
    const dataDir = join(root, 'data', 'nested'); // created on first use
    const first = createStores({ dataDir });
    expect(first.backend).toBe('sqlite');
    const filed = [];
    for (let i = 0; i < 25; i++) filed.push((await first.tickets.file(wageComplaint(), `k-${i}`)).ticket);
    const accepted = await first.tickets.transition(filed[0]!.id, 'accepted', { actor: 'li.ming' });
    const { notification } = await first.tickets.reply(filed[1]!.id, 'li.ming', '已联系单位');
    await first.sessions.set('web:u1', { form: 'wage', step: 2 }, 3600);
    await first.sessions.markSeen('wechat', 'msg-9', 3600);
    await first.close();
    expect(existsSync(join(dataDir, 'assistant.db'))).toBe(true);

    const second = createStores({ dataDir });
    for (const t of filed.slice(2)) expect(await second.tickets.get(t.id)).toEqual(t);
    expect(await second.tickets.get(accepted.id)).toEqual(accepted);
    expect((await second.tickets.list()).total).toBe(25);
    expect((await second.tickets.events(accepted.id)).map((e) => e.type)).toEqual(['filed', 'status']);
    expect((await second.tickets.pendingNotifications()).map((n) => n.id)).toContain(notification.id);
    expect((await second.tickets.file(wageComplaint(), 'k-3')).created).toBe(false);
    expect(await second.sessions.get('web:u1')).toEqual({ form: 'wage', step: 2 });
    expect(await second.sessions.markSeen('wechat', 'msg-9', 3600)).toBe(false);
    await second.close();
  });
});
