/** Org look-ups shared by the org tree page and OrgPicker. */
import { api, cleanQuery, unwrap } from './client'
import type { Org, OrgRef, Page } from './types'

/** The caller's top organisations (their grant roots). */
export function fetchRoots(): Promise<Page<Org>> {
  return unwrap(api.GET('/orgs/roots'))
}

/** Direct children of an org. */
export function fetchChildren(parentId: number, perPage = 200): Promise<Page<Org>> {
  return unwrap(api.GET('/orgs', { params: { query: { parent: parentId, per_page: perPage } } }))
}

/** Name search within the caller's scope (optionally within a subtree). */
export function searchOrgs(q: string, opts: { subtree?: number; perPage?: number } = {}): Promise<Page<Org>> {
  return unwrap(
    api.GET('/orgs', { params: { query: cleanQuery({ q, subtree: opts.subtree, per_page: opts.perPage ?? 30 }) } }),
  )
}

/** Name search for granting roles (security admins, who may not read the tree). */
export function lookupOrgs(q: string): Promise<Page<OrgRef>> {
  return unwrap(api.GET('/org-lookup', { params: { query: { q } } }))
}

export function fetchOrg(id: number): Promise<Org> {
  return unwrap(api.GET('/orgs/{id}', { params: { path: { id } } }))
}
