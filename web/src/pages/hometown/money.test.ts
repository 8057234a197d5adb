import { describe, expect, it } from 'vitest'
import { fenToWan, fenToYuan, formatWan, sumFen, wanValue, yuanToFen } from './money'

describe('回乡工程 money', () => {
  it('shows fen in 万元 with two decimals, rounded half up as the server does', () => {
    expect(fenToWan(0)).toBe('0.00')
    expect(fenToWan(1_000_000)).toBe('1.00')
    expect(fenToWan(123_456_789_000)).toBe('123,456.79')
    expect(fenToWan(4_999)).toBe('0.00')
    expect(fenToWan(5_000)).toBe('0.01')
    expect(fenToWan(10_000_000_000_000)).toBe('10,000,000.00') // 1000 亿元, the largest amount a lead may name
    expect(fenToWan(null)).toBe('—')
  })

  it('adds fen, not decimals', () => {
    const fen = [100_000, 200_000] // 0.1 and 0.2 万元
    expect(wanValue(fen[0]) + wanValue(fen[1])).not.toBe(0.3)
    expect(fenToWan(sumFen(fen))).toBe('0.30')
    expect(wanValue(sumFen(fen))).toBe(0.3)
    expect(sumFen([1, null, 2, undefined])).toBe(3)
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow()
    expect(() => sumFen([0.5])).toThrow()
  })

  it('reads yuan as typed, exactly', () => {
    expect(yuanToFen('12,000,000.50')).toBe(1_200_000_050)
    expect(yuanToFen('3000')).toBe(300_000)
    expect(yuanToFen(' ￥3000元 ')).toBe(300_000)
    expect(yuanToFen('0.1')).toBe(10)
    expect(yuanToFen('1,2345')).toBeNull()
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('3000万')).toBeNull()
    expect(yuanToFen('')).toBeNull()
  })

  it('writes fen back as yuan for a form', () => {
    expect(fenToYuan(3_000_000_000)).toBe('30,000,000.00')
    expect(fenToYuan(1_200_000_050)).toBe('12,000,000.50')
    expect(yuanToFen(fenToYuan(987_654_321))).toBe(987_654_321)
  })

  it('formats a chart value', () => {
    expect(formatWan(123456.7)).toBe('123,456.70')
    expect(formatWan(null)).toBe('—')
  })
})
