import { describe, expect, it } from 'vitest'
import { allowsChild, childKinds, defaultChildKind, mayHaveChildren } from './kinds'

const ALL = ['committee', 'general_branch', 'branch', 'joint_branch', 'liaison_center', 'party_group'].map((code) => ({ code, label: code }))
const codes = (parent: string | null) => childKinds(parent, ALL).map((k) => k.code)

describe('org kinds', () => {
  it('offers only 党小组 under a 党支部 or 联合党支部', () => {
    expect(codes('branch')).toEqual(['party_group'])
    expect(codes('joint_branch')).toEqual(['party_group'])
    expect(defaultChildKind('branch')).toBe('party_group')
  })

  it('offers everything under a 党总支, and no 党小组 under a committee', () => {
    expect(codes('general_branch')).toEqual(ALL.map((k) => k.code))
    expect(codes('committee')).not.toContain('party_group')
    expect(codes('liaison_center')).toContain('branch')
    expect(defaultChildKind('committee')).toBe('branch')
  })

  it('lets nothing sit under a 党小组', () => {
    expect(mayHaveChildren('party_group')).toBe(false)
    expect(mayHaveChildren('branch')).toBe(true)
    expect(codes('party_group')).toEqual([])
    expect(allowsChild('party_group', 'party_group')).toBe(false)
  })
})
