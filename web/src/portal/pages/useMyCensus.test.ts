import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, json, problem } from '@/test-utils'
import { answerBody, answerForm, checkAnswer, questionState, useMyCensus } from './useMyCensus'

afterEach(() => vi.unstubAllGlobals())

const question = (over: Record<string, unknown> = {}) => ({
  entry_id: 9,
  campaign_id: 3,
  campaign: '2026年第四季度流动党员摸排',
  asked_by: '中共吴川市委员会',
  answered_at: null as string | null,
  answered_by_self: false,
  current_place: null as string | null,
  current_employer: null as string | null,
  needs: null as string | null,
  ...over,
})

describe('a census question on the phone', () => {
  it('is open, answered by the member (who may change it) or recorded by the branch', () => {
    expect(questionState(question())).toBe('open')
    expect(questionState(question({ answered_at: '2026-12-07T02:00:00Z', answered_by_self: true }))).toBe('mine')
    expect(questionState(question({ answered_at: '2026-12-07T02:00:00Z' }))).toBe('branch')
  })

  it('needs only where the member is; blanks go as null', () => {
    expect(checkAnswer(answerForm())).toEqual({ current_place: '请填写现所在地' })
    expect(checkAnswer({ ...answerForm(), current_place: '  ' })).toEqual({ current_place: '请填写现所在地' })
    expect(answerBody({ current_place: ' 广州市天河区 ', current_employer: '', needs: ' ', note: '一切都好' })).toEqual({
      current_place: '广州市天河区',
      current_employer: null,
      needs: null,
      note: '一切都好',
    })
    expect(answerForm(question({ current_place: '广州市', current_employer: '某公司' }))).toEqual({
      current_place: '广州市',
      current_employer: '某公司',
      needs: '',
      note: '',
    })
  })

  it('answers, shows field errors from the server, and turns read-only once the branch has recorded it (409)', async () => {
    let answer: 'ok' | '422' | '409' = '422'
    let branchRecorded = false
    const { calls } = fakeFetch({
      'GET /api/v1/me/census': () =>
        json(200, [branchRecorded ? question({ answered_at: '2026-12-07T03:00:00Z', current_place: '广州市白云区' }) : question()]),
      'PUT /api/v1/me/census/9': (req) => {
        if (answer === '422') return problem(422, { title: '提交的内容有误', errors: { current_place: ['现所在地不能超过 100 个字'] } })
        if (answer === '409') {
          branchRecorded = true
          return problem(409, { title: '党支部已登记了这次摸排，如有变化请直接联系党支部' })
        }
        const b = req.body as { current_place: string }
        return json(200, question({ answered_at: '2026-12-07T02:00:00Z', answered_by_self: true, current_place: b.current_place }))
      },
    })
    const c = useMyCensus()
    await c.load()
    const q = c.questions.value[0]!
    expect(await c.submit(q)).toBe(false)
    expect(c.uiOf(q).errors).toEqual({ current_place: '请填写现所在地' })
    expect(calls.filter((x) => x.method === 'PUT')).toHaveLength(0)

    c.uiOf(q).form.current_place = '广州'.repeat(60)
    expect(await c.submit(q)).toBe(false)
    expect(c.uiOf(q).errors.current_place).toBe('现所在地不能超过 100 个字')
    c.clearError(q, 'current_place')
    expect(c.uiOf(q).errors).toEqual({})

    answer = 'ok'
    c.uiOf(q).form.current_place = '广州市天河区'
    c.uiOf(q).form.note = '工作顺利'
    expect(await c.submit(q)).toBe(true)
    expect(c.uiOf(q).thanked).toBe(true)
    const mine = c.questions.value[0]!
    expect(questionState(mine)).toBe('mine')
    expect(mine.current_place).toBe('广州市天河区')
    expect(calls.filter((x) => x.method === 'PUT').at(-1)?.body).toEqual({ current_place: '广州市天河区', current_employer: null, needs: null, note: '工作顺利' })

    // 修改: the answer comes back into the form (the note is not kept with it).
    c.edit(mine)
    expect(c.uiOf(mine).form).toEqual({ current_place: '广州市天河区', current_employer: '', needs: '', note: '' })
    answer = '409'
    expect(await c.submit(mine)).toBe(false)
    expect(c.uiOf(mine).message).toBe('党支部已登记了这次摸排，如有变化请直接联系党支部')
    expect(c.uiOf(mine).editing).toBe(false)
    expect(questionState(c.questions.value[0]!)).toBe('branch')
    expect(c.questions.value[0]!.current_place).toBe('广州市白云区')
  })
})
