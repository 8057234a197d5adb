/**
 * One campaign (评选表彰详情): its detail, and the manager's steps — starting the public notice,
 * the award after it (a dialog with the day), the published list as xlsx or PDF.
 */
import { ref, shallowRef, type Ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError, errorMessage } from '@/api/errors'
import { awardCampaign, downloadList, fetchCampaign, fetchHonourSettings, startNotice, type CampaignDetail } from '@/api/honours'
import { todayBeijing } from '@/api/hometown'
import { useDialogForm } from '@/composables/useDialogForm'
import { awardFrom, listTitle, noticeBlockers } from './honours'

export function useCampaign(id: Ref<number>) {
  const detail = shallowRef<CampaignDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const d = await fetchCampaign(id.value)
      if (mine === seq) detail.value = d
    } catch (e) {
      if (mine !== seq) return
      detail.value = null
      error.value = e instanceof ApiError && (e.status === 403 || e.status === 404) ? '表彰活动不存在或无权查看' : errorMessage(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  const noticeBusy = ref(false)
  /** Publishes the recommended nominations after asking (the server says what still blocks it). */
  async function notice() {
    const d = detail.value
    if (!d) return
    const blocked = noticeBlockers(d)
    if (blocked) {
      ElMessage.warning(blocked)
      return
    }
    const days = await fetchHonourSettings().catch(() => null)
    const count = d.nominations.filter((n) => n.status === 'recommended').length
    try {
      await ElMessageBox.confirm(
        `将审核通过的 ${count} 条推荐从今天起公示${days ? ` ${days} 个工作日` : ''}。公示开始后不再接受推荐，名额也不能再调整。`,
        '开始公示',
        { confirmButtonText: '开始公示', cancelButtonText: '取消', type: 'warning' },
      )
    } catch {
      return
    }
    noticeBusy.value = true
    try {
      detail.value = await startNotice(d.campaign.id)
      ElMessage.success(`已开始公示，至 ${detail.value.campaign.notice_until ?? ''}`)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      noticeBusy.value = false
    }
  }

  const award = useDialogForm({
    blank: () => ({ on: todayBeijing() }),
    check: (f) => (f.on ? {} : { on: '请选择表彰日期' }),
    send: (f) => awardCampaign(id.value, f.on),
    fields: ['on'],
    onSaved: (d) => {
      detail.value = d
      ElMessage.success(`已表彰：${d.published.filter((p) => p.status === 'awarded').length} 名（个）`)
    },
  })
  function startAward() {
    const from = awardFrom(detail.value?.campaign.notice_until)
    const today = todayBeijing()
    award.open({ on: from && from > today ? from : today })
  }

  const exporting = ref(false)
  async function exportList(format: 'xlsx' | 'pdf') {
    const c = detail.value?.campaign
    if (!c) return
    exporting.value = true
    try {
      const name = await downloadList(c, format)
      ElMessage.success(`已导出${listTitle(c.status)}：${name}`)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      exporting.value = false
    }
  }

  return { detail, loading, error, load, noticeBusy, notice, award, startAward, exporting, exportList }
}
