//! The public pages rendered once per directory version, language and page, and
//! served from memory after that. The directory's version lives in the database
//! (bumped in the same transaction as any change of contacts), so every server
//! notices another's change: this one asks for it at most once per [`RECHECK`], and
//! at once after a change made through itself.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use zakrila_app::{App, directory::PublicDirectory};

use crate::error::HttpError;

/// How long a server trusts the version it last read.
pub const RECHECK: Duration = Duration::from_secs(1);

/// At most this many pages are kept (the region × need filter has a few hundred
/// combinations); past it, the cache starts over.
const MAX_PAGES: usize = 1024;

#[derive(Default)]
struct Inner {
    version: String,
    checked: Option<Instant>,
    pages: HashMap<String, Arc<str>>,
}

/// A page as served: its HTML and the version it was rendered at (the ETag).
pub struct Cached {
    pub version: String,
    pub html: Arc<str>,
}

#[derive(Default)]
pub struct PublicPages {
    inner: Mutex<Inner>,
}

impl PublicPages {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves only a cache behind: keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The directory's version, read again when the last reading is older than
    /// [`RECHECK`]; a new version drops every page.
    async fn version(&self, app: &App) -> Result<String, HttpError> {
        {
            let g = self.lock();
            if g.checked.is_some_and(|t| t.elapsed() < RECHECK) {
                return Ok(g.version.clone());
            }
        }
        let v = app.directory_version().await?;
        let mut g = self.lock();
        if g.version != v {
            g.pages.clear();
            g.version = v.clone();
        }
        g.checked = Some(Instant::now());
        Ok(v)
    }

    /// Forgets the version read, so that the next page asks again: after a change
    /// made through this server.
    pub fn invalidate(&self) {
        self.lock().checked = None;
    }

    /// The page `key` (which names the language too): from memory, or rendered
    /// from the directory by `render` and kept.
    pub async fn page(
        &self,
        app: &App,
        key: &str,
        render: impl FnOnce(&PublicDirectory) -> Result<String, HttpError>,
    ) -> Result<Cached, HttpError> {
        let version = self.version(app).await?;
        if let Some(html) = self.lock().pages.get(key) {
            return Ok(Cached {
                version,
                html: html.clone(),
            });
        }
        let dir = app.public_directory().await?;
        let html: Arc<str> = render(&dir)?.into();
        let mut g = self.lock();
        // Keep only what matches the version now current; a page rendered from a
        // newer directory is served once and rendered again after the next check.
        if dir.version == g.version {
            if g.pages.len() >= MAX_PAGES {
                g.pages.clear();
            }
            g.pages.insert(key.to_owned(), html.clone());
        }
        Ok(Cached {
            version: dir.version.clone(),
            html,
        })
    }
}
