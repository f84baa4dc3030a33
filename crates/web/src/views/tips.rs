//! The public anonymous tip form: `/tip` (tell what happened; a receipt code is
//! shown once) and `/tip/more` (add information with the receipt). Works without
//! JavaScript and sets no cookie. A filled honeypot field is answered like a tip
//! but stores nothing. Operations in `zakrila_app::tips`, as the API's.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use zakrila_app::tips::{TipAddition, TipBody};
use zakrila_domain::{case::ExploitationForm, user::Locale};

use crate::{
    auth::client_addr,
    error::{AppError, HttpError},
    form::FormFields,
    lang::Lang,
    options,
    state::AppState,
    views::{help::PublicBase, render, signals::locations},
};

type Choices = Vec<(&'static str, &'static str)>;

/// The honeypot: a field people never see (off-screen, skipped by the keyboard)
/// that form-filling robots fill in.
pub const HONEYPOT: &str = "website";

#[derive(Template)]
#[template(path = "tip.html")]
pub struct TipPage {
    pub base: PublicBase,
    pub forms: Choices,
    pub locations: Choices,
    pub errors: Vec<String>,
    pub form: FormFields,
}

impl TipPage {
    pub fn val(&self, k: &str) -> String {
        self.form.text(k)
    }
    pub fn has(&self, k: &str, v: &str) -> bool {
        self.form.all(k).iter().any(|x| x == v)
    }
}

#[derive(Template)]
#[template(path = "tip_receipt.html")]
pub struct ReceiptPage {
    pub base: PublicBase,
    pub receipt: String,
}

#[derive(Template)]
#[template(path = "tip_more.html")]
pub struct MorePage {
    pub base: PublicBase,
    pub errors: Vec<String>,
    pub done: bool,
    pub form: FormFields,
}

impl MorePage {
    pub fn val(&self, k: &str) -> String {
        self.form.text(k)
    }
}

fn tip_page(state: &AppState, lang: Locale, errors: Vec<String>, form: FormFields) -> TipPage {
    TipPage {
        base: PublicBase::new(state, lang, "tip-title", "/tip".to_owned()),
        forms: options!(ExploitationForm, lang),
        locations: locations(lang),
        errors,
        form,
    }
}

fn messages(e: &AppError, lang: Locale) -> Vec<String> {
    e.keys()
        .into_iter()
        .map(|k| crate::i18n::t(lang, k))
        .collect()
}

fn with_status(status: StatusCode, r: Result<Response, HttpError>) -> Result<Response, HttpError> {
    r.map(|mut r| {
        *r.status_mut() = status;
        r
    })
}

pub async fn form(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, HttpError> {
    render(&tip_page(&state, lang, vec![], FormFields::default()))
}

/// The tip desk: the configured organisation, or the default.
pub fn desk(state: &AppState) -> &str {
    state
        .cfg
        .tip_desk
        .as_deref()
        .unwrap_or(zakrila_app::tips::DEFAULT_TIP_DESK)
}

pub async fn submit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    f: FormFields,
) -> Result<Response, HttpError> {
    let base = || PublicBase::new(&state, lang, "tip-received-title", "/tip".to_owned());
    if !f.text(HONEYPOT).is_empty() {
        // Answered like a tip so that the robot learns nothing; nothing is stored.
        return with_status(
            StatusCode::CREATED,
            render(&ReceiptPage {
                base: base(),
                receipt: zakrila_app::tips::new_receipt(),
            }),
        );
    }
    let body = TipBody {
        what: f.text("what"),
        where_: f.get("where"),
        when: f.get("when"),
        forms: f.all("forms"),
        contact: f.get("contact"),
    };
    let addr = client_addr(&state, &headers, Some(peer));
    match state.app.submit_tip(desk(&state), &addr, body).await {
        Ok(r) => with_status(
            StatusCode::CREATED,
            render(&ReceiptPage {
                base: base(),
                receipt: r.receipt,
            }),
        ),
        Err(e @ AppError::Invalid(_)) => with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&tip_page(&state, lang, messages(&e, lang), f)),
        ),
        Err(AppError::Paused(_)) => with_status(
            StatusCode::TOO_MANY_REQUESTS,
            render(&tip_page(
                &state,
                lang,
                vec![crate::i18n::t(lang, "error-tip-paused")],
                f,
            )),
        ),
        Err(e) => Err(e.into()),
    }
}

fn more_page(
    state: &AppState,
    lang: Locale,
    errors: Vec<String>,
    done: bool,
    form: FormFields,
) -> MorePage {
    MorePage {
        base: PublicBase::new(state, lang, "tip-more-title", "/tip/more".to_owned()),
        errors,
        done,
        form,
    }
}

pub async fn more_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    render(&more_page(
        &state,
        lang,
        vec![],
        false,
        FormFields::default(),
    ))
}

pub async fn more(
    State(state): State<AppState>,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, HttpError> {
    if !f.text(HONEYPOT).is_empty() {
        return render(&more_page(
            &state,
            lang,
            vec![],
            true,
            FormFields::default(),
        ));
    }
    let r = state
        .app
        .add_to_tip(TipAddition {
            receipt: f.text("receipt"),
            text: f.text("text"),
        })
        .await;
    match r {
        Ok(()) => render(&more_page(
            &state,
            lang,
            vec![],
            true,
            FormFields::default(),
        )),
        Err(e @ AppError::Invalid(_)) => with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&more_page(&state, lang, messages(&e, lang), false, f)),
        ),
        Err(e) => Err(e.into()),
    }
    .map(IntoResponse::into_response)
}
