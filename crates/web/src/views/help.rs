//! The public site: where a person who may be a victim, or anyone worried about
//! someone, finds help — the hotlines first, where to get help by region and need,
//! the services victims can receive and who provides them, the signs of
//! trafficking. No sign-in, no JavaScript, no cookies (but the language switch's),
//! nothing from other sites; each page is rendered once per directory version and
//! language (`cache.rs`) and may be cached by browsers and proxies.

pub mod cache;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;
use zakrila_app::directory::{Listing, PublicDirectory};
use zakrila_domain::{
    directory::{Need, Phone},
    region::Region,
    user::Locale,
};

use crate::{
    error::{AppError, HttpError},
    i18n,
    lang::Lang,
    state::{AppState, Surface},
};

/// What every public page shares: language, title, where it is (for the language
/// switch) and whether this server also has the staff sign-in.
pub struct PublicBase {
    pub lang: Locale,
    pub title: String,
    pub here: String,
    pub staff: bool,
}

impl PublicBase {
    pub(crate) fn new(state: &AppState, lang: Locale, title_key: &str, here: String) -> Self {
        Self {
            lang,
            title: i18n::t(lang, title_key),
            here,
            staff: state.cfg.surface != Surface::Public,
        }
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.lang {
            Locale::Bg => ("en", "English"),
            Locale::En => ("bg", "Български"),
        }
    }
}

/// A phone as a person taps it.
pub struct PhoneView {
    pub number: String,
    pub tel: String,
    pub label: String,
}

impl PhoneView {
    fn of(p: &Phone, lang: Locale) -> Self {
        PhoneView {
            number: p.number.as_str().to_owned(),
            tel: p.number.tel(),
            label: lang.pick(&p.label_bg, &p.label_en).to_owned(),
        }
    }
}

/// A hotline with the organisation behind it.
pub struct Hotline {
    pub phone: PhoneView,
    pub org: String,
}

/// An organisation as the public reads it.
pub struct ListingView {
    pub slug: String,
    pub name: String,
    pub phones: Vec<PhoneView>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: String,
    pub hours: String,
    pub regions: String,
    pub needs: String,
}

impl ListingView {
    fn of(l: &Listing, lang: Locale) -> Self {
        let c = &l.contacts;
        // A text given in one language only is shown in both.
        let pick = |bg: &str, en: &str| {
            let s = lang.pick(bg, en);
            let s = if s.is_empty() { lang.pick(en, bg) } else { s };
            s.to_owned()
        };
        ListingView {
            slug: l.org.slug.clone(),
            name: l.org.name(lang).to_owned(),
            phones: c.phones.iter().map(|p| PhoneView::of(p, lang)).collect(),
            email: c.email.clone(),
            website: c.website.clone(),
            address: pick(&c.address_bg, &c.address_en),
            hours: pick(&c.hours_bg, &c.hours_en),
            regions: if c.regions.is_empty() {
                i18n::t(lang, "help-nationwide")
            } else {
                c.regions
                    .iter()
                    .map(|r| r.name(lang.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            needs: c
                .needs
                .iter()
                .map(|n| need_label(lang, *n))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

pub fn need_label(lang: Locale, n: Need) -> String {
    i18n::t(lang, &format!("need-{}", n.as_str()))
}

fn hotlines(d: &PublicDirectory, lang: Locale) -> Vec<Hotline> {
    d.hotlines()
        .into_iter()
        .map(|(org, p)| Hotline {
            phone: PhoneView::of(p, lang),
            org: org.name(lang).to_owned(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "help_home.html")]
pub struct HomePage {
    pub base: PublicBase,
    pub hotlines: Vec<Hotline>,
    pub needs: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "help_where.html")]
pub struct WherePage {
    pub base: PublicBase,
    pub regions: Vec<(&'static str, &'static str)>,
    pub needs: Vec<(&'static str, String)>,
    pub region: String,
    pub need: String,
    pub error: Option<String>,
    pub results: Vec<ListingView>,
    pub hotlines: Vec<Hotline>,
}

pub struct ServiceView {
    pub code: String,
    pub name: String,
    pub description: String,
    pub providers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "help_services.html")]
pub struct ServicesPage {
    pub base: PublicBase,
    pub services: Vec<ServiceView>,
}

/// How many signs of trafficking and pieces of advice the signs page lists
/// (`help-sign-1` …, `help-advice-1` … in the .ftl files).
const SIGNS: usize = 8;
const ADVICE: usize = 5;

/// The numbered keys of the signs page, for the test that every key exists.
pub fn numbered_keys() -> Vec<String> {
    (1..=SIGNS)
        .map(|i| format!("help-sign-{i}"))
        .chain((1..=ADVICE).map(|i| format!("help-advice-{i}")))
        .collect()
}

#[derive(Template)]
#[template(path = "help_signs.html")]
pub struct SignsPage {
    pub base: PublicBase,
    pub signs: Vec<String>,
    pub advice: Vec<String>,
    pub hotlines: Vec<Hotline>,
}

fn html(t: &impl Template) -> Result<String, HttpError> {
    t.render().map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        AppError::Internal.into()
    })
}

fn needs_of(lang: Locale) -> Vec<(&'static str, String)> {
    Need::ALL
        .iter()
        .map(|n| (n.as_str(), need_label(lang, *n)))
        .collect()
}

/// A cached page as a response: 304 when the browser has this version already.
async fn cached(
    state: &AppState,
    headers: &HeaderMap,
    lang: Locale,
    key: &str,
    render: impl FnOnce(&PublicDirectory) -> Result<String, HttpError>,
) -> Result<Response, HttpError> {
    let key = format!("{}{key}", lang.as_str());
    let page = state.public.page(&state.app, &key, render).await?;
    let etag = format!("\"{}-{}\"", page.version, lang.as_str());
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Html(page.html.to_string()).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.as_str()),
    );
    // The language comes from the switch's cookie.
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    Ok(r)
}

fn home_page(
    state: &AppState,
    lang: Locale,
    here: &str,
    d: &PublicDirectory,
) -> Result<String, HttpError> {
    html(&HomePage {
        base: PublicBase::new(state, lang, "help-title", here.to_owned()),
        hotlines: hotlines(d, lang),
        needs: needs_of(lang),
    })
}

/// `/help`: the hotlines first, then the ways on.
pub async fn home(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    cached(&state, &headers, lang, "/help", |d| {
        home_page(&state, lang, "/help", d)
    })
    .await
}

/// `/` for a visitor who is not signed in: the public home page.
pub async fn visitor_home(state: &AppState, lang: Locale) -> Result<Response, HttpError> {
    let r = cached(state, &HeaderMap::new(), lang, "/", |d| {
        home_page(state, lang, "/", d)
    })
    .await?;
    Ok(r)
}

/// `/` on a public-only server.
pub async fn root(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, HttpError> {
    visitor_home(&state, lang).await
}

#[derive(Debug, Default, Deserialize)]
pub struct WhereQuery {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub need: String,
}

/// `/help/where?region=BG-22&need=shelter`: the organisations to turn to.
pub async fn where_to(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
    query: Result<Query<WhereQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, HttpError> {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let (region_s, need_s) = (q.region.trim().to_owned(), q.need.trim().to_owned());
    let region = (!region_s.is_empty()).then(|| Region::parse(&region_s));
    let need = (!need_s.is_empty()).then(|| Need::parse(&need_s).ok());
    let bad = match (region, need) {
        (Some(None), _) => Some("help-where-bad-region"),
        (_, Some(None)) => Some("help-where-bad-need"),
        _ => None,
    };
    let (region, need) = (region.flatten(), need.flatten());
    let mut query = vec![];
    if let Some(r) = region {
        query.push(format!("region={}", r.code()));
    }
    if let Some(n) = need {
        query.push(format!("need={}", n.as_str()));
    }
    let here = if query.is_empty() {
        "/help/where".to_owned()
    } else {
        format!("/help/where?{}", query.join("&"))
    };
    let page = |d: &PublicDirectory, error: Option<String>| {
        html(&WherePage {
            base: PublicBase::new(&state, lang, "help-where-title", here.clone()),
            regions: Region::all()
                .map(|r| (r.code(), r.name(lang.as_str())))
                .collect(),
            needs: needs_of(lang),
            region: region.map(|r| r.code().to_owned()).unwrap_or_default(),
            need: need.map(|n| n.as_str().to_owned()).unwrap_or_default(),
            results: d
                .where_to(region, need)
                .into_iter()
                .map(|l| ListingView::of(l, lang))
                .collect(),
            hotlines: hotlines(d, lang),
            error,
        })
    };
    if let Some(key) = bad {
        // Not cached: a mistyped address should not fill the cache.
        let d = state.app.public_directory().await?;
        let mut r = Html(page(&d, Some(i18n::t(lang, key)))?).into_response();
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(r);
    }
    cached(&state, &headers, lang, &here.clone(), |d| page(d, None)).await
}

/// `/help/services`: IOM's catalogue of services and who provides each.
pub async fn services(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    cached(&state, &headers, lang, "/help/services", |d| {
        html(&ServicesPage {
            base: PublicBase::new(&state, lang, "help-services-title", "/help/services".into()),
            services: d
                .services
                .iter()
                .map(|s| ServiceView {
                    code: s.code.clone(),
                    name: lang.pick(&s.name_bg, &s.name_en).clone(),
                    description: lang.pick(&s.description_bg, &s.description_en).clone(),
                    providers: s
                        .providers
                        .iter()
                        .map(|o| (o.slug.clone(), o.name(lang).to_owned()))
                        .collect(),
                })
                .collect(),
        })
    })
    .await
}

/// `/help/signs`: the signs of trafficking for people going to work abroad.
pub async fn signs(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    cached(&state, &headers, lang, "/help/signs", |d| {
        html(&SignsPage {
            base: PublicBase::new(&state, lang, "help-signs-title", "/help/signs".into()),
            signs: (1..=SIGNS)
                .map(|i| i18n::t(lang, &format!("help-sign-{i}")))
                .collect(),
            advice: (1..=ADVICE)
                .map(|i| i18n::t(lang, &format!("help-advice-{i}")))
                .collect(),
            hotlines: hotlines(d, lang),
        })
    })
    .await
}
