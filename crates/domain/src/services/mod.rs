//! Services: party-mass service centres and stations (服务阵地), the policy library (惠企政策) and its
//! Chinese full-text search, 红链直通车 service requests and the working-day calendar they are timed by.

pub mod calendar;
pub mod place;
pub mod policy;
pub mod request;
pub mod search;
