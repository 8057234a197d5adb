/**
 * What a row of transfers offers that needs no form: 接收 (after a confirmation) and the downloads
 * (介绍信 of a letter out, 回执 of a letter in). Shared by the page and the member's 转接记录.
 */
import { ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { errorMessage } from '@/api/errors'
import { acceptTransfer, downloadLetter, downloadReceipt, type Transfer } from '@/api/transfers'

export function useTransferActions(onChanged: (t: Transfer) => void) {
  /** The row being accepted or downloaded (its button spins). */
  const busy = ref<string>('')

  async function accept(t: Transfer) {
    try {
      await ElMessageBox.confirm(
        `接收后，${t.member_name} 的组织关系即由“${t.from_name}”转入“${t.to_name}”，由接收组织管理。`,
        '接收转接',
        { confirmButtonText: '接收', cancelButtonText: '取消', type: 'info' },
      )
    } catch {
      return // cancelled
    }
    busy.value = `accept-${t.id}`
    try {
      const r = await acceptTransfer(t.id)
      ElMessage.success(`已接收 ${r.member_name}，组织关系已转入“${r.to_name}”`)
      onChanged(r)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      busy.value = ''
    }
  }

  async function download(t: Transfer) {
    const what = t.kind === 'letter_in' ? 'receipt' : 'letter'
    busy.value = `${what}-${t.id}`
    try {
      const name = what === 'letter' ? await downloadLetter(t) : await downloadReceipt(t)
      ElMessage.success(`已下载：${name}`)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      busy.value = ''
    }
  }

  return { busy, accept, download }
}
