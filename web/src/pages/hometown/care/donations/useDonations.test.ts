import { describe, expect, it } from 'vitest'
import type { FundLedger } from '@/api/care'
import { blankDonation, donationBody, donationTotals } from './useDonations'

const ledger: FundLedger = {
  years: [
    { year: 2025, donations: 2, raised_fen: 100_000 + 200_000, students: 0, disbursed_fen: 0, closing_fen: 300_000 },
    { year: 2026, donations: 1, raised_fen: 5_000_000_050, students: 0, disbursed_fen: 0, closing_fen: 5_000_300_050 },
  ],
  raised_fen: 5_000_300_050,
  disbursed_fen: 0,
  donations: 3,
  students: 0,
  balance_fen: 5_000_300_050,
}

describe('捐赠登记', () => {
  it("counts a year's donations, or all years', from the ledger", () => {
    expect(donationTotals(ledger, 2025)).toEqual({ donations: 2, yuan: '3,000.00', wan: '0.30' })
    expect(donationTotals(ledger, null)).toEqual({ donations: 3, yuan: '50,003,000.50', wan: '5,000.30' })
    expect(donationTotals(ledger, 2024)).toEqual({ donations: 0, yuan: '0.00', wan: '0.00' })
    expect(donationTotals(null, 2025)).toBeNull()
  })

  it('sends the receipt trimmed and no empty purpose', () => {
    const f = { ...blankDonation(12), donor_kind: 'person' as const, donor_name: '李先生', amount: '50,000', received_on: '2026-05-01', receipt_no: ' GA2026-101 ', purpose: ' ' }
    expect(donationBody(f)).toEqual({ org_id: 12, donor_kind: 'person', donor_name: '李先生', amount: '50,000', received_on: '2026-05-01', receipt_no: 'GA2026-101', purpose: null })
    expect(blankDonation().purpose).toBe('关爱工程助学')
  })
})
