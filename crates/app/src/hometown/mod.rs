//! Hometown: Wuchuan's programmes — 回乡工程's investment drives and project leads, 关爱工程's care fund,
//! 先锋工程's honours.

pub mod care;
pub mod honours;
pub mod investment;

use honglian_domain::FieldErrors;
use honglian_domain::goals::grant::Fen;

/// An amount typed in yuan, checked by `check`; the message goes under `field`.
pub(crate) fn yuan_field(
    e: &mut FieldErrors,
    field: &str,
    s: &str,
    check: impl FnOnce(Fen) -> Result<(), String>,
) -> Option<Fen> {
    let f = e.check(field, Fen::parse_yuan(s))?;
    e.check(field, check(f)).map(|_| f)
}
