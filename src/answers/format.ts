/** "2023-12-31" → "2023年12月31日". */
export function formatDateZh(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 1500 → "1500元"; 200000 → "20万元"; keeps fen when present. */
export function formatYuan(amount: number): string {
  if (amount >= 10000 && amount % 10000 === 0) return `${amount / 10000}万元`;
  return `${Number.isInteger(amount) ? amount : amount.toFixed(2)}元`;
}
