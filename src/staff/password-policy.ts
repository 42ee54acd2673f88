/**
 * What a staff password must be: at least 10 characters, not blank, and not guessable — judged by
 * zxcvbn-ts (common-password lists, keyboard walks, repeats, sequences, dates, l33t) with the common
 * dictionary, a few frequent Chinese passwords and this bureau's own words, and the account's own
 * username and name. A score below 3 ("safely unguessable" starts at 3) is refused, with the reason.
 * Applied wherever a password is set: the API (create, reset, change one's own) and the CLI.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_SCORE = 3;

/** Frequent passwords of Chinese users (pinyin and number idioms) and the bureau's own words. */
const LOCAL_WORDS = [
  'woaini', 'woaini1314', 'woaini520', '5201314', '1314520', '147258369', '123456789', 'qq123456', 'iloveyou',
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'zhongguo', 'beijing', 'aini1314', 'abc123456', 'a123456',
  'pingdingshan', 'pds', 'henan', 'jining', 'shandong', 'renshe', 'renshiju', 'rensheju', 'rsj', 'hrss', 'mohrss',
  'laodong', 'jiuye', 'chuangye', 'shebao', 'gongzi', 'qianxin', 'admin', 'administrator', 'staff', 'guanliyuan',
  '12333',
];

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, local: LOCAL_WORDS },
  graphs: common.adjacencyGraphs,
});

/** Why the password is not acceptable (in Chinese, for the person setting it), or null when it is. */
export function passwordProblem(password: string, personal: ReadonlyArray<string | null | undefined> = []): string | null {
  const chars = Array.from(password);
  if (chars.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位`;
  if (chars.length > 200) return '密码最长200位';
  if (password.trim() === '') return '密码不能全是空格';
  if (new Set(chars).size < 4) return '密码过于简单：请使用更多不同的字符';
  const inputs = personal.flatMap((p) => (p ? [p, ...p.split(/[._\-\s]+/)].filter((x) => x.length >= 2) : []));
  const result = zxcvbn.check(password.normalize('NFKC').slice(0, 100), inputs);
  if (result.score < PASSWORD_MIN_SCORE) {
    return '密码太容易被猜到（常见密码、键盘序列、重复、日期或与用户名相近）：请用更长且不相关的词组合，例如三四个词加数字和符号';
  }
  return null;
}
