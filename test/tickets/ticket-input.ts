/** A realistic wage-arrears filing as the intake form hands it over; override what a test needs. */
import type { FileTicketInput } from '../../src/tickets/types.js';

let n = 0;

export function wageComplaint(overrides: Partial<FileTicketInput> = {}): FileTicketInput {
  n++;
  return {
    kind: 'wage_arrears',
    channel: 'sms',
    userId: '13800138000',
    priority: 10,
    priorityReasons: ['建筑工地', '拖欠3个月'],
    acceptDueAt: '2030-03-08T09:00:00.000Z',
    workerName: '张师傅',
    phone: '13800138000',
    employer: '平顶山市某建筑劳务有限公司',
    site: '新华区幸福家园二期',
    county: '新华区',
    isConstruction: true,
    generalContractor: '某建工集团',
    amountOwed: 23000,
    perPersonAmount: null,
    period: '2024年3月到5月',
    monthsOwed: 3,
    workers: 1,
    evidence: ['考勤表照片', '微信聊天记录'],
    description: `老板欠我3个月工资，一共两万三 (#${n})`,
    transcript: [
      { from: 'user', text: '老板欠我3个月工资', at: '2030-03-01T01:00:00.000Z' },
      { from: 'assistant', text: '请问欠薪的单位叫什么名字？', at: '2030-03-01T01:00:01.000Z' },
    ],
    ...overrides,
  };
}
