//! Communities: regional organisations and chain alliances, their rota, instructors and visits.

pub mod community;
