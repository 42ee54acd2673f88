/**
 * Regions the rules know and the order in which a value is looked up.
 *
 * Fallback: 平顶山市 → 河南省 → 全国; 河南省 → 全国; 济宁市 → 全国.
 * 济宁 is in 山东省, whose provincial texts are not in the knowledge base, so a 济宁 question never
 * falls back to Henan's rules: it gets 济宁's own document and national rules only.
 */
import type { Region } from '../core/types.js';
import { REGIONS } from '../core/types.js';

const FALLBACK: Record<Region, readonly Region[]> = {
  全国: ['全国'],
  河南省: ['河南省', '全国'],
  平顶山市: ['平顶山市', '河南省', '全国'],
  济宁市: ['济宁市', '全国'],
};

export function fallbackChain(region: Region): readonly Region[] {
  return FALLBACK[region];
}

/** Counties and districts of 平顶山市 (as listed in 平人社办〔2023〕73号 四、). */
const PINGDINGSHAN_PARTS = [
  '汝州市', '汝州', '舞钢市', '舞钢', '宝丰县', '宝丰', '郏县', '郟县', '郏', '鲁山县', '鲁山', '叶县',
  '新华区', '新华', '卫东区', '卫东', '湛河区', '湛河', '石龙区', '石龙', '新城区', '城乡一体化示范区', '高新区',
];

const ALIASES: Record<string, Region> = {
  全国: '全国',
  国家: '全国',
  河南: '河南省',
  河南省: '河南省',
  平顶山: '平顶山市',
  平顶山市: '平顶山市',
  鹰城: '平顶山市',
  济宁: '济宁市',
  济宁市: '济宁市',
};

/** Maps what a user or client sends ("平顶山", "叶县", "济宁") to a Region, or null when unknown. */
export function normalizeRegion(input: string): Region | null {
  const s = input.replace(/\s+/g, '');
  if ((REGIONS as readonly string[]).includes(s)) return s as Region;
  const alias = ALIASES[s];
  if (alias) return alias;
  const bare = s.replace(/^(河南省?)/, '').replace(/^(平顶山市?)/, '');
  if (PINGDINGSHAN_PARTS.includes(bare) && bare.length > 0) return '平顶山市';
  return null;
}

export const ACCEPTED_REGION_NAMES = '平顶山市（含所辖县市区）、河南省、济宁市、全国';
