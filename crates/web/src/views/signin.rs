//! Signing in: password, then the second factor (enrolment with a QR code the first
//! time), then a forced password change where the account has a one-time password.
//! Every failure gets the same message whatever went wrong, and counts towards the
//! lockout of the account and of the client address. The steps themselves are
//! `zakrila_app::signin`; this module turns them into cookies, redirects and pages.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    Form,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode, header},
    response::{AppendHeaders, Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_app::signin::{Credentials, PasswordChange};
use zakrila_domain::user::Locale;

use crate::{
    auth::{
        NextStep, Pending, clear_session_cookie, client_addr, next_step, session_cookie, step_path,
    },
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
    /// On `/`: a few words on what Zakrila is above the form.
    pub landing: bool,
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
        landing: false,
    })
}

/// `/` for a visitor without a session: what the system is, and the sign-in form.
pub fn landing(lang: Locale) -> Response {
    render(&SignInPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "signin-title")),
        error: None,
        email: String::new(),
        landing: true,
    })
}

fn signin_failed(lang: Locale, email: String, error: &AppError) -> Response {
    let (message, status) = match error {
        AppError::Paused(until) => (paused_message(lang, *until), StatusCode::TOO_MANY_REQUESTS),
        _ => (
            crate::i18n::t(lang, "signin-failed"),
            StatusCode::UNAUTHORIZED,
        ),
    };
    let page = SignInPage {
        base: Base::anonymous(lang, crate::i18n::t(lang, "signin-title")),
        error: Some(message),
        email,
        landing: false,
    };
    let mut r = render(&page);
    *r.status_mut() = status;
    r
}

/// "Attempts paused until HH:MM": the same words whether the account exists or not.
fn paused_message(lang: Locale, until: i64) -> String {
    crate::i18n::t_args(
        lang,
        "signin-paused",
        &[("time", crate::views::layout::time_of_day(until))],
    )
}

pub async fn signin(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<Credentials>,
) -> Result<Response, HttpError> {
    let addr = client_addr(&state, &headers, Some(peer));
    let previous = cookie(&headers, state.cfg.session_cookie_name());
    let s = match state.app.sign_in(&f, &addr, previous).await {
        Ok(s) => s,
        Err(e @ (AppError::Unauthorized | AppError::Paused(_))) => {
            return Ok(signin_failed(lang, f.email, &e));
        }
        Err(e) => return Err(e.into()),
    };
    // The language chosen on the sign-in page wins; otherwise the user's saved one.
    let lang = if cookie(&headers, crate::lang::LANG_COOKIE).is_some() {
        lang
    } else {
        s.locale
    };
    Ok((
        // `AppendHeaders`: a plain array would keep only the last Set-Cookie.
        AppendHeaders([
            (header::SET_COOKIE, session_cookie(&state, &s.token)),
            (
                header::SET_COOKIE,
                format!(
                    "lang={}; Path=/; SameSite=Strict; Max-Age=31536000",
                    lang.as_str()
                ),
            ),
        ]),
        Redirect::to(s.next.map_or("/", step_path)),
    )
        .into_response())
}

pub async fn totp_form(Lang(lang): Lang, p: Pending) -> Result<Response, HttpError> {
    if p.next_step() != Some(NextStep::SecondFactor) {
        return Ok(Redirect::to(next_step(&p).unwrap_or("/")).into_response());
    }
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
    if p.next_step() != Some(NextStep::EnrolSecondFactor) {
        return Ok(Redirect::to("/login/totp").into_response());
    }
    let url = state.app.begin_enrolment(&p).await?;
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
    let s = match state.app.second_factor(&p, &f.code).await {
        Ok(s) => s,
        Err(AppError::Paused(until)) => {
            let page = SignInPage {
                base: Base::anonymous(lang, crate::i18n::t(lang, "signin-title")),
                error: Some(paused_message(lang, until)),
                email: String::new(),
                landing: false,
            };
            let mut r = render(&page);
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Ok(r);
        }
        Err(AppError::Unauthorized) => {
            let msg = Some(crate::i18n::t(lang, "signin-failed"));
            let mut r = if p.user.totp_enabled {
                render(&TotpPage {
                    base: Base::anonymous(lang, crate::i18n::t(lang, "totp-title")),
                    error: msg,
                    qr_svg: None,
                    otpauth: None,
                })
            } else {
                let url = state.app.begin_enrolment(&p).await?;
                render(&enrol_page(lang, &url, msg))
            };
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            return Ok(r);
        }
        Err(e) => return Err(e.into()),
    };
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, &s.token))],
        Redirect::to(s.next.map_or("/", step_path)),
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

pub async fn password_submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    p: Pending,
    Form(f): Form<PasswordChange>,
) -> Result<Response, HttpError> {
    if !p.second_factor_ok {
        return Ok(Redirect::to("/login").into_response());
    }
    match state.app.change_password(&p, &f).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let page = PasswordPage {
                base: Base::anonymous(lang, crate::i18n::t(lang, "password-title")),
                errors: e
                    .keys()
                    .into_iter()
                    .map(|k| crate::i18n::t(lang, k))
                    .collect(),
                forced: p.user.must_change_password,
            };
            let mut r = render(&page);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(AppError::Paused(until)) => {
            let page = PasswordPage {
                base: Base::anonymous(lang, crate::i18n::t(lang, "password-title")),
                errors: vec![paused_message(lang, until)],
                forced: p.user.must_change_password,
            };
            let mut r = render(&page);
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(token) = cookie(&headers, state.cfg.session_cookie_name()) {
        state.app.sign_out(token).await?;
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
    /// The page the switch was pressed on (the Referer is never sent: no-referrer).
    #[serde(default)]
    next: Option<String>,
}

/// The language switch: a cookie (and the user's saved preference when signed in),
/// then back to the page it was pressed on.
pub async fn switch_lang(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LangForm>,
) -> Result<Response, HttpError> {
    let lang = Locale::from_tag(&f.lang);
    state
        .app
        .set_language(cookie(&headers, state.cfg.session_cookie_name()), lang)
        .await?;
    // Only ever redirect to a path on this site.
    let back = f
        .next
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
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
