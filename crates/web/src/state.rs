//! What every handler shares: the application and the web settings. Nothing here
//! holds state another server would need — that lives in the database.

use std::sync::Arc;

use zakrila_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub cfg: Arc<WebConfig>,
    /// The OpenAPI document, built once at start-up from the handlers' annotations.
    pub spec: Arc<utoipa::openapi::OpenApi>,
    /// The public pages, rendered once per directory version and language.
    pub public: Arc<crate::views::help::cache::PublicPages>,
}

#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Set the `Secure` flag on cookies (Zakrila is served over TLS, directly or
    /// behind a proxy). Derived from the public URL's scheme.
    pub secure_cookies: bool,
    /// How many reverse proxies in front of Zakrila append to `X-Forwarded-For`:
    /// the client address is the N-th entry from the right (entries further left
    /// are whatever the client sent). 0: the peer address, the header ignored.
    pub trusted_proxies: usize,
    /// Sign-in attempts per minute over the whole system (None: the default).
    pub signin_per_minute: Option<i32>,
    /// Which pages this server answers (`zakrila serve --surface`).
    pub surface: Surface,
    /// Per-user ceilings: name searches, identities per export.
    pub limits: zakrila_app::Limits,
    /// The organisation (slug) whose signal queue receives anonymous tips; the
    /// demo data's hotline (`a21`) when unset.
    pub tip_desk: Option<String>,
}

impl WebConfig {
    /// The session cookie's name. Over HTTPS it carries the `__Host-` prefix, which
    /// browsers accept only with `Secure`, `Path=/` and no `Domain`: a sibling
    /// subdomain or a plain-HTTP page cannot plant or overwrite it.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-zk_session"
        } else {
            crate::auth::SESSION_COOKIE
        }
    }
}

/// The pages a server answers: the public site only (it faces the internet), the
/// staff system only (it stays on an internal network), or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Surface {
    Public,
    Staff,
    #[default]
    All,
}

impl Surface {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Surface::Public),
            "staff" => Some(Surface::Staff),
            "all" => Some(Surface::All),
            _ => None,
        }
    }
}
