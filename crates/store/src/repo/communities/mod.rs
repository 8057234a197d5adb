//! Communities: regional organisations and chain alliances, their rota, instructors and visits. Repositories.

pub mod instructors;
pub mod registry;
