/**
 * An organisation's committee: the posts in office with the term, the posts held before, and the
 * three ways it changes — an election (换届, or its correction on the same day), a by-election
 * (补选) and a post that ends (离任). The server checks the rules (one secretary, full members only,
 * no committee below 7 full members, at most 7 on a branch committee).
 */
import { ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { errorMessage } from '@/api/errors'
import type { Committee, CommitteePostCode } from '@/api/types'
import { useFieldErrors } from '@/composables/useFieldErrors'

export const POSTS: { code: CommitteePostCode; label: string }[] = [
  { code: 'secretary', label: '书记' },
  { code: 'deputy_secretary', label: '副书记' },
  { code: 'organisation', label: '组织委员' },
  { code: 'publicity', label: '宣传委员' },
  { code: 'discipline', label: '纪检委员' },
  { code: 'member', label: '委员' },
]

export interface ElectionRow {
  post: CommitteePostCode
  member_id: number | null
}

/** The rows an election starts with: a secretary, and with 7 or more full members a committee of three. */
export function defaultRows(fullMembers: number): ElectionRow[] {
  const posts: CommitteePostCode[] = fullMembers >= 7 ? ['secretary', 'organisation', 'publicity'] : ['secretary']
  return posts.map((post) => ({ post, member_id: null }))
}

/** Local `YYYY-MM-DD` of a date. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

export function useCommittee(orgId: () => number) {
  const committee = ref<Committee | null>(null)
  const loading = ref(false)
  const error = ref('')
  const saving = ref(false)
  const errors = useFieldErrors()

  async function load() {
    loading.value = true
    error.value = ''
    try {
      committee.value = await unwrap(api.GET('/orgs/{id}/committee', { params: { path: { id: orgId() } } }))
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** Runs a change; true when saved (the committee is reloaded from the answer). */
  async function change(run: () => Promise<Committee>, fields: string[]): Promise<boolean> {
    errors.clear()
    saving.value = true
    try {
      committee.value = await run()
      return true
    } catch (e) {
      errors.apply(e, fields)
      return false
    } finally {
      saving.value = false
    }
  }

  function elect(elected_on: string | null, rows: ElectionRow[]) {
    const posts = rows.filter((r) => r.member_id !== null).map((r) => ({ member_id: r.member_id!, post: r.post }))
    return change(
      () => unwrap(api.POST('/orgs/{id}/committee/elections', { params: { path: { id: orgId() } }, body: { elected_on, posts } })),
      ['elected_on', 'posts'],
    )
  }

  function addPost(member_id: number | null, post: CommitteePostCode, since: string | null) {
    return change(
      () =>
        unwrap(
          api.POST('/orgs/{id}/committee/posts', {
            params: { path: { id: orgId() } },
            body: { member_id: member_id ?? 0, post, since },
          }),
        ),
      ['member_id', 'post', 'since', 'posts'],
    )
  }

  function endPost(postId: number, until: string | null) {
    return change(() => unwrap(api.POST('/committee-posts/{id}/end', { params: { path: { id: postId } }, body: { until } })), ['until'])
  }

  return { committee, loading, error, saving, errors, load, elect, addPost, endPost }
}
