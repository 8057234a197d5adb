/**
 * The three ledgers (外出 / 回归 / 流入台账): one filter set, the paged list of the
 * current ledger, and the xlsx and PDF exports with the very same filters.
 */
import { computed, reactive, ref, type Ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { downloadFile } from '@/api/download'
import type { LedgerItem, Page } from '@/api/types'
import { usePagedList, type PageQuery } from '@/composables/usePagedList'

export type LedgerKind = 'outflow' | 'return' | 'inflow'

export const LEDGERS: { kind: LedgerKind; title: string; dateLabel: string; placeLabel: string }[] = [
  { kind: 'outflow', title: '外出党员台账', dateLabel: '外出日期', placeLabel: '外出地' },
  { kind: 'return', title: '回归党员台账', dateLabel: '回归日期', placeLabel: '原外出地' },
  { kind: 'inflow', title: '流入党员台账', dateLabel: '流入日期', placeLabel: '流出地' },
]

export interface LedgerFilters {
  org: number | null
  /** [province] or [province, city]. */
  region: string[]
  reason: string
  /** [from, to] as YYYY-MM-DD, or null. */
  dates: [string, string] | null
  q: string
}

export interface LedgerQuery {
  org?: number
  province?: string
  city?: string
  reason?: string
  from?: string
  to?: string
  q?: string
}

export function blankFilters(): LedgerFilters {
  return { org: null, region: [], reason: '', dates: null, q: '' }
}

/** Filters → the query the ledger endpoints (and their .xlsx twins) take; empty filters are left out. */
export function ledgerQuery(f: LedgerFilters): LedgerQuery {
  const q: LedgerQuery = {}
  if (f.org != null) q.org = f.org
  if (f.region[0]) q.province = f.region[0]
  if (f.region[1]) q.city = f.region[1]
  if (f.reason) q.reason = f.reason
  if (f.dates?.[0]) q.from = f.dates[0]
  if (f.dates?.[1]) q.to = f.dates[1]
  const name = f.q.trim()
  if (name) q.q = name
  return q
}

export function fetchLedger(kind: LedgerKind, query: LedgerQuery & Partial<PageQuery>): Promise<Page<LedgerItem>> {
  const params = { query }
  switch (kind) {
    case 'outflow':
      return unwrap(api.GET('/ledgers/outflow', { params }))
    case 'return':
      return unwrap(api.GET('/ledgers/return', { params }))
    case 'inflow':
      return unwrap(api.GET('/ledgers/inflow', { params }))
  }
}

export type ExportFormat = 'xlsx' | 'pdf'

/** The export's path and query: the list's filters, no paging, and the unmask reason when given. */
export function exportRequest(kind: LedgerKind, f: LedgerFilters, unmaskReason?: string, format: ExportFormat = 'xlsx') {
  const query: Record<string, unknown> = { ...ledgerQuery(f) }
  const reason = unmaskReason?.trim()
  if (reason) query.unmask_reason = reason
  const title = LEDGERS.find((l) => l.kind === kind)!.title
  return { path: `/ledgers/${kind}.${format}`, query, fallbackName: `${title}.${format}` }
}

export function useLedger(kind: Ref<LedgerKind>) {
  const filters = reactive<LedgerFilters>(blankFilters())
  const list = usePagedList<LedgerItem, LedgerFilters>((f, page) => fetchLedger(kind.value, { ...ledgerQuery(f), ...page }), filters)
  const info = computed(() => LEDGERS.find((l) => l.kind === kind.value)!)

  const exporting = ref(false)
  /** Downloads the ledger as xlsx or as a print-ready PDF. */
  async function exportFile(format: ExportFormat, unmaskReason?: string): Promise<string> {
    exporting.value = true
    try {
      const r = exportRequest(kind.value, filters, unmaskReason, format)
      return await downloadFile(r.path, r.query, r.fallbackName)
    } finally {
      exporting.value = false
    }
  }

  return { filters, list, info, exporting, exportFile }
}
