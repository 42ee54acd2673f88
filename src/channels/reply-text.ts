/** Replies as one plain text for channels without rich formatting (WeChat, SMS, wechaty). */
import type { Reply } from '../core/types.js';
import { citationText, displayTitle } from '../knowledge/citation-text.js';

/** The replies in order, separated by a blank line, each with its sources when the text does not name them. */
export function repliesToText(replies: Reply[]): string {
  return replies
    .map((r) => {
      const missing = r.citations.filter((c) => !r.text.includes(displayTitle(c.title)) && !(c.docNo && r.text.includes(c.docNo)));
      if (missing.length === 0) return r.text.trim();
      const src = missing
        .slice(0, 2)
        .map((c) => citationText(c))
        .join('；');
      return `${r.text.trim()}\n来源：${src}`;
    })
    .filter((t) => t.length > 0)
    .join('\n\n');
}

/** What the assistant understands, for pictures, locations, files and unrecognised voice. */
export const UNSUPPORTED_MESSAGE_TEXT =
  '抱歉，我目前只能看懂文字（也能听懂清楚的语音）。请用文字把问题告诉我，例如：“刚毕业有什么补贴”“老板欠我3个月工资”“查询工单进度”。';
