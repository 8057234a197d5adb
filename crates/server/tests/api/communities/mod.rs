//! Communities: the rota and instructors.

mod instructors;
mod registry;
