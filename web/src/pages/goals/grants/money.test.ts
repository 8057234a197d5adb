import { describe, expect, it } from 'vitest'
import { checklistPercent, fenToYuan, hundredths, isQuarter, quarterOf, yuanToFen } from './money'

describe('money and points', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(fenToYuan(1000000)).toBe('10,000.00')
    expect(fenToYuan(30)).toBe('0.30')
    expect(fenToYuan(123456789)).toBe('1,234,567.89')
    expect(fenToYuan(0)).toBe('0.00')
  })

  it('reads yuan text exactly', () => {
    expect(yuanToFen('6000')).toBe(600000)
    expect(yuanToFen('6,000.5')).toBe(600050)
    expect(yuanToFen(' 0.3 ')).toBe(30)
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
    expect(yuanToFen('')).toBeNull()
  })

  it('shows hundredths with two decimals', () => {
    expect(hundredths(8750)).toBe('87.50')
    expect(hundredths(9190)).toBe('91.90')
    expect(hundredths(5)).toBe('0.05')
    expect(hundredths(null)).toBe('—')
  })

  it('names quarters', () => {
    expect(quarterOf(new Date(2026, 10, 27))).toBe('2026-Q4')
    expect(quarterOf(new Date(2026, 0, 1))).toBe('2026-Q1')
    expect(isQuarter('2026-Q3')).toBe(true)
    expect(isQuarter('2026-Q5')).toBe(false)
    expect(isQuarter('2026-3')).toBe(false)
  })

  it('counts a checklist', () => {
    expect(checklistPercent([{ done: true }, { done: false }, { done: true }, {}])).toBe(50)
    expect(checklistPercent([])).toBe(0)
  })
})
