/**
 * The log stream of a real gateway process (LOG_LEVEL=debug, stdout and stderr captured) while requests
 * carry a mobile number and an ID number in the URL, a header, the message text, a refused body and a
 * complaint intake: the full numbers never appear; their masked forms do (so the lines were written).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chat, startGateway, type Gateway } from './processes.js';

const PHONE = '13837512345';
const ID_NUMBER = '410402199001011234';
let gw: Gateway;

beforeAll(async () => {
  gw = await startGateway({ LOG_LEVEL: 'debug' });
}, 90_000);
afterAll(async () => {
  await gw?.stop();
});

it('no full phone or ID number reaches the logs of a real request', async () => {
  const q = await fetch(`${gw.url}/api/chat?phone=${PHONE}&id=${ID_NUMBER}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': `test ${PHONE} ${ID_NUMBER}`, 'x-phone': PHONE },
    body: JSON.stringify({ userId: `u-${PHONE}`, text: `我的电话${PHONE}，身份证${ID_NUMBER}，老板欠我工资` }),
  });
  expect(q.status).toBe(200);
  const bad = await fetch(`${gw.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: PHONE, text: 12345, note: `${PHONE} ${ID_NUMBER}` }),
  });
  expect(bad.status).toBe(400);
  expect((await fetch(`${gw.url}/nothing/${PHONE}/${ID_NUMBER}`)).status).toBe(404);
  for (const t of ['在叶县一个纸箱厂', '叫鑫达包装', '欠了1.5万 干了5个月', '就我自己', `电话 ${PHONE} 身份证 ${ID_NUMBER}`, '没有', '对']) {
    expect((await chat(gw, `u-${PHONE}`, t)).status).toBe(200);
  }
  await gw.stop();

  const log = gw.output.join('\n');
  const maskedPhone = '138****2345';
  const maskedId = '410402********4';
  console.log(
    `log masking: ${gw.output.length} log lines, full phone ${log.split(PHONE).length - 1}, full ID ${log.split(ID_NUMBER).length - 1}, ` +
      `masked phone ${log.split(maskedPhone).length - 1}, masked ID ${log.split(maskedId).length - 1}`,
  );
  expect(log).not.toContain(PHONE);
  expect(log).not.toContain(ID_NUMBER);
  expect(log).not.toContain(PHONE.slice(3)); // not even the subscriber part
  expect(log).toContain(maskedPhone);
  expect(log).toContain(maskedId);
  // Every line stays valid JSON after masking.
  for (const line of gw.output.filter((l) => l.startsWith('{'))) expect(() => JSON.parse(line)).not.toThrow();
}, 90_000);
