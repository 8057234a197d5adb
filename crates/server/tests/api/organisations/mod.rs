//! Organisations: the tree and coverage.

mod coverage;
mod orgs;
