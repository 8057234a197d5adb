export const PERMISSION_LABELS: Record<string, string> = {
  'org.read': '查看组织',
  'org.write': '管理组织',
  'member.read': '查看党员',
  'member.write': '管理党员',
  'member.unmask': '查看敏感信息',
  'user.read': '查看用户',
  'user.write': '管理用户与授权',
  'audit.read': '查看审计日志',
  'system.settings': '系统设置',
  'member.self': '查看本人信息',
  'settings.business': '业务配置',
  'activity.write': '管理组织生活',
  'activity.approve': '审批补录组织生活',
  'community.write': '管理党建联盟与轮值',
  'task.write': '下达重点任务',
  'task.report': '报告任务进展',
  'instructor.write': '管理党建指导员',
  'visit.write': '记录指导走访',
  'host.write': '管理覆盖台账',
  'brand.write': '管理党建品牌',
  'evaluation.write': '评比与述职评议',
  'grant.write': '以奖代补',
  'place.write': '管理服务阵地',
  'policy.write': '管理惠企政策与县直部门',
  'request.submit': '代企业提交红链直通车诉求',
  'request.handle': '办理红链直通车诉求',
  'request.oversee': '督办红链直通车',
  'enterprise.self': '以本企业名义提出诉求',
  'outreach.write': '记录送政策送服务送温暖上门',
  'need.write': '收集需求与对接',
  'bulletin.write': '发布通知公告',
}

export const ROLE_LABELS: Record<string, string> = {
  county_admin: '县级管理员',
  org_admin: '党务工作者',
  instructor: '党建指导员',
  member: '党员',
  department_handler: '部门经办人',
  enterprise_contact: '企业联络人',
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
}

export function roleLabel(code: string): string {
  return ROLE_LABELS[code] ?? code
}
