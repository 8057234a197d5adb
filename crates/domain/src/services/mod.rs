//! Services: party-mass service centres and stations (服务阵地), the policy library (惠企政策) and its
//! Chinese full-text search, 红链直通车 service requests and the working-day calendar they are timed by,
//! 送政策送服务送温暖 outreach visits, and needs (诉求与建议) with their matching.

pub mod calendar;
pub mod need;
pub mod outreach;
pub mod place;
pub mod policy;
pub mod request;
pub mod search;
