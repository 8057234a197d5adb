#!/usr/bin/env node
// A stand-in for `honglian serve --demo`, in memory, following the API contract.
// It exists so the UI and the e2e script can be exercised before (or without) the
// Rust binary: `HONGLIAN_BIN=e2e/mock-server.mjs npm run e2e`. It is not the
// backend; when the two disagree, the real server and docs/openapi.json win.
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const listen = (args[args.indexOf('--listen') + 1] ?? '127.0.0.1:8080').split(':')
const HOST = listen[0]
const PORT = Number(listen[1])
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const PASSWORD = 'Demo@2026!'

// ---------------------------------------------------------------- dictionaries
const ORG_KINDS = {
  committee: '党委', work_committee: '两新工委', park_committee: '综合党委', regional_org: '区域性党组织',
  industry_committee: '行业党委', general_branch: '党总支', branch: '党支部', joint_branch: '联合党支部',
  liaison_center: '党建联络中心', chain_alliance: '产业链党建联盟', party_group: '党小组',
}
/** OrgKind::allows_child: branches hold only party groups; party groups hold nothing. */
function allowsChild(parent, child) {
  if (parent === 'party_group') return false
  if (parent === 'branch' || parent === 'joint_branch') return child === 'party_group'
  if (parent === 'general_branch') return true
  return child !== 'party_group'
}
const HOST_KINDS = {
  chamber: '商会', enterprise: '企业', social_org: '社会组织', building: '楼宇', business_district: '商圈',
  market: '市场', park: '园区', village: '村/社区', none: '无',
}
const STATUSES = { normal: '正常', suspended: '停止党籍', left: '已出党', deceased: '已故', transferred_out: '已转出' }
const CATEGORIES = { full: '正式党员', probationary: '预备党员' }
const GENDERS = { male: '男', female: '女' }
const EDUCATIONS = { junior: '初中', senior: '高中/中专', college: '大专', bachelor: '本科', master: '硕士研究生' }
const TAGS = ['新就业群体', '先锋岗', '党员经营户', '流动党员', '乡贤', '退役军人']
const REGIONS = [
  { code: '440000', name: '广东省', children: [
    { code: '440100', name: '广州市', children: [{ code: '440106', name: '天河区', children: [] }, { code: '440104', name: '越秀区', children: [] }] },
    { code: '440300', name: '深圳市', children: [{ code: '440304', name: '福田区', children: [] }] },
    { code: '440800', name: '湛江市', children: [{ code: '440883', name: '吴川市', children: [] }] },
    { code: '441900', name: '东莞市', children: [] },
  ] },
  { code: '370000', name: '山东省', children: [
    { code: '370800', name: '济宁市', children: [{ code: '370828', name: '金乡县', children: [] }] },
  ] },
  { code: '310000', name: '上海市', children: [{ code: '310100', name: '市辖区', children: [{ code: '310115', name: '浦东新区', children: [] }] }] },
]
const ROLES = {
  county_admin: ['县级管理员', ['org.read', 'org.write', 'member.read', 'member.write', 'member.unmask']],
  org_admin: ['党务工作者', ['org.read', 'org.write', 'member.read', 'member.write', 'member.unmask']],
  instructor: ['党建指导员', ['org.read', 'member.read']],
  member: ['党员', ['member.self']],
  system_admin: ['系统管理员', ['system.settings']],
  security_admin: ['安全管理员', ['user.read', 'user.write']],
  audit_admin: ['审计管理员', ['audit.read']],
}

function regionName(codes) {
  const names = []
  let level = REGIONS
  for (const c of codes) {
    const r = c && level?.find((x) => x.code === c)
    if (!r) break
    names.push(r.name)
    level = r.children
  }
  return names.join(' ')
}

// ---------------------------------------------------------------- data
let nextId = 100
const orgs = new Map()
function addOrg(id, parentId, name, kind, hostKind, hostName, region, extra = {}) {
  const parent = parentId ? orgs.get(parentId) : null
  const o = {
    id, parent_id: parentId, path: `${parent ? parent.path : '/'}${id}/`, name, kind, host_kind: hostKind, host_name: hostName,
    province_code: region[0] ?? null, city_code: region[1] ?? null, county_code: region[2] ?? null,
    secretary: extra.secretary ?? null, founded_on: extra.founded_on ?? null, contact: extra.contact ?? null, status: 'active',
  }
  orgs.set(id, o)
  return o
}
addOrg(1, null, '中共吴川市委两新组织工作委员会', 'work_committee', 'none', null, ['440000', '440800', '440883'], { secretary: '陈志强', founded_on: '2012-06-28' })
addOrg(2, 1, '吴川市广州商会党支部', 'branch', 'chamber', '吴川市广州商会', ['440000', '440100', '440106'], { secretary: '李卫东', founded_on: '2016-07-01', contact: '020-8888 0001' })
addOrg(3, 1, '吴川市深圳商会党支部', 'branch', 'chamber', '吴川市深圳商会', ['440000', '440300', '440304'], { secretary: '杨海', founded_on: '2017-03-15' })
addOrg(4, 1, '吴川市东莞商会党支部', 'branch', 'chamber', '吴川市东莞商会', ['440000', '441900'], { secretary: '梁国华' })
addOrg(5, 1, '吴川市驻上海党建联络中心', 'liaison_center', 'chamber', '上海吴川商会', ['310000', '310100', '310115'])
addOrg(10, null, '中共金乡县委两新组织工作委员会', 'work_committee', 'none', null, ['370000', '370800', '370828'], { secretary: '王建国' })
addOrg(11, 10, '金乡经济开发区综合党委', 'park_committee', 'park', '金乡经济开发区', ['370000', '370800', '370828'])
addOrg(12, 10, '金乡县大蒜产业链党建联盟', 'chain_alliance', 'none', null, ['370000', '370800', '370828'])
addOrg(13, 11, '山东金乡大蒜食品有限公司党支部', 'branch', 'enterprise', '山东金乡大蒜食品有限公司', ['370000', '370800', '370828'])
addOrg(14, 10, '金乡县商贸城市场党支部', 'branch', 'market', '金乡县商贸城', ['370000', '370800', '370828'])

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkDigit = (s) => '10X98765432'[WEIGHTS.reduce((a, w, i) => a + w * Number(s[i]), 0) % 11]
const withCheck = (s17) => s17 + checkDigit(s17)

const members = new Map()
function addMember(orgId, name, gender, id17, phone, address, joined, category = 'full', tags = [], extra = {}) {
  const id = nextId++
  const id_number = withCheck(id17)
  const now = new Date().toISOString()
  members.set(id, {
    id, org_id: orgId, name, gender, ethnicity: '汉族', birth_date: `${id17.slice(6, 10)}-${id17.slice(10, 12)}-${id17.slice(12, 14)}`,
    id_number, phone, address, education: extra.education ?? 'bachelor', occupation: extra.occupation ?? null, employer: extra.employer ?? null,
    joined_on: joined, category, full_on: category === 'full' ? extra.full_on ?? null : null, tags, status: extra.status ?? 'normal',
    created_at: now, updated_at: now,
  })
}
addMember(2, '李卫东', 'male', '44088319750312003', '13800138001', '广东省广州市天河区体育西路 100 号', '2001-07-01', 'full', ['流动党员', '党员经营户'], { occupation: '企业主', employer: '广州吴川建材有限公司' })
addMember(2, '陈美玲', 'female', '44088319880921004', '13912345678', '广东省广州市越秀区中山五路 8 号', '2012-06-20', 'full', ['流动党员'], { occupation: '会计' })
addMember(2, '吴志明', 'male', '44088319950105005', '13688886666', '广东省广州市天河区珠江新城', '2025-06-01', 'probationary', ['新就业群体'], { occupation: '外卖骑手' })
addMember(3, '杨海', 'male', '44088319800808006', '13533334444', '广东省深圳市福田区', '2005-05-04', 'full', ['流动党员', '先锋岗'])
addMember(4, '梁国华', 'male', '44088319700101007', '13711112222', '广东省东莞市南城街道', '1998-07-01', 'full', ['乡贤'], { status: 'normal' })
addMember(1, '陈志强', 'male', '44088319720615008', '13600001111', '广东省吴川市梅菉街道', '1995-07-01', 'full', [])
addMember(13, '王芳', 'female', '37082819900303009', '15866667777', '山东省金乡县金乡街道', '2014-07-01', 'full', ['先锋岗'], { employer: '山东金乡大蒜食品有限公司' })
addMember(13, '张强', 'male', '37082819850505010', '15855556666', '山东省金乡县鸡黍镇', '2010-07-01', 'full', ['党员经营户'])
addMember(14, '刘洋', 'male', '37082819930909011', '15844443333', '山东省金乡县王丕街道', '2024-12-01', 'probationary', [])

const users = new Map()
function addUser(id, username, display_name, grants) {
  users.set(id, {
    id, username, display_name, password: PASSWORD, disabled: false, must_change_password: false, member_id: null,
    failures: 0, locked_until: 0, created_at: '2026-01-01T00:00:00Z', grants: grants.map(([role, org_id]) => ({ id: nextId++, role, org_id })),
  })
}
addUser(1, 'wuchuan_admin', '吴川市委组织部管理员', [['county_admin', 1]])
addUser(2, 'jinxiang_admin', '金乡县委组织部管理员', [['county_admin', 10]])
addUser(3, 'gz_branch', '广州商会党支部党务工作者', [['org_admin', 2]])
addUser(4, 'instructor', '党建指导员', [['instructor', 1]])
addUser(5, 'member_demo', '党员（演示）', [['member', null]])
addUser(6, 'sysadmin', '系统管理员', [['system_admin', null]])
addUser(7, 'secadmin', '安全管理员', [['security_admin', null]])
addUser(8, 'auditor', '审计管理员', [['audit_admin', null]])

const sessions = new Map() // token -> { id, user_id, csrf, created_at, last_seen_at, ip, ua }
const SYSTEM_ROLES = ['system_admin', 'security_admin', 'audit_admin']
const audit = []

// ---------------------------------------------------------------- helpers
const mask = {
  id: (s) => (s ? s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4) : s),
  phone: (s) => (s ? s.slice(0, 3) + '****' + s.slice(-4) : s),
  address: (s) => (s ? s.slice(0, 6) + '****' : s),
}
class Problem extends Error {
  constructor(status, title, extra = {}) {
    super(title)
    this.status = status
    this.extra = { code: { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 422: 'validation', 423: 'locked' }[status] ?? 'error', ...extra }
  }
}
const fail = (status, title, extra) => {
  throw new Problem(status, title, extra)
}
const perms = (u) => [...new Set(u.grants.flatMap((g) => ROLES[g.role][1]))]
const can = (u, p) => perms(u).includes(p)
const scopePaths = (u) => u.grants.filter((g) => g.org_id).map((g) => orgs.get(g.org_id).path)
const inScope = (u, org) => scopePaths(u).some((p) => org.path.startsWith(p))
function orgView(o) {
  const kids = [...orgs.values()].filter((c) => c.parent_id === o.id)
  const memberCount = [...members.values()].filter((m) => orgs.get(m.org_id).path.startsWith(o.path)).length
  return {
    ...o, kind_label: ORG_KINDS[o.kind], host_kind_label: HOST_KINDS[o.host_kind],
    location: regionName([o.province_code, o.city_code, o.county_code]), child_count: kids.length, member_count: memberCount,
  }
}
function memberView(m) {
  return { ...m, org_name: orgs.get(m.org_id).name, id_number: mask.id(m.id_number), phone: mask.phone(m.phone), address: mask.address(m.address) }
}
function userView(u) {
  return {
    id: u.id, username: u.username, display_name: u.display_name, disabled: u.disabled, must_change_password: u.must_change_password,
    locked: u.locked_until > Date.now(), member_id: u.member_id, created_at: u.created_at,
    grants: u.grants.map((g) => ({ id: g.id, role: g.role, role_label: ROLES[g.role][0], org_id: g.org_id, org_name: g.org_id ? orgs.get(g.org_id).name : null })),
  }
}
function record(ctx, action, object_type, object_id, result = 'ok', detail = {}) {
  audit.unshift({
    id: audit.length + 1, at: new Date().toISOString(), actor_id: ctx.user?.id ?? null, actor_name: ctx.user?.username ?? detail.username ?? 'anonymous',
    action, object_type, object_id: object_id == null ? null : String(object_id), ip: '127.0.0.1', result, detail,
  })
}
function page(items, q) {
  const p = Math.max(1, Number(q.get('page') ?? 1))
  const n = Math.min(200, Math.max(1, Number(q.get('per_page') ?? 20)))
  return { items: items.slice((p - 1) * n, p * n), total: items.length }
}
function sessionInfo(s, u) {
  return {
    user: { id: u.id, username: u.username, display_name: u.display_name, must_change_password: u.must_change_password, member_id: u.member_id },
    permissions: perms(u),
    grants: u.grants.map((g) => ({ id: g.id, role: g.role, role_label: ROLES[g.role][0], org_id: g.org_id, org_name: g.org_id ? orgs.get(g.org_id).name : null })),
    csrf_token: s.csrf,
  }
}
function checkIdNumber(v) {
  const s = String(v ?? '').trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(s)) return ['身份证号应为 18 位', s]
  const want = checkDigit(s)
  if (s[17] !== want) return [`校验码错误：应为 ${want}`, s]
  return [null, s]
}

// ---------------------------------------------------------------- routes
const routes = []
const route = (method, pattern, handler, opts = {}) => {
  const keys = []
  const re = new RegExp('^' + pattern.replace(/\{(\w+)\}/g, (_, k) => (keys.push(k), '(\\d+)')) + '$')
  routes.push({ method, re, keys, handler, opts })
}
const need = (ctx, perm) => {
  if (!can(ctx.user, perm)) fail(403, '没有执行此操作的权限', { code: 'forbidden' })
}
const scopedOrg = (ctx, id) => {
  const o = orgs.get(Number(id))
  if (!o || !inScope(ctx.user, o)) fail(404, '党组织不存在或无权访问')
  return o
}
const scopedMember = (ctx, id) => {
  const m = members.get(Number(id))
  if (!m || !inScope(ctx.user, orgs.get(m.org_id))) fail(404, '党员不存在或无权访问')
  return m
}

route('POST', '/session', (ctx, { body }) => {
  const u = [...users.values()].find((x) => x.username === String(body.username ?? '').trim())
  if (!u) fail(401, '用户名或密码错误')
  if (u.locked_until > Date.now()) {
    record({ user: null }, 'session.login', 'user', u.id, 'denied', { username: u.username, reason: 'locked' })
    fail(423, `账号已锁定，请 ${Math.ceil((u.locked_until - Date.now()) / 60000)} 分钟后再试`, { retry_after_secs: Math.ceil((u.locked_until - Date.now()) / 1000) })
  }
  if (u.password !== body.password) {
    u.failures++
    record({ user: null }, 'session.login', 'user', u.id, 'failed', { username: u.username })
    if (u.failures >= 5) {
      u.locked_until = Date.now() + 15 * 60000
      u.failures = 0
    }
    fail(401, '用户名或密码错误')
  }
  u.failures = 0
  const token = randomBytes(16).toString('hex')
  const s = { id: randomBytes(8).toString('hex'), user_id: u.id, csrf: randomBytes(16).toString('hex'), created_at: new Date().toISOString(), last_seen_at: new Date().toISOString(), ip: '127.0.0.1', ua: ctx.ua }
  sessions.set(token, s)
  ctx.setCookie = `hl_session=${token}; HttpOnly; SameSite=Strict; Path=/`
  record({ user: u }, 'session.login', 'user', u.id)
  return [200, sessionInfo(s, u)]
}, { anonymous: true })
route('GET', '/session', (ctx) => [200, sessionInfo(ctx.session, ctx.user)], { allowPasswordChange: true })
route('DELETE', '/session', (ctx) => {
  sessions.delete(ctx.token)
  ctx.setCookie = 'hl_session=; Max-Age=0; Path=/'
  record(ctx, 'session.logout', 'user', ctx.user.id)
  return [204]
}, { allowPasswordChange: true })
route('POST', '/me/password', (ctx, { body }) => {
  if (body.old_password !== ctx.user.password) fail(422, '提交的信息有误', { errors: { old_password: ['当前密码不正确'] } })
  const p = String(body.new_password ?? '')
  if (p.length < 8) fail(422, '提交的信息有误', { errors: { new_password: ['密码至少 8 位'] } })
  ctx.user.password = p
  ctx.user.must_change_password = false
  record(ctx, 'me.password_change', 'user', ctx.user.id)
  return [204]
}, { allowPasswordChange: true })
route('GET', '/me/sessions', (ctx) => [200, {
  items: [...sessions.entries()].filter(([, s]) => s.user_id === ctx.user.id).map(([t, s]) => ({
    id: s.id, created_at: s.created_at, last_seen_at: s.last_seen_at, ip: s.ip, user_agent: s.ua, current: t === ctx.token,
  })),
}])
route('DELETE', '/me/sessions', (ctx) => {
  let ended = 0
  for (const [t, s] of sessions) if (s.user_id === ctx.user.id && t !== ctx.token) sessions.delete(t) && ended++
  return [200, { ended }]
})
route('GET', '/meta', () => {
  const cl = (o) => Object.entries(o).map(([code, label]) => ({ code, label }))
  return [200, {
    org_kinds: cl(ORG_KINDS), host_kinds: cl(HOST_KINDS), org_statuses: cl({ active: '正常', dissolved: '已撤销' }), member_statuses: cl(STATUSES), member_categories: cl(CATEGORIES),
    genders: cl(GENDERS), educations: cl(EDUCATIONS), member_tags: TAGS, regions: REGIONS,
  }]
})
route('GET', '/orgs/roots', (ctx) => {
  need(ctx, 'org.read')
  const roots = ctx.user.grants.filter((g) => g.org_id).map((g) => orgView(orgs.get(g.org_id)))
  return [200, { items: roots, total: roots.length }]
})
route('GET', '/orgs', (ctx, { query }) => {
  need(ctx, 'org.read')
  let list = [...orgs.values()].filter((o) => inScope(ctx.user, o))
  if (query.get('parent')) list = list.filter((o) => o.parent_id === Number(query.get('parent')))
  if (query.get('subtree')) list = list.filter((o) => o.path.startsWith(orgs.get(Number(query.get('subtree')))?.path ?? '#'))
  if (query.get('q')) list = list.filter((o) => o.name.includes(query.get('q')))
  if (query.get('kind')) list = list.filter((o) => o.kind === query.get('kind'))
  if (query.get('status')) list = list.filter((o) => o.status === query.get('status'))
  return [200, page(list.map(orgView), query)]
})
route('GET', '/orgs/{id}', (ctx, { params }) => (need(ctx, 'org.read'), [200, orgView(scopedOrg(ctx, params.id))]))
function orgFields(body, o) {
  const errors = {}
  if ('name' in body && !String(body.name ?? '').trim()) errors.name = ['名称不能为空']
  if ('kind' in body && !ORG_KINDS[body.kind]) errors.kind = ['未知的组织类型']
  if (Object.keys(errors).length) fail(422, '提交的信息有误', { errors })
  for (const k of ['name', 'kind', 'host_kind', 'host_name', 'province_code', 'city_code', 'county_code', 'secretary', 'founded_on', 'contact']) {
    if (k in body && body[k] !== undefined) o[k] = body[k] === '' ? null : body[k]
  }
}
route('POST', '/orgs', (ctx, { body }) => {
  need(ctx, 'org.write')
  const parent = scopedOrg(ctx, body.parent_id)
  const kind = body.kind ?? 'branch'
  if (!allowsChild(parent.kind, kind)) {
    const msg = parent.kind === 'party_group' ? '党小组下不能设立下级组织'
      : kind === 'party_group' ? '党小组只能设在党支部、联合党支部或党总支下' : '党支部和联合党支部下只能设立党小组'
    fail(422, '提交的信息有误', { errors: { kind: [msg] } })
  }
  if (!String(body.name ?? '').trim()) fail(422, '提交的信息有误', { errors: { name: ['名称不能为空'] } })
  if ([...orgs.values()].some((o) => o.parent_id === parent.id && o.name === body.name.trim())) fail(409, '同名组织已存在', { errors: { name: ['上级组织下已有同名组织'] } })
  const o = addOrg(nextId++, parent.id, body.name.trim(), body.kind ?? 'branch', body.host_kind ?? 'none', null, [])
  orgFields(body, o)
  record(ctx, 'org.create', 'org', o.id, 'ok', { name: o.name })
  return [201, orgView(o)]
})
route('PATCH', '/orgs/{id}', (ctx, { params, body }) => {
  need(ctx, 'org.write')
  const o = scopedOrg(ctx, params.id)
  orgFields(body, o)
  record(ctx, 'org.update', 'org', o.id)
  return [200, orgView(o)]
})
route('POST', '/orgs/{id}/move', (ctx, { params, body }) => {
  need(ctx, 'org.write')
  const o = scopedOrg(ctx, params.id)
  const target = scopedOrg(ctx, body.new_parent_id)
  if (target.path.startsWith(o.path)) fail(422, '不能移动到自身或下级组织之下', { errors: { new_parent_id: ['不能移动到自身或下级组织之下'] } })
  if (scopePaths(ctx.user).includes(o.path)) fail(403, '不能移动您的顶层组织')
  const old = o.path
  for (const x of orgs.values()) if (x.path.startsWith(old)) x.path = target.path + x.path.slice(old.length - `${o.id}/`.length)
  o.parent_id = target.id
  record(ctx, 'org.move', 'org', o.id, 'ok', { new_parent_id: target.id })
  return [200, orgView(o)]
})
route('POST', '/orgs/{id}/dissolve', (ctx, { params }) => {
  need(ctx, 'org.write')
  const o = scopedOrg(ctx, params.id)
  if ([...orgs.values()].some((c) => c.parent_id === o.id && c.status === 'active')) fail(409, '该组织仍有下级组织，不能撤销')
  if ([...members.values()].some((m) => m.org_id === o.id && m.status === 'normal')) fail(409, '该组织仍有党员，请先转出后再撤销')
  o.status = 'dissolved'
  record(ctx, 'org.dissolve', 'org', o.id)
  return [200, orgView(o)]
})
route('GET', '/members', (ctx, { query }) => {
  need(ctx, 'member.read')
  let list = [...members.values()].filter((m) => inScope(ctx.user, orgs.get(m.org_id)))
  const q = (k) => query.get(k)
  if (q('org')) list = list.filter((m) => orgs.get(m.org_id).path.startsWith(orgs.get(Number(q('org')))?.path ?? '#'))
  if (q('status')) list = list.filter((m) => m.status === q('status'))
  if (q('category')) list = list.filter((m) => m.category === q('category'))
  if (q('tag')) list = list.filter((m) => m.tags.includes(q('tag')))
  if (q('q')) list = list.filter((m) => m.name.includes(q('q')))
  if (q('id_number')) list = list.filter((m) => m.id_number === q('id_number').toUpperCase())
  if (q('phone')) list = list.filter((m) => m.phone === q('phone'))
  return [200, page(list.reverse().map(memberView), query)]
})
route('GET', '/members/{id}', (ctx, { params }) => (need(ctx, 'member.read'), [200, memberView(scopedMember(ctx, params.id))]))
function memberFields(body, m, creating) {
  const errors = {}
  const add = (k, msg) => (errors[k] ??= []).push(msg)
  if (creating || 'id_number' in body) {
    const [err, id] = checkIdNumber(body.id_number)
    if (err) add('id_number', err)
    else if ([...members.values()].some((x) => x.id_number === id && x.id !== m.id)) fail(409, '身份证号已存在', { errors: { id_number: ['该身份证号已登记'] } })
    else body.id_number = id
  }
  if ((creating || 'name' in body) && !String(body.name ?? '').trim()) add('name', '姓名不能为空')
  if ((creating || 'joined_on' in body) && !body.joined_on) add('joined_on', '入党日期不能为空')
  if (body.phone && !/^1\d{10}$/.test(body.phone)) add('phone', `手机号应为 11 位数字，实际为 ${String(body.phone).length} 位`)
  if (Object.keys(errors).length) fail(422, '提交的信息有误', { errors })
  for (const k of ['name', 'gender', 'ethnicity', 'birth_date', 'id_number', 'phone', 'address', 'education', 'occupation', 'employer', 'joined_on', 'category', 'full_on', 'tags', 'status']) {
    if (k in body && body[k] !== undefined && body[k] !== null) m[k] = body[k] === '' ? null : body[k]
  }
  if (!m.birth_date && m.id_number) m.birth_date = `${m.id_number.slice(6, 10)}-${m.id_number.slice(10, 12)}-${m.id_number.slice(12, 14)}`
  m.updated_at = new Date().toISOString()
}
route('POST', '/members', (ctx, { body }) => {
  need(ctx, 'member.write')
  const org = scopedOrg(ctx, body.org_id)
  const m = { id: nextId++, org_id: org.id, tags: [], status: 'normal', category: 'full', gender: 'male', created_at: new Date().toISOString() }
  memberFields(body, m, true)
  members.set(m.id, m)
  record(ctx, 'member.create', 'member', m.id, 'ok', { name: m.name })
  return [201, memberView(m)]
})
route('PATCH', '/members/{id}', (ctx, { params, body }) => {
  need(ctx, 'member.write')
  const m = scopedMember(ctx, params.id)
  memberFields(body, m, false)
  record(ctx, 'member.update', 'member', m.id)
  return [200, memberView(m)]
})
route('POST', '/members/{id}/transfer', (ctx, { params, body }) => {
  need(ctx, 'member.write')
  const m = scopedMember(ctx, params.id)
  const to = scopedOrg(ctx, body.org_id)
  m.org_id = to.id
  record(ctx, 'member.transfer', 'member', m.id, 'ok', { org_id: to.id, note: body.note })
  return [200, memberView(m)]
})
route('POST', '/members/{id}/unmask', (ctx, { params, body }) => {
  need(ctx, 'member.unmask')
  const m = scopedMember(ctx, params.id)
  if (String(body.reason ?? '').trim().length < 2) fail(422, '提交的信息有误', { errors: { reason: ['请填写查看事由'] } })
  record(ctx, 'member.unmask', 'member', m.id, 'ok', { reason: body.reason })
  return [200, { id_number: m.id_number, phone: m.phone, address: m.address }]
})
route('GET', '/users', (ctx, { query }) => {
  need(ctx, 'user.read')
  let list = [...users.values()]
  if (query.get('q')) list = list.filter((u) => u.username.includes(query.get('q')) || u.display_name.includes(query.get('q')))
  return [200, page(list.map(userView), query)]
})
route('POST', '/users', (ctx, { body }) => {
  need(ctx, 'user.write')
  if ([...users.values()].some((u) => u.username === body.username)) fail(409, '用户名已存在', { errors: { username: ['用户名已存在'] } })
  const id = nextId++
  addUser(id, body.username, body.display_name, [])
  Object.assign(users.get(id), { password: body.password, must_change_password: true, created_at: new Date().toISOString() })
  record(ctx, 'user.create', 'user', id)
  return [201, userView(users.get(id))]
})
const getUser = (id) => users.get(Number(id)) ?? fail(404, '用户不存在')
route('GET', '/users/{id}', (ctx, { params }) => (need(ctx, 'user.read'), [200, userView(getUser(params.id))]))
route('PATCH', '/users/{id}', (ctx, { params, body }) => {
  need(ctx, 'user.write')
  const u = getUser(params.id)
  if (body.display_name != null) u.display_name = body.display_name
  if (body.disabled != null) u.disabled = body.disabled
  record(ctx, 'user.update', 'user', u.id)
  return [200, userView(u)]
})
route('POST', '/users/{id}/password', (ctx, { params, body }) => {
  need(ctx, 'user.write')
  const u = getUser(params.id)
  u.password = body.new_password
  u.must_change_password = true
  record(ctx, 'user.password_reset', 'user', u.id)
  return [204]
})
route('GET', '/roles', (ctx) => (need(ctx, 'user.read'), [200, Object.entries(ROLES).map(([code, [name, permissions]]) => ({
  code, name, permissions, system: SYSTEM_ROLES.includes(code), needs_org: !SYSTEM_ROLES.includes(code) && code !== 'member',
}))]))
route('GET', '/org-lookup', (ctx, { query }) => {
  need(ctx, 'user.write')
  const q = query.get('q') ?? ''
  const items = [...orgs.values()].filter((o) => o.name.includes(q)).slice(0, 20).map(({ id, kind, name, path }) => ({ id, kind, name, path }))
  return [200, { items, total: items.length }]
})
route('POST', '/users/{id}/grants', (ctx, { params, body }) => {
  need(ctx, 'user.write')
  const u = getUser(params.id)
  if (!ROLES[body.role]) fail(422, '提交的信息有误', { errors: { role: ['未知角色'] } })
  if (SYSTEM_ROLES.includes(body.role) && u.grants.length) fail(422, '提交的信息有误', { errors: { role: ['三员不能与其他角色兼任'] } })
  const g = { id: nextId++, role: body.role, org_id: body.org_id ?? null }
  u.grants.push(g)
  record(ctx, 'grant.create', 'user', u.id, 'ok', { role: g.role, org_id: g.org_id })
  return [200, userView(u)]
})
route('DELETE', '/users/{id}/grants/{grant_id}', (ctx, { params }) => {
  need(ctx, 'user.write')
  const u = getUser(params.id)
  u.grants = u.grants.filter((g) => g.id !== Number(params.grant_id))
  record(ctx, 'grant.delete', 'user', u.id)
  return [200, userView(u)]
})
route('GET', '/audit-events', (ctx, { query }) => {
  need(ctx, 'audit.read')
  let list = audit
  for (const k of ['action', 'object_type', 'object_id']) if (query.get(k)) list = list.filter((e) => e[k] === query.get(k))
  if (query.get('actor')) list = list.filter((e) => e.actor_name.includes(query.get('actor')))
  return [200, page(list, query)]
})
route('GET', '/stats/overview', (ctx, { query }) => {
  need(ctx, 'org.read')
  const root = query.get('org') ? scopedOrg(ctx, query.get('org')) : null
  const os = [...orgs.values()].filter((o) => inScope(ctx.user, o) && (!root || o.path.startsWith(root.path)) && o.status === 'active')
  const ms = [...members.values()].filter((m) => os.some((o) => o.id === m.org_id))
  const count = (dict, rows, key) => Object.entries(dict).map(([k, label]) => ({ key: k, label, count: rows.filter((r) => r[key] === k).length }))
  return [200, {
    org_total: os.length, member_total: ms.length, orgs_by_kind: count(ORG_KINDS, os, 'kind'),
    members_by_category: count(CATEGORIES, ms, 'category'), members_by_status: count(STATUSES, ms, 'status'),
  }]
})

// ---------------------------------------------------------------- server
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2', '.png': 'image/png' }

async function serveStatic(req, res, path) {
  let file = normalize(join(DIST, decodeURIComponent(path)))
  if (!file.startsWith(DIST)) file = join(DIST, 'index.html')
  try {
    if (!(await stat(file)).isFile()) throw new Error('dir')
  } catch {
    file = join(DIST, 'index.html')
  }
  try {
    const body = await readFile(file)
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  } catch {
    res.writeHead(404).end('web/dist not built')
  }
}

function send(res, status, body, extraHeaders = {}) {
  if (status === 204) {
    res.writeHead(204, extraHeaders).end()
    return
  }
  const problem = status >= 400
  res.writeHead(status, { 'Content-Type': problem ? 'application/problem+json' : 'application/json', ...extraHeaders })
  res.end(JSON.stringify(body))
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' })
  if (!url.pathname.startsWith('/api/v1/')) return serveStatic(req, res, url.pathname)
  const path = url.pathname.slice('/api/v1'.length)
  const chunks = []
  for await (const c of req) chunks.push(c)
  const headers = {}
  try {
    let body = {}
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        fail(400, '请求体不是有效的 JSON')
      }
    }
    let hit = null
    let params = {}
    for (const r of routes) {
      const m = r.re.exec(path)
      if (m && r.method === req.method) {
        hit = r
        params = Object.fromEntries(r.keys.map((k, i) => [k, m[i + 1]]))
        break
      }
    }
    if (!hit) fail(404, '接口不存在')
    const token = /hl_session=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1]
    const ctx = { token, session: token ? sessions.get(token) : null, user: null, ua: req.headers['user-agent'] ?? null }
    if (!hit.opts.anonymous) {
      if (!ctx.session) fail(401, '未登录或会话已过期，请重新登录')
      ctx.user = users.get(ctx.session.user_id)
      ctx.session.last_seen_at = new Date().toISOString()
      if (!['GET', 'HEAD'].includes(req.method) && req.headers['x-csrf-token'] !== ctx.session.csrf) fail(403, 'CSRF 校验失败，请刷新页面后重试', { code: 'csrf' })
      if (ctx.user.must_change_password && !hit.opts.allowPasswordChange) fail(403, '请先修改密码', { code: 'password_change_required' })
    }
    const [status, out] = await hit.handler(ctx, { params, body, query: url.searchParams })
    if (ctx.setCookie) headers['Set-Cookie'] = ctx.setCookie
    send(res, status, out, headers)
  } catch (e) {
    if (e instanceof Problem) {
      send(res, e.status, { type: 'about:blank', title: e.message, status: e.status, ...e.extra })
    } else {
      console.error(e)
      send(res, 500, { type: 'about:blank', title: '服务器内部错误', status: 500 })
    }
  }
}).listen(PORT, HOST, () => console.log(`mock honglian listening on http://${HOST}:${PORT}`))
