//! The organisation directory pages: the list, and each organisation with its
//! public contacts (operations in `zakrila_app::orgs` and `zakrila_app::directory`).

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use zakrila_app::{
    directory::{ContactsInput, PhoneInput},
    orgs::NewOrganisation,
};
use zakrila_domain::{
    directory::{MAX_PHONES, Need},
    org::OrgKind,
    region::Region,
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    form::FormFields,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub struct OrgRow {
    pub slug: String,
    pub abbrev: String,
    pub name: String,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "orgs.html")]
pub struct OrgsPage {
    pub base: Base,
    pub orgs: Vec<OrgRow>,
    pub can_manage: bool,
    pub kinds: Vec<(&'static str, String)>,
    pub errors: Vec<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    page(&state, &a, lang, vec![]).await
}

async fn page(
    state: &AppState,
    a: &crate::auth::Authed,
    lang: Locale,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let d = state.app.organisations(a).await?;
    let base = Base::for_user(a, lang, "orgs-title");
    let orgs = d
        .orgs
        .into_iter()
        .map(|e| OrgRow {
            kind: base.t(&format!("org-kind-{}", e.org.kind.as_str())),
            name: e.org.name(lang).to_owned(),
            abbrev: e.org.abbrev_bg,
            slug: e.org.slug,
        })
        .collect();
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str(), base.t(&format!("org-kind-{}", k.as_str()))))
        .collect();
    render(&OrgsPage {
        base,
        orgs,
        can_manage: d.can_manage,
        kinds,
        errors,
    })
}

/// Adds an organisation (the Commission's admins); bad input re-renders the page
/// with the reasons.
pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<NewOrganisation>,
) -> Result<Response, HttpError> {
    match state.app.create_organisation(&a, f).await {
        Ok(_) => Ok(crate::flash::redirect(
            "/organisations",
            "flash-org-created",
        )),
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            let mut r = page(&state, &a, lang, msgs).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// One row of the phones table of the contacts form.
pub struct PhoneRow {
    pub number: String,
    pub label_bg: String,
    pub label_en: String,
    pub hotline: bool,
}

#[derive(Template)]
#[template(path = "org.html")]
pub struct OrgPage {
    pub base: Base,
    pub slug: String,
    pub abbrev: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: String,
    pub can_edit: bool,
    pub form: ContactsInput,
    pub phones: Vec<PhoneRow>,
    pub regions: Vec<(&'static str, &'static str)>,
    pub needs: Vec<(&'static str, String)>,
    pub services: Vec<(String, String)>,
    /// The regions served, in words ("the whole country" when none are chosen).
    pub regions_text: String,
    pub errors: Vec<String>,
}

impl OrgPage {
    pub fn has_region(&self, code: &str) -> bool {
        self.form.regions.iter().any(|r| r == code)
    }
    pub fn has_need(&self, code: &str) -> bool {
        self.form.needs.iter().any(|r| r == code)
    }
    pub fn has_service(&self, code: &str) -> bool {
        self.form.services.iter().any(|r| r == code)
    }
}

/// Blank rows offered below the phones an organisation has.
const BLANK_PHONES: usize = 2;

async fn org_page(
    state: &AppState,
    a: &crate::auth::Authed,
    lang: Locale,
    slug: &str,
    typed: Option<ContactsInput>,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let oc = state.app.org_contacts(a, slug).await?;
    let mut base = Base::for_user(a, lang, "org-title");
    base.title = oc.org.name(lang).to_owned();
    let form = typed.unwrap_or_else(|| ContactsInput::of(&oc.contacts));
    let mut phones: Vec<PhoneRow> = form
        .phones
        .iter()
        .map(|p| PhoneRow {
            number: p.number.clone(),
            label_bg: p.label_bg.clone(),
            label_en: p.label_en.clone(),
            hotline: p.hotline,
        })
        .collect();
    let blank = (BLANK_PHONES).min(MAX_PHONES.saturating_sub(phones.len()));
    phones.extend((0..blank).map(|_| PhoneRow {
        number: String::new(),
        label_bg: String::new(),
        label_en: String::new(),
        hotline: false,
    }));
    let services = oc
        .catalogue
        .iter()
        .map(|s| {
            let name = lang.pick(&s.name_bg, &s.name_en).clone();
            (s.code.clone(), name)
        })
        .collect();
    let regions_text = if oc.contacts.regions.is_empty() {
        base.t("help-nationwide")
    } else {
        oc.contacts
            .regions
            .iter()
            .map(|r| r.name(lang.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = OrgPage {
        kind: base.t(&format!("org-kind-{}", oc.org.kind.as_str())),
        slug: oc.org.slug.clone(),
        abbrev: oc.org.abbrev_bg.clone(),
        name_bg: oc.org.name_bg.clone(),
        name_en: oc.org.name_en.clone(),
        can_edit: oc.can_edit,
        form,
        phones,
        regions: Region::all()
            .map(|r| (r.code(), r.name(lang.as_str())))
            .collect(),
        needs: Need::ALL
            .iter()
            .map(|n| (n.as_str(), crate::views::help::need_label(lang, *n)))
            .collect(),
        services,
        regions_text,
        errors,
        base,
    };
    render(&page)
}

/// `/organisations/{slug}`: the organisation with its public contacts, and the
/// form to keep them for those who may.
pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(slug): Path<String>,
) -> Result<Response, HttpError> {
    org_page(&state, &a, lang, &slug, None, vec![]).await
}

/// The contacts form as the operation's input: phone rows by position, the hotline
/// boxes carrying their row's index.
fn contacts_input(f: &FormFields) -> ContactsInput {
    let numbers = f.all("phone_number");
    let labels_bg = f.all("phone_label_bg");
    let labels_en = f.all("phone_label_en");
    let hot = f.all("phone_hotline");
    let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    ContactsInput {
        phones: (0..numbers.len())
            .map(|i| PhoneInput {
                number: at(&numbers, i),
                label_bg: at(&labels_bg, i),
                label_en: at(&labels_en, i),
                hotline: hot.contains(&i.to_string()),
            })
            .collect(),
        email: f.text("email"),
        website: f.text("website"),
        address_bg: f.text("address_bg"),
        address_en: f.text("address_en"),
        hours_bg: f.text("hours_bg"),
        hours_en: f.text("hours_en"),
        regions: f.all("regions"),
        needs: f.all("needs"),
        services: f.all("services"),
    }
}

/// Saves an organisation's contacts; bad input shows the form again as typed, with
/// the reasons, and stores nothing.
pub async fn save_contacts(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(slug): Path<String>,
    f: FormFields,
) -> Result<Response, HttpError> {
    let input = contacts_input(&f);
    match state.app.edit_contacts(&a, &slug, input.clone()).await {
        Ok(_) => {
            state.public.invalidate();
            Ok(crate::flash::redirect(
                &format!("/organisations/{slug}"),
                "flash-contacts-saved",
            ))
        }
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e
                .keys()
                .into_iter()
                .map(|k| crate::i18n::t(lang, k))
                .collect();
            let r = org_page(&state, &a, lang, &slug, Some(input), msgs).await?;
            Ok(crate::views::unprocessable(r))
        }
        Err(e) => Err(e.into()),
    }
}
