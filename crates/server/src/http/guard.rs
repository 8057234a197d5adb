//! What every API request passes through before and after its handler:
//!
//! - the client address: the socket's peer, or — only when that peer is a configured trusted proxy
//!   (`trusted_proxy`) — the address that proxy appended to `X-Forwarded-For` (the rightmost entry
//!   that is not itself a trusted proxy; entries further left are whatever the client sent);
//! - rate limits on the routes that guess or look up (logins, invitations, check-in codes, exact-match
//!   lookups), per client address and, where signed in, per user: 429 with a Chinese title and
//!   `Retry-After`. Kept in memory (governor's GCRA, keyed), so with several instances each
//!   allows its own quota;
//! - the audit of denied writes (403/404 on POST/PUT/PATCH/DELETE) and refused unmasks, coalesced
//!   per caller and route per minute (`App::audit_denied`).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use honglian_app::platform::audit::Denial;
use honglian_app::{AppError, Ctx, RateLimits};

use super::AppState;
use super::error::ApiError;
use super::extract::session_token;

/// The client's address as worked out once per request (read by the `Client` extractor).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

/// The client address: `peer` unless it is a trusted proxy; then the rightmost
/// `X-Forwarded-For` entry that is not a trusted proxy (what the nearest trusted hop saw).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer.map(canonical);
    let Some(p) = peer.filter(|p| trusted.contains(p)) else { return peer };
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for h in hops.iter().rev() {
        match h.parse::<IpAddr>().map(canonical) {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return Some(ip),
            // Garbage where an address should be: stop at the trusted hop we know.
            Err(_) => return Some(p),
        }
    }
    Some(p)
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as IPv4, so that one client is one key.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Which limited route a request is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Limited {
    Login,
    CheckIn,
    Lookup,
    Invitation,
}

fn limited(method: &Method, route: &str) -> Option<Limited> {
    if method != Method::POST {
        return None;
    }
    if route.ends_with("/session") {
        Some(Limited::Login)
    } else if route.ends_with("/invitations/preview")
        || route.ends_with("/invitations/activate")
        || route.ends_with("/recruitment/progress")
    {
        // Opening an invitation or an applicant's progress guesses like a sign-in (a code, the last six
        // characters of an ID number).
        Some(Limited::Invitation)
    } else if route.ends_with("/activities/{id}/check-in") {
        Some(Limited::CheckIn)
    } else if route.ends_with("/members/lookup") {
        Some(Limited::Lookup)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Client(Limited, Option<IpAddr>),
    User(Limited, i64),
}

/// The keyed limiters, one per quota.
pub struct Limiters {
    login_client: Option<DefaultKeyedRateLimiter<Key>>,
    check_in_client: Option<DefaultKeyedRateLimiter<Key>>,
    check_in_user: Option<DefaultKeyedRateLimiter<Key>>,
    lookup_client: Option<DefaultKeyedRateLimiter<Key>>,
    lookup_user: Option<DefaultKeyedRateLimiter<Key>>,
    invitation_client: Option<DefaultKeyedRateLimiter<Key>>,
    checks: AtomicU64,
}

fn per_minute(n: u32) -> Option<DefaultKeyedRateLimiter<Key>> {
    NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl Limiters {
    pub fn new(r: &RateLimits) -> Arc<Self> {
        Arc::new(Self {
            login_client: per_minute(r.login_per_client),
            check_in_client: per_minute(r.check_in_per_client),
            check_in_user: per_minute(r.check_in_per_user),
            lookup_client: per_minute(r.lookup_per_client),
            lookup_user: per_minute(r.lookup_per_user),
            invitation_client: per_minute(r.invitation_per_client),
            checks: AtomicU64::new(0),
        })
    }

    /// `Err(seconds to wait)` when a quota of this request is spent.
    fn check(&self, kind: Limited, ip: Option<IpAddr>, user: Option<i64>) -> Result<(), u64> {
        // Forget keys idle long enough to be full again, now and then.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            for l in [
                &self.login_client,
                &self.check_in_client,
                &self.check_in_user,
                &self.lookup_client,
                &self.lookup_user,
                &self.invitation_client,
            ]
            .into_iter()
            .flatten()
            {
                l.retain_recent();
            }
        }
        let (client, per_user) = match kind {
            Limited::Login => (&self.login_client, &None),
            Limited::CheckIn => (&self.check_in_client, &self.check_in_user),
            Limited::Lookup => (&self.lookup_client, &self.lookup_user),
            Limited::Invitation => (&self.invitation_client, &None),
        };
        let wait = |l: &DefaultKeyedRateLimiter<Key>, k: Key| {
            l.check_key(&k).map_err(|not| not.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
        };
        if let (Some(l), Some(u)) = (per_user, user) {
            wait(l, Key::User(kind, u))?;
        }
        if let Some(l) = client {
            wait(l, Key::Client(kind, ip))?;
        }
        Ok(())
    }
}

/// The middleware (see the module docs); runs after routing, so the route template is known.
pub async fn guard(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = client_ip(peer, req.headers(), &s.http.trusted_proxy);
    req.extensions_mut().insert(ClientIp(ip));
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let token = {
        let (parts, body) = req.into_parts();
        let t = session_token(&parts);
        req = Request::from_parts(parts, body);
        t
    };
    if let Some(kind) = route.as_deref().and_then(|r| limited(&method, r)) {
        let user = match (&token, kind) {
            (Some(t), Limited::CheckIn | Limited::Lookup) => s.app.authenticate(t).await.ok().map(|c| c.actor.user_id),
            _ => None,
        };
        if let Err(secs) = s.limiters.check(kind, ip, user) {
            tracing::warn!(route = route.as_deref().unwrap_or(""), ?kind, "rate limited");
            return ApiError(AppError::TooManyRequests { retry_after_secs: secs as i64 }).into_response();
        }
    }
    // The guard runs inside /api/v1, whose prefix the URI no longer carries.
    let uri = req.uri().clone();
    let path = format!("/api/v1{}", uri.path());
    let unmask_request = path.ends_with("/unmask")
        || uri.query().is_some_and(|q| q.split('&').any(|kv| kv.starts_with("unmask_reason=") && kv.len() > 14));
    let r = next.run(req).await;
    let status = r.status();
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let denied = matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
    // A write to a route that does not exist, without a session, is noise, not a denial.
    if denied
        && (unsafe_method || (unmask_request && status == StatusCode::FORBIDDEN))
        && (route.is_some() || token.is_some())
    {
        let actor = match &token {
            Some(t) => s.app.authenticate(t).await.ok().map(|c| c.actor),
            None => None,
        };
        let ctx = Ctx { actor, ip: ip.map(|i| i.to_string()), user_agent: None, wrote_at: None };
        let d = Denial {
            method: method.as_str(),
            route: route.as_deref().unwrap_or("(no route)"),
            path: &path,
            status: status.as_u16(),
            unmask: unmask_request,
        };
        if let Err(e) = s.app.audit_denied(&ctx, d).await {
            tracing::error!(error = %e, "could not audit a denied request");
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for x in v {
            h.append("x-forwarded-for", x.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let spoofed = xff(&["1.1.1.1, 203.0.113.7"]);
        // No trusted proxy configured: the socket's peer, whatever the header says.
        assert_eq!(client_ip(Some(client), &spoofed, &[]), Some(client));
        // A direct client is not the proxy: its header is ignored.
        assert_eq!(client_ip(Some(client), &spoofed, &[proxy]), Some(client));
        // From the proxy: the entry it appended (the rightmost), not the client's own claim.
        assert_eq!(client_ip(Some(proxy), &spoofed, &[proxy]), Some(client));
        assert_eq!(client_ip(Some(proxy), &xff(&["1.1.1.1", "203.0.113.7"]), &[proxy]), Some(client));
        // Chained trusted proxies are skipped; garbage stops at the proxy.
        let inner: IpAddr = "10.0.0.3".parse().unwrap();
        assert_eq!(client_ip(Some(proxy), &xff(&["203.0.113.7, 10.0.0.3"]), &[proxy, inner]), Some(client));
        assert_eq!(client_ip(Some(proxy), &xff(&["nonsense"]), &[proxy]), Some(proxy));
        assert_eq!(client_ip(Some(proxy), &HeaderMap::new(), &[proxy]), Some(proxy));
        // IPv4-mapped IPv6 is the same client.
        let mapped: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        assert_eq!(client_ip(Some(mapped), &spoofed, &[proxy]), Some(client));
    }
}
