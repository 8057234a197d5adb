//! Communities: regional organisations and chain alliances, their rota, instructors and visits. Entities.

pub mod community_member;
pub mod instructor_assignment;
pub mod instructor_group;
pub mod instructor_group_user;
pub mod part_time_member;
pub mod rota;
pub mod rota_handover;
pub mod rota_secretary;
pub mod rota_swap;
pub mod visit;
