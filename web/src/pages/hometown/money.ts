/**
 * Money of 回乡工程: the server sends fen (integers); the pages show 万元 with two decimals, rounded
 * half up at the last digit as the server's `wan_yuan` does. Integer arithmetic only (BigInt): a sum
 * of fen is exact, and 万元 is derived from it, never added up as decimals.
 */

const FEN_PER_HUNDREDTH_WAN = 10_000n // 1 万元 = 1,000,000 fen; 0.01 万元 = 10,000 fen.

function toBig(fen: number | bigint): bigint {
  if (typeof fen === 'bigint') return fen
  if (!Number.isSafeInteger(fen)) throw new RangeError(`金额不是整数分：${fen}`)
  return BigInt(fen)
}

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Hundredths of 万元 in a fen amount, rounded half up (away from zero for negatives). */
function hundredthsOfWan(fen: number | bigint): bigint {
  const f = toBig(fen)
  const abs = f < 0n ? -f : f
  const h = (abs + FEN_PER_HUNDREDTH_WAN / 2n) / FEN_PER_HUNDREDTH_WAN
  return f < 0n ? -h : h
}

/** 123456789000 fen → "123,456.79" (万元, thousands separated, two decimals). */
export function fenToWan(fen: number | bigint | null | undefined): string {
  if (fen == null) return '—'
  const h = hundredthsOfWan(fen)
  const abs = h < 0n ? -h : h
  const int = (abs / 100n).toString()
  const dec = (abs % 100n).toString().padStart(2, '0')
  return `${h < 0n ? '-' : ''}${grouped(int)}.${dec}`
}

/**
 * The same 万元 as a number for a chart's axis: the exact decimal text read once, so 0.1 + 0.2 万元
 * shows as 0.30 (the fen were added, not the decimals).
 */
export function wanValue(fen: number | bigint): number {
  return Number(fenToWan(fen).replace(/,/g, ''))
}

/** A chart value in 万元 (already two decimals) for a label or tooltip: 12345.6 → "12,345.60". */
export function formatWan(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—'
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The exact sum of fen amounts (throws past Number's safe integers rather than drift). */
export function sumFen(values: (number | null | undefined)[]): number {
  const s = values.reduce<bigint>((acc, v) => acc + (v == null ? 0n : toBig(v)), 0n)
  if (s > BigInt(Number.MAX_SAFE_INTEGER) || s < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('金额合计过大')
  return Number(s)
}

/** fen → yuan text for an input ("30000000.5" is shown as "30,000,000.50"). */
export function fenToYuan(fen: number | bigint): string {
  const f = toBig(fen)
  const abs = f < 0n ? -f : f
  return `${f < 0n ? '-' : ''}${grouped((abs / 100n).toString())}.${(abs % 100n).toString().padStart(2, '0')}`
}

/**
 * Yuan as people type it ("12,000,000.50", "3000", "￥3000元") → fen, or null when it is no amount
 * (the server checks it again and says why). Read digit by digit: "0.1" is 10 fen exactly.
 */
export function yuanToFen(text: string): number | null {
  let t = text.trim().replace(/，/g, ',').replace(/\s+/g, '')
  t = t.replace(/^[￥¥]/, '').replace(/元$/, '')
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(t)
  if (!m) return null
  const fen = BigInt(m[1].replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen)
}
