/** A failed API call, built from an RFC 9457 problem+json body (or what we could salvage). */
export interface Problem {
  type?: string
  title?: string
  status?: number
  code?: string | null
  detail?: string | null
  errors?: Record<string, string[]> | null
  [extra: string]: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly title: string
  readonly code: string | undefined
  readonly detail: string | undefined
  /** Per-field validation messages, e.g. `{ id_number: ['校验码错误：应为 X'] }`. */
  readonly errors: Record<string, string[]>
  readonly problem: Problem

  constructor(status: number, problem: Problem) {
    const title = problem.title || defaultTitle(status)
    super(title)
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.code = problem.code ?? undefined
    this.detail = problem.detail ?? undefined
    this.errors = problem.errors ?? {}
    this.problem = problem
  }

  /** First message for a field, if the server rejected it. */
  fieldError(field: string): string | undefined {
    return this.errors[field]?.[0]
  }

  /**
   * What to tell the user: the server's own messages when it refused fields (a list filter such as
   * "身份证号校验码错误：最后一位应为 6", not a bare "提交的信息有误"), else title plus detail.
   */
  get summary(): string {
    const messages = Object.values(this.errors).flat().filter((m) => typeof m === 'string' && m)
    if (messages.length) return [...new Set(messages)].join('；')
    return this.detail && this.detail !== this.title ? `${this.title}：${this.detail}` : this.title
  }
}

export function defaultTitle(status: number): string {
  if (status === 0) return '网络错误，请检查网络连接后重试'
  if (status === 400) return '请求无效'
  if (status === 401) return '未登录或会话已过期'
  if (status === 403) return '无权执行此操作'
  if (status === 404) return '请求的内容不存在'
  if (status === 409) return '数据冲突，请刷新后重试'
  if (status === 413) return '提交的内容过大'
  if (status === 422) return '提交的内容有误'
  if (status === 423) return '账号已锁定'
  if (status === 429) return '操作过于频繁，请稍后再试'
  if (status >= 500) return '服务器内部错误，请稍后重试'
  return `请求失败（${status}）`
}

/** Turns whatever the server sent with a non-2xx status into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    return new ApiError(status, body as Problem)
  }
  return new ApiError(status, {})
}

/** A user-facing message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.summary
  if (e instanceof Error && e.message) return e.message
  return '操作失败'
}

/** The lockout message for a 423 answer to a login. */
export function lockoutMessage(e: ApiError): string {
  const secs = Number(e.problem.retry_after_secs)
  if (!Number.isFinite(secs) || secs <= 0) return '账号已锁定，请稍后再试'
  return `账号已锁定，请 ${Math.max(1, Math.ceil(secs / 60))} 分钟后再试`
}
