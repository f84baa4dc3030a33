//! Signing in: password, then the second factor (enrolment with a QR code the first
//! time), then a forced password change where the account has a one-time password.
//! Every failure gets the same message whatever went wrong, and counts towards the
//! lockout of the account and of the client address.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    Form,
    extract::{ConnectInfo, State},
    http::{HeaderMap, header},
    response::{AppendHeaders, Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::{password::NewPassword, user::Locale};
use zakrila_store::{
    accounts::{dummy_hash, is_active, verify_password},
    audit::AuditEntry,
    throttle::{MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES, account_key, address_key},
};

use crate::{
    auth::{Pending, clear_session_cookie, client_addr, next_step, session_cookie},
    error::{AppError, HttpError},
    lang::{Lang, cookie},
    state::AppState,
    views::layout::Base,
};

#[derive(Template)]
#[template(path = "signin.html")]
pub struct SignInPage {
    pub base: Base,
    pub error: Option<String>,
    pub email: String,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub base: Base,
    pub error: Option<String>,
    /// Enrolment: the QR code (SVG markup we generated) and the secret URL.
    pub qr_svg: Option<String>,
    pub otpauth: Option<String>,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub base: Base,
    pub errors: Vec<String>,
    pub forced: bool,
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(h) => Html(h).into_response(),
        Err(_) => HttpError(AppError::Internal).into_response(),
    }
}

pub async fn signin_form(Lang(lang): Lang) -> Response {
    render(&SignInPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "signin-title")),
        error: None,
        email: String::new(),
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
}

fn signin_failed(lang: Locale, email: String) -> Response {
    let page = SignInPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "signin-title")),
        error: Some(crate::i18n::t(lang, "signin-failed")),
        email,
    };
    let mut r = render(&page);
    *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    r
}

pub async fn signin(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Result<Response, HttpError> {
    let store = &state.store;
    let addr_key = address_key(&client_addr(&state, &headers, Some(peer)));
    let user = store.user_by_email(&f.email).await?;
    let acct_key = user.as_ref().map(|u| account_key(&u.id));
    let locked = store.is_locked(&addr_key).await?
        || match &acct_key {
            Some(k) => store.is_locked(k).await?,
            None => false,
        };
    // Always run one Argon2 verification, so the answer takes as long whether or
    // not the account exists or is locked.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(dummy_hash());
    let password_ok = verify_password(hash, &f.password);
    let ok = !locked && password_ok && user.as_ref().is_some_and(is_active);
    let Some(user) = user.filter(|_| ok) else {
        store
            .record_failure(&addr_key, MAX_ADDRESS_FAILURES)
            .await?;
        if let Some(k) = &acct_key {
            store.record_failure(k, MAX_ACCOUNT_FAILURES).await?;
        }
        let entity_id = acct_key
            .as_ref()
            .map(|k| k.trim_start_matches("account:").to_owned());
        let mut entry = AuditEntry::new(None, "auth.signin_failed", "user");
        entry.entity_id = entity_id;
        store.record(entry).await?;
        return Ok(signin_failed(lang, f.email));
    };
    store.clear_failures(&account_key(&user.id)).await?;
    let second_ok = !zakrila_app::Account::from(user.clone()).needs_second_factor();
    let token = store
        .create_session(
            &user.id,
            second_ok,
            cookie(&headers, crate::auth::SESSION_COOKIE),
        )
        .await?;
    store
        .record(
            AuditEntry::new(
                uuid::Uuid::parse_str(&user.id).ok(),
                "auth.signin_password",
                "user",
            )
            .id(&user.id),
        )
        .await?;
    let next = if !second_ok {
        if user.totp_enabled {
            "/login/totp"
        } else {
            "/login/totp/enrol"
        }
    } else if user.must_change_password {
        "/account/password"
    } else {
        "/"
    };
    // The language chosen on the sign-in page wins; otherwise the user's saved one.
    let lang = if cookie(&headers, crate::lang::LANG_COOKIE).is_some() {
        lang
    } else {
        Locale::from_tag(&user.locale)
    };
    Ok((
        // `AppendHeaders`: a plain array would keep only the last Set-Cookie.
        AppendHeaders([
            (header::SET_COOKIE, session_cookie(&state, &token)),
            (
                header::SET_COOKIE,
                format!(
                    "lang={}; Path=/; SameSite=Strict; Max-Age=31536000",
                    lang.as_str()
                ),
            ),
        ]),
        Redirect::to(next),
    )
        .into_response())
}

pub async fn totp_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    p: Pending,
) -> Result<Response, HttpError> {
    if p.second_factor_ok {
        return Ok(Redirect::to(next_step(&p).unwrap_or("/")).into_response());
    }
    if !p.user.totp_enabled {
        return Ok(Redirect::to("/login/totp/enrol").into_response());
    }
    let _ = state;
    Ok(render(&TotpPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "totp-title")),
        error: None,
        qr_svg: None,
        otpauth: None,
    }))
}

pub async fn enrol_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    p: Pending,
) -> Result<Response, HttpError> {
    if p.second_factor_ok || p.user.totp_enabled {
        return Ok(Redirect::to("/login/totp").into_response());
    }
    let url = state.store.begin_totp_enrolment(&p.user.id).await?;
    Ok(render(&enrol_page(lang, &url, None)))
}

fn enrol_page(lang: Locale, url: &str, error: Option<String>) -> TotpPage {
    let qr = qrcode::QrCode::new(url.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build()
        })
        .ok();
    TotpPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "enrol-title")),
        error,
        qr_svg: qr,
        otpauth: Some(url.to_owned()),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn totp_submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    p: Pending,
    Form(f): Form<CodeForm>,
) -> Result<Response, HttpError> {
    let store = &state.store;
    let key = account_key(&p.user.id);
    let ok = !store.is_locked(&key).await? && store.check_totp(&p.user.id, &f.code).await?;
    let actor = uuid::Uuid::parse_str(&p.user.id).ok();
    if !ok {
        store.record_failure(&key, MAX_ACCOUNT_FAILURES).await?;
        store
            .record(AuditEntry::new(actor, "auth.totp_failed", "user").id(&p.user.id))
            .await?;
        let msg = Some(crate::i18n::t(lang, "signin-failed"));
        let mut r = if p.user.totp_enabled {
            render(&TotpPage {
                base: Base::anonymous(lang, crate::i18n::t(lang, "totp-title")),
                error: msg,
                qr_svg: None,
                otpauth: None,
            })
        } else {
            let url = store.begin_totp_enrolment(&p.user.id).await?;
            render(&enrol_page(lang, &url, msg))
        };
        *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(r);
    }
    store.clear_failures(&key).await?;
    // A new session id once the second factor passes (rotation on privilege change).
    let token = store
        .create_session(&p.user.id, true, Some(&p.token))
        .await?;
    store
        .record(AuditEntry::new(actor, "auth.signin", "user").id(&p.user.id))
        .await?;
    let next = if p.user.must_change_password {
        "/account/password"
    } else {
        "/"
    };
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, &token))],
        Redirect::to(next),
    )
        .into_response())
}

pub async fn password_form(Lang(lang): Lang, p: Pending) -> Response {
    if !p.second_factor_ok {
        return Redirect::to("/login").into_response();
    }
    render(&PasswordPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "password-title")),
        errors: vec![],
        forced: p.user.must_change_password,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    p: Pending,
    Form(f): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    if !p.second_factor_ok {
        return Ok(Redirect::to("/login").into_response());
    }
    let mut errors = vec![];
    let hash = state
        .store
        .user_by_id(&p.user.id)
        .await?
        .map(|u| u.password_hash)
        .unwrap_or_default();
    if !verify_password(&hash, &f.current) {
        errors.push("error-password-current");
    }
    if f.new != f.confirm {
        errors.push("error-password-confirm");
    }
    let parsed = NewPassword::parse(&f.new);
    if let Err(e) = &parsed {
        errors.push(e.key);
    }
    let result = match parsed {
        Ok(np) if errors.is_empty() => {
            state
                .store
                .set_password(uuid::Uuid::parse_str(&p.user.id).ok(), &p.user.id, &np)
                .await
        }
        _ => Ok(()),
    };
    if let Err(zakrila_store::StoreError::Domain(d)) = &result {
        errors.push(d.key);
    } else {
        result?;
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            base: Base::anonymous(lang, crate::i18n::t(lang, "password-title")),
            errors: errors
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect(),
            forced: p.user.must_change_password,
        };
        let mut r = render(&page);
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    Ok(Redirect::to("/").into_response())
}

pub async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(token) = cookie(&headers, crate::auth::SESSION_COOKIE) {
        if let Some(s) = state.store.session(token).await? {
            state
                .store
                .record(
                    AuditEntry::new(
                        uuid::Uuid::parse_str(&s.user_id).ok(),
                        "auth.signout",
                        "user",
                    )
                    .id(&s.user_id),
                )
                .await?;
        }
        state.store.end_session(token).await?;
    }
    Ok((
        [(header::SET_COOKIE, clear_session_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
}

/// The language switch: a cookie (and the user's saved preference when signed in),
/// then back to the page it was pressed on.
pub async fn switch_lang(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LangForm>,
) -> Result<Response, HttpError> {
    let lang = Locale::from_tag(&f.lang);
    if let Some(token) = cookie(&headers, crate::auth::SESSION_COOKIE)
        && let Some(s) = state.store.session(token).await?
    {
        state.store.set_locale(&s.user_id, lang).await?;
    }
    // Only ever redirect to a path on this site.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    Ok((
        [(
            header::SET_COOKIE,
            format!(
                "lang={}; Path=/; SameSite=Strict; Max-Age=31536000",
                lang.as_str()
            ),
        )],
        Redirect::to(&back),
    )
        .into_response())
}
