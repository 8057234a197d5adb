//! Permissions and built-in roles. A role is a set of permission codes; a grant
//! gives a user a role over an organisation subtree (or, for the three system
//! roles, over the system).

use serde::{Deserialize, Serialize};

use crate::organisations::org::code_enum;

code_enum!(
    Permission {
        OrgRead = "org.read": "查看党组织",
        OrgWrite = "org.write": "管理党组织",
        MemberRead = "member.read": "查看党员",
        MemberWrite = "member.write": "管理党员",
        MemberUnmask = "member.unmask": "查看党员敏感信息",
        MemberSelf = "member.self": "查看本人信息",
        MemberInvite = "member.invite": "邀请党员开通手机端",
        SettingsBusiness = "settings.business": "业务配置",
        ActivityWrite = "activity.write": "管理组织生活",
        ActivityApprove = "activity.approve": "审批补录组织生活",
        CommunityWrite = "community.write": "管理党建联盟与轮值",
        TaskWrite = "task.write": "下达重点任务",
        TaskReport = "task.report": "报告任务进展",
        InstructorWrite = "instructor.write": "管理党建指导员",
        VisitWrite = "visit.write": "记录指导走访",
        HostWrite = "host.write": "管理覆盖台账",
        BrandWrite = "brand.write": "管理党建品牌",
        EvaluationWrite = "evaluation.write": "评比与述职评议",
        GrantWrite = "grant.write": "以奖代补",
        PlaceWrite = "place.write": "管理服务阵地",
        PolicyWrite = "policy.write": "管理惠企政策与县直部门",
        RequestSubmit = "request.submit": "代企业提交红链直通车诉求",
        RequestHandle = "request.handle": "办理红链直通车诉求",
        RequestOversee = "request.oversee": "督办红链直通车",
        EnterpriseSelf = "enterprise.self": "以本企业名义提出诉求",
        OutreachWrite = "outreach.write": "记录送政策送服务送温暖上门",
        NeedWrite = "need.write": "收集需求与对接",
        InvestmentWrite = "investment.write": "回乡工程：推介会与项目线索",
        CareWrite = "care.write": "关爱工程：捐赠与助学",
        HonourWrite = "honour.write": "先锋工程：推荐评选与表彰",
        BulletinWrite = "bulletin.write": "发布通知公告",
        GreetingSend = "greeting.send": "发送节日问候",
        NotifyManage = "notify.manage": "管理群机器人与消息投递",
        UserRead = "user.read": "查看用户",
        UserWrite = "user.write": "管理用户与授权",
        AuditRead = "audit.read": "查看审计日志",
        SystemSettings = "system.settings": "系统设置",
    }
);

code_enum!(
    Role {
        CountyAdmin = "county_admin": "县级管理员",
        OrgAdmin = "org_admin": "党务工作者",
        Instructor = "instructor": "党建指导员",
        Member = "member": "党员",
        DepartmentHandler = "department_handler": "部门经办人",
        EnterpriseContact = "enterprise_contact": "企业联络人",
        SystemAdmin = "system_admin": "系统管理员",
        SecurityAdmin = "security_admin": "安全管理员",
        AuditAdmin = "audit_admin": "审计管理员",
    }
);

impl Role {
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::CountyAdmin => &[
                OrgRead,
                OrgWrite,
                MemberRead,
                MemberWrite,
                MemberUnmask,
                MemberInvite,
                SettingsBusiness,
                ActivityWrite,
                ActivityApprove,
                CommunityWrite,
                TaskWrite,
                TaskReport,
                InstructorWrite,
                VisitWrite,
                HostWrite,
                BrandWrite,
                EvaluationWrite,
                GrantWrite,
                PlaceWrite,
                PolicyWrite,
                RequestSubmit,
                RequestOversee,
                OutreachWrite,
                NeedWrite,
                InvestmentWrite,
                CareWrite,
                HonourWrite,
                BulletinWrite,
                GreetingSend,
                NotifyManage,
            ],
            Role::OrgAdmin => &[
                OrgRead,
                OrgWrite,
                MemberRead,
                MemberWrite,
                MemberUnmask,
                MemberInvite,
                ActivityWrite,
                CommunityWrite,
                TaskWrite,
                TaskReport,
                HostWrite,
                BrandWrite,
                PlaceWrite,
                RequestSubmit,
                OutreachWrite,
                NeedWrite,
                InvestmentWrite,
                CareWrite,
                HonourWrite,
                BulletinWrite,
                GreetingSend,
                NotifyManage,
            ],
            Role::Instructor => &[OrgRead, MemberRead, VisitWrite],
            Role::Member => &[MemberSelf],
            Role::DepartmentHandler => &[RequestHandle, PolicyWrite],
            Role::EnterpriseContact => &[EnterpriseSelf],
            Role::SystemAdmin => &[SystemSettings],
            Role::SecurityAdmin => &[UserRead, UserWrite],
            Role::AuditAdmin => &[AuditRead],
        }
    }

    /// The three system roles (三员): they act on the system, not on an
    /// organisation subtree, and never read business data.
    pub fn is_system(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
    }

    /// Roles whose grant needs an organisation (the scope).
    pub fn needs_org(self) -> bool {
        !self.is_system() && self != Role::Member
    }
}

/// Why a new grant cannot be added to the grants a user already holds.
pub fn check_new_grant(existing: &[Role], new: Role) -> Result<(), String> {
    if existing.contains(&new) && new.is_system() {
        return Err(format!("该用户已是{}", new.label()));
    }
    if new.is_system() && !existing.is_empty() {
        return Err(format!("{}不能与其他角色兼任（三员分立）", new.label()));
    }
    if let Some(sys) = existing.iter().find(|r| r.is_system()) {
        return Err(format!("该用户是{}，不能再授予其他角色（三员分立）", sys.label()));
    }
    Ok(())
}

/// A role held over a scope: `None` for the system roles and the member role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub org_path: Option<crate::organisations::org::OrgPath>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_system_roles_exclude_everything_else() {
        assert!(check_new_grant(&[], Role::SystemAdmin).is_ok());
        assert!(check_new_grant(&[Role::SystemAdmin], Role::AuditAdmin).is_err());
        assert!(check_new_grant(&[Role::OrgAdmin], Role::SecurityAdmin).is_err());
        assert!(check_new_grant(&[Role::AuditAdmin], Role::OrgAdmin).is_err());
        assert!(check_new_grant(&[Role::OrgAdmin], Role::OrgAdmin).is_ok());
        assert!(check_new_grant(&[Role::OrgAdmin], Role::Instructor).is_ok());
    }

    #[test]
    fn system_roles_read_no_member_data() {
        for r in Role::ALL.iter().filter(|r| r.is_system()) {
            for p in r.permissions() {
                assert!(!p.code().starts_with("member.") && !p.code().starts_with("org."), "{r} has {p}");
            }
        }
    }
}
