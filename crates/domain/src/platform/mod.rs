//! Platform rules: permissions and built-in roles, the password policy.

pub mod authz;
pub mod labels;
pub mod notify;
pub mod password;
