import { computed, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, unwrap } from '@/api/client'
import { errorMessage, ApiError } from '@/api/errors'
import { fetchChildren, fetchOrg, fetchRoots, searchOrgs } from '@/api/orgs'
import type { Org } from '@/api/types'

/** "/1/7/12/" → [1, 7, 12] */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isFinite(n))
}

export function useOrgTree() {
  const route = useRoute()
  const router = useRouter()
  const selected = shallowRef<Org | null>(null)
  const detailLoading = ref(false)
  const detailError = ref('')
  const treeKey = ref(0)
  const expanded = ref<number[]>([])
  const rootIds = ref<number[]>([])
  const loadError = ref('')

  const query = ref('')
  const results = ref<Org[]>([])
  const searching = ref(false)
  const searchError = ref('')

  // Move dialog.
  const moveVisible = ref(false)
  const moveTarget = ref<number | null>(null)
  const moving = ref(false)
  const moveError = ref('')

  async function loadNode(node: { level: number; data: unknown }, resolve: (data: Org[]) => void) {
    try {
      if (node.level === 0) {
        const roots = (await fetchRoots()).items
        rootIds.value = roots.map((o) => o.id)
        resolve(roots)
        // Nothing chosen yet: show the first root.
        if (!selected.value && !route.query.id && roots[0]) void select(roots[0].id)
      } else {
        resolve((await fetchChildren((node.data as Org).id)).items)
      }
      loadError.value = ''
    } catch (e) {
      loadError.value = errorMessage(e)
      resolve([])
    }
  }

  function onExpand(o: Org) {
    if (!expanded.value.includes(o.id)) expanded.value = [...expanded.value, o.id]
  }
  function onCollapse(o: Org) {
    expanded.value = expanded.value.filter((id) => id !== o.id)
  }

  /** Rebuilds the tree, keeping what was open and opening the way to the selected org. */
  function rebuild() {
    const way = selected.value ? pathIds(selected.value.path).filter((id) => id !== selected.value!.id) : []
    expanded.value = [...new Set([...expanded.value, ...way])]
    treeKey.value++
  }

  async function select(id: number, opts: { reveal?: boolean } = {}) {
    detailLoading.value = true
    detailError.value = ''
    try {
      selected.value = await fetchOrg(id)
      if (route.query.id !== String(id)) void router.replace({ query: { ...route.query, id: String(id) } })
      if (opts.reveal) rebuild()
    } catch (e) {
      detailError.value = e instanceof ApiError && (e.status === 404 || e.status === 403) ? '无权访问或不存在' : errorMessage(e)
      selected.value = null
    } finally {
      detailLoading.value = false
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0
  watch(query, (q) => {
    clearTimeout(timer)
    if (!q.trim()) {
      results.value = []
      searchError.value = ''
      return
    }
    searching.value = true
    timer = setTimeout(async () => {
      const mine = ++seq
      try {
        const page = await searchOrgs(q.trim(), { perPage: 50 })
        if (mine === seq) results.value = page.items
        searchError.value = ''
      } catch (e) {
        if (mine === seq) searchError.value = errorMessage(e)
      } finally {
        if (mine === seq) searching.value = false
      }
    }, 250)
  })

  async function pickResult(o: Org) {
    query.value = ''
    await select(o.id, { reveal: true })
  }

  async function afterSaved(org: Org, mode: 'create' | 'edit') {
    ElMessage.success(mode === 'create' ? `已创建“${org.name}”` : '已保存')
    await select(org.id)
    rebuild()
  }

  function openMove() {
    moveTarget.value = null
    moveError.value = ''
    moveVisible.value = true
  }

  async function confirmMove() {
    if (!selected.value) return
    if (moveTarget.value == null) {
      moveError.value = '请选择新的上级组织'
      return
    }
    moving.value = true
    moveError.value = ''
    try {
      const org = await unwrap(
        api.POST('/orgs/{id}/move', { params: { path: { id: selected.value.id } }, body: { new_parent_id: moveTarget.value } }),
      )
      moveVisible.value = false
      ElMessage.success('已移动')
      selected.value = org
      await select(org.id)
      rebuild()
    } catch (e) {
      moveError.value = e instanceof ApiError ? (Object.values(e.errors)[0]?.[0] ?? e.summary) : errorMessage(e)
    } finally {
      moving.value = false
    }
  }

  async function dissolve() {
    const org = selected.value
    if (!org) return
    try {
      await ElMessageBox.confirm(`确定撤销“${org.name}”吗？撤销后该组织将标记为已撤销。`, '撤销组织', {
        type: 'warning',
        confirmButtonText: '撤销',
        cancelButtonText: '取消',
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    try {
      await unwrap(api.POST('/orgs/{id}/dissolve', { params: { path: { id: org.id } } }))
      ElMessage.success('已撤销')
      await select(org.id)
      rebuild()
    } catch (e) {
      await ElMessageBox.alert(e instanceof ApiError ? e.summary : errorMessage(e), '无法撤销', { type: 'error' }).catch(() => {})
    }
  }

  const movingIds = computed(() => (selected.value ? [selected.value.id] : []))

  async function init() {
    const id = Number(route.query.id)
    if (Number.isInteger(id) && id > 0) await select(id, { reveal: true })
  }

  return {
    selected,
    detailLoading,
    detailError,
    treeKey,
    expanded,
    rootIds,
    loadError,
    query,
    results,
    searching,
    searchError,
    moveVisible,
    moveTarget,
    moving,
    moveError,
    movingIds,
    loadNode,
    onExpand,
    onCollapse,
    select,
    pickResult,
    afterSaved,
    openMove,
    confirmMove,
    dissolve,
    init,
  }
}
