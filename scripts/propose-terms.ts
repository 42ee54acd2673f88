/**
 * Proposes candidate policy terms for knowledge/lexicon/terms.txt from the seed texts: quoted names
 * (“一奖一补”) and phrases ending in a policy suffix (…补贴, …贷款, …岗位), frequent enough, not yet
 * in the list and not split oddly (no leading function character). The output is for a person to
 * curate — nothing is written. Usage: npx tsx scripts/propose-terms.ts [--min 3] [--top 150]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dataPath, readList } from '../src/nlu/lexicon.js';
import { tokenize } from '../src/nlu/segment.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SUFFIXES = [
  '补贴', '补助', '奖补', '贷款', '岗位', '计划', '基地', '人员', '人口', '对象', '市场', '服务机构', '培训',
  '见习', '担保', '账户', '保证金', '学徒制', '证书', '保险', '园区', '社区', '登记', '认定',
];
const BAD_START = /^[的和与及或对在为将把被从向等是了个各其该此有]/;

const seedsDir = dataPath('knowledge/seeds/');
const text = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(`${seedsDir}${f}`, 'utf8'))
  .join('\n');
const known = new Set(readList('knowledge/lexicon/terms.txt').map((l) => l.split(/\s+/)[0]));
const counts = new Map<string, number>();
const bump = (t: string): void => void counts.set(t, (counts.get(t) ?? 0) + 1);

for (const m of text.matchAll(/[“"]([\u4e00-\u9fa5]{2,12})[”"]/g)) bump(m[1] ?? '');
// Runs of 2–4 jieba tokens ending in a policy suffix: token boundaries keep out fragments like 业担保.
for (const line of text.split('\n')) {
  for (const clause of line.split(/[，。；、：（）()\s“”"]/)) {
    if (clause.length < 3) continue;
    const tokens = tokenize(clause);
    for (let end = 0; end < tokens.length; end++) {
      if (!SUFFIXES.some((s) => (tokens[end] ?? '').endsWith(s))) continue;
      let t = tokens[end] ?? '';
      for (let start = end - 1; start >= Math.max(0, end - 3); start--) {
        t = (tokens[start] ?? '') + t;
        if (/^[\u4e00-\u9fa5]+$/.test(t)) bump(t);
      }
    }
  }
}

const min = arg('min', 3);
const top = arg('top', 150);
const candidates = [...counts.entries()]
  .filter(([t, n]) => n >= min && t.length >= 3 && t.length <= 12 && !known.has(t) && !BAD_START.test(t))
  .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)
  .slice(0, top);
for (const [t, n] of candidates) console.log(`${String(n).padStart(4)}  ${t}`);
