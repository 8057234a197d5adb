/**
 * 捐赠登记 (关爱工程): the donations my organisations raised for the care fund, by year and the
 * latest first, with the year's count and sum from the fund's ledger (the same scope); recording a
 * donation against its receipt; each one's thank-you letter (感谢信, PDF).
 */
import { reactive, ref, shallowRef, watch } from 'vue'
import { ElMessage } from 'element-plus'
import { api, cleanQuery, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import { fetchLedger, type Donation, type DonationInput, type DonationPage, type DonorKind, type FundLedger } from '@/api/care'
import { todayBeijing } from '@/api/hometown'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { fenToWan, fenToYuan } from '../../money'
import { thisYear } from '../aids/useAids'

export const PER_PAGE = 20

/** The count and sum of a year's donations (or all years'), from the ledger. */
export function donationTotals(ledger: FundLedger | null, year: number | null): { donations: number; yuan: string; wan: string } | null {
  if (!ledger) return null
  const y = year == null ? null : ledger.years.find((r) => r.year === year)
  const donations = year == null ? ledger.donations : (y?.donations ?? 0)
  const fen = year == null ? ledger.raised_fen : (y?.raised_fen ?? 0)
  return { donations, yuan: fenToYuan(fen), wan: fenToWan(fen) }
}

export function useDonations() {
  const filters = reactive<{ year: number | null; page: number }>({ year: thisYear(), page: 1 })
  const result = shallowRef<DonationPage | null>(null)
  const ledger = shallowRef<FundLedger | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const query = cleanQuery({ year: filters.year ?? undefined, page: filters.page, per_page: PER_PAGE })
      const [r, l] = await Promise.all([unwrap(api.GET('/care-donations', { params: { query } })), fetchLedger()])
      if (mine === seq) {
        result.value = r
        ledger.value = l
      }
    } catch (e) {
      if (mine === seq) error.value = errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  watch(() => filters.year, () => (filters.page === 1 ? load() : (filters.page = 1)))
  watch(() => filters.page, load)
  /** Voids a donation entered by mistake (the fund committee): kept in the list, no longer counted. */
  async function voidDonation(d: Donation, reason: string) {
    await unwrap(api.POST('/care-donations/{id}/void', { params: { path: { id: d.id } }, body: { reason } }))
    await load()
  }
  return { filters, result, ledger, loading, error, load, voidDonation }
}

export interface DonationFormState {
  org_id: number | null
  donor_kind: DonorKind
  donor_name: string
  amount: string
  received_on: string
  receipt_no: string
  purpose: string
}

export const DONATION_FIELDS = ['org_id', 'donor_kind', 'donor_name', 'amount', 'received_on', 'receipt_no', 'purpose']

export function blankDonation(org_id: number | null = null): DonationFormState {
  return { org_id, donor_kind: 'company', donor_name: '', amount: '', received_on: todayBeijing(), receipt_no: '', purpose: '关爱工程助学' }
}

/** The body of a donation (the server reads the amount in yuan as typed). */
export function donationBody(f: DonationFormState): DonationInput {
  return {
    org_id: f.org_id ?? 0,
    donor_kind: f.donor_kind,
    donor_name: f.donor_name,
    amount: f.amount,
    received_on: f.received_on,
    receipt_no: f.receipt_no.trim(),
    purpose: f.purpose.trim() || null,
  }
}

export function useDonationForm(onSaved: (d: Donation) => void) {
  const open = ref(false)
  const form = reactive<DonationFormState>(blankDonation())
  const errors = useFieldErrors()
  const saving = ref(false)
  function start(org_id: number | null = null) {
    Object.assign(form, blankDonation(org_id))
    errors.clear()
    open.value = true
  }
  async function submit() {
    errors.clear()
    if (form.org_id == null) {
      errors.fields.org_id = '请选择募集的党组织'
      return
    }
    saving.value = true
    try {
      const d = await unwrap(api.POST('/care-donations', { body: donationBody(form) }))
      open.value = false
      ElMessage.success(`已登记：${d.donor_name} 捐赠 ${d.amount} 元`)
      onSaved(d)
    } catch (e) {
      errors.apply(e, DONATION_FIELDS)
    } finally {
      saving.value = false
    }
  }
  return { open, form, errors, saving, start, submit }
}
