/**
 * 外出报备: the reports members sent from the portal, waiting for their home branch. Confirming one
 * writes the outflow into the ledger (POST /outflow-reports/{id}/confirm); declining needs a reason
 * the member sees.
 */
import { reactive } from 'vue'
import { api, cleanQuery, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { usePagedList } from '@/composables/usePagedList'

export type OutflowReport = components['schemas']['OutflowReportView']

export interface ReportFilters {
  /** '' all, or proposed | confirmed | declined. */
  status: '' | 'proposed' | 'confirmed' | 'declined'
}

export function useOutflowReports() {
  const filters = reactive<ReportFilters>({ status: 'proposed' })
  const list = usePagedList<OutflowReport, ReportFilters>(
    (f, page) =>
      unwrap(api.GET('/outflow-reports', { params: { query: { ...cleanQuery({ status: f.status || undefined }), ...page } } })),
    filters,
  )

  async function confirm(r: OutflowReport) {
    return unwrap(api.POST('/outflow-reports/{id}/confirm', { params: { path: { id: r.id } }, body: {} }))
  }

  async function decline(r: OutflowReport, reason: string) {
    return unwrap(api.POST('/outflow-reports/{id}/decline', { params: { path: { id: r.id } }, body: { reason } }))
  }

  return { filters, list, confirm, decline }
}
