//! Services: departments, service places (with inspections and spend), policies, 红链直通车 requests with
//! their categories, history and the working-day calendar, outreach visits and their links, needs and
//! their threads. Entities.

pub mod department;
pub mod need;
pub mod need_message;
pub mod outreach_link;
pub mod outreach_visit;
pub mod policy;
pub mod request_category;
pub mod service_file;
pub mod service_place;
pub mod service_place_inspection;
pub mod service_place_spend;
pub mod service_request;
pub mod service_request_event;
pub mod work_calendar_day;
