//! Repositories: the only place that writes SQL.

pub mod communities;
pub mod goals;
pub mod hometown;
pub mod members;
pub mod org_life;
pub mod organisations;
pub mod party_affairs;
pub mod platform;
pub mod portal;
pub mod services;

/// One page of a list and the total count of the filtered rows.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// 1-based page number and page size, clamped to sane bounds.
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: u64,
    pub per_page: u64,
}

impl PageReq {
    /// Requests from outside arrive range-checked (`PageNo`, `PerPage`); this clamps again so that
    /// no caller can make the offset overflow or leave the range SQL takes (a signed 64-bit integer).
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, honglian_domain::PageNo::MAX),
            per_page: per_page.unwrap_or(20).clamp(1, honglian_domain::PerPage::MAX),
        }
    }

    pub fn offset(&self) -> u64 {
        (self.page.max(1) - 1).saturating_mul(self.per_page).min(i64::MAX as u64)
    }
}
