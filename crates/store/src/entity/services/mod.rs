//! Services: departments, service places (with inspections and spend), policies, 红链直通车 requests with
//! their categories, history and the working-day calendar. Entities.

pub mod department;
pub mod policy;
pub mod request_category;
pub mod service_file;
pub mod service_place;
pub mod service_place_inspection;
pub mod service_place_spend;
pub mod service_request;
pub mod service_request_event;
pub mod work_calendar_day;
