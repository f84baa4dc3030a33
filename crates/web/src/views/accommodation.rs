//! `/shelters` (occupancy today and the Programme's counts) and the case page's
//! accommodation section: the person's placements and the referrals abroad, with
//! the forms to place, end a placement, refer abroad and move a referral along.
//! Every form posts to `/cases/{id}/…` and works without JavaScript; the data come
//! from `zakrila_app::accommodation` and `zakrila_app::abroad`.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    abroad::{AbroadStatusBody, ReferralAbroadBody},
    accommodation::{EndPlacementBody, PlacementBody, ShelterOut},
};
use zakrila_domain::{
    abroad::{AbroadStatus, CounterpartKind, Direction},
    accommodation::{BedGroup, LeavingReason},
    outreach::PlaceKind,
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::HttpError,
    format, label,
    lang::Lang,
    options,
    state::AppState,
    views::{
        case_details::Tr,
        case_page::or_errors,
        layout::{Base, date},
        render,
    },
};

type Options = Vec<(&'static str, &'static str)>;

pub struct ShelterRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub capacity: String,
    pub occupied: String,
    pub free: String,
    pub by_group: String,
}

fn n(v: Option<u32>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn shelter_row(s: &ShelterOut, lang: Locale) -> ShelterRow {
    let groups = [
        (
            BedGroup::Women,
            s.occupied_by_group.women,
            s.capacity_by_group.women,
        ),
        (
            BedGroup::Men,
            s.occupied_by_group.men,
            s.capacity_by_group.men,
        ),
        (
            BedGroup::Children,
            s.occupied_by_group.children,
            s.capacity_by_group.children,
        ),
        (
            BedGroup::MothersWithChildren,
            s.occupied_by_group.mothers_with_children,
            s.capacity_by_group.mothers_with_children,
        ),
    ];
    ShelterRow {
        id: s.id.clone(),
        name: lang.pick(&s.name_bg, &s.name_en).to_owned(),
        kind: label!(PlaceKind, &s.kind, lang),
        capacity: n(s.capacity),
        occupied: s.occupied.to_string(),
        free: n(s.free),
        by_group: groups
            .iter()
            .filter(|(_, occ, cap)| occ.unwrap_or(0) > 0 || cap.is_some())
            .map(|(g, occ, cap)| {
                format!(
                    "{}: {}/{}",
                    lang.pick(g.label_bg(), g.label_en()),
                    occ.unwrap_or(0),
                    n(*cap)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[derive(Template)]
#[template(path = "shelters.html")]
pub struct SheltersPage {
    pub base: Base,
    pub shelters: Vec<ShelterRow>,
    pub day: String,
    pub year: i32,
    pub currently: String,
    pub in_year: String,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let shelters = state.app.shelters(&a).await?;
    let counts = state.app.shelter_counts(&a, None).await?;
    render(&SheltersPage {
        base: Base::for_user(&a, lang, "shelters-title"),
        shelters: shelters.iter().map(|s| shelter_row(s, lang)).collect(),
        day: date(&counts.day),
        year: counts.year,
        currently: format::integer(counts.currently_supported as i64, lang),
        in_year: format::integer(counts.supported_in_year as i64, lang),
    })
}

pub struct PlacementRow {
    pub id: String,
    pub place: String,
    pub group: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub open: bool,
    pub version: i32,
}

pub struct AbroadRow {
    pub id: String,
    pub direction: String,
    pub country: String,
    pub kind: String,
    pub counterpart: String,
    pub status: String,
    pub on: String,
    pub version: i32,
    pub next: Options,
}

#[derive(Template)]
#[template(path = "case_accommodation_partial.html", whitespace = "minimize")]
pub struct Section {
    pub tr: Tr,
    pub case_id: String,
    pub placements: Vec<PlacementRow>,
    pub has_open: bool,
    /// (id, "name — free places").
    pub shelters: Vec<(String, String)>,
    pub abroad: Vec<AbroadRow>,
    pub can_place: bool,
    pub can_refer_abroad: bool,
    pub groups: Options,
    pub reasons: Options,
    pub directions: Options,
    pub kinds: Options,
    pub today: String,
}

/// The case page's accommodation and referrals-abroad section, as HTML.
pub fn case_section(
    lang: Locale,
    s: &zakrila_app::accommodation::AccommodationSection,
) -> Result<String, HttpError> {
    let t = |k: &str| crate::i18n::t(lang, k);
    let placements: Vec<PlacementRow> = s
        .placements
        .iter()
        .map(|p| PlacementRow {
            id: p.id.clone(),
            place: lang.pick(&p.place_bg, &p.place_en).to_owned(),
            group: label!(BedGroup, &p.group, lang),
            from: date(&p.from_on),
            to: p.to_on.as_deref().map(date).unwrap_or_default(),
            reason: p
                .leaving_reason
                .as_deref()
                .map(|r| label!(LeavingReason, r, lang))
                .unwrap_or_default(),
            open: p.to_on.is_none(),
            version: p.version,
        })
        .collect();
    let section = Section {
        has_open: placements.iter().any(|p| p.open),
        placements,
        shelters: s
            .shelters
            .iter()
            .map(|sh| {
                let free = match sh.free {
                    Some(f) => format!("{} {f}", t("shelters-free")),
                    None => t("shelters-unlimited"),
                };
                (
                    sh.id.clone(),
                    format!("{} — {free}", lang.pick(&sh.name_bg, &sh.name_en)),
                )
            })
            .collect(),
        abroad: s
            .abroad
            .iter()
            .map(|r| AbroadRow {
                id: r.id.clone(),
                direction: label!(Direction, &r.direction, lang),
                country: format::country(&r.country, lang),
                kind: label!(CounterpartKind, &r.kind, lang),
                counterpart: r.counterpart.clone(),
                status: label!(AbroadStatus, &r.status, lang),
                on: date(&r.referred_on),
                version: r.version,
                next: r
                    .next
                    .iter()
                    .filter_map(|n| AbroadStatus::parse(n).ok())
                    .map(|n| (n.as_str(), lang.pick(n.label_bg(), n.label_en())))
                    .collect(),
            })
            .collect(),
        can_place: s.can_place,
        can_refer_abroad: s.can_refer_abroad,
        groups: options!(BedGroup, lang),
        reasons: options!(LeavingReason, lang),
        directions: options!(Direction, lang),
        kinds: options!(CounterpartKind, lang),
        today: {
            let d = time::OffsetDateTime::now_utc().date();
            format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
        },
        case_id: s.case_id.clone(),
        tr: Tr(lang),
    };
    section.render().map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        crate::error::AppError::Internal.into()
    })
}

pub async fn place(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<PlacementBody>,
) -> Result<Response, HttpError> {
    let r = state.app.place_in_shelter(&a, &id, f).await.map(|_| ());
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}

pub async fn end(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Form<EndPlacementBody>,
) -> Result<Response, HttpError> {
    let r = state.app.end_placement(&a, &id, &pid, f).await.map(|_| ());
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}

pub async fn refer(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<ReferralAbroadBody>,
) -> Result<Response, HttpError> {
    let r = state.app.refer_abroad(&a, &id, f).await.map(|_| ());
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}

pub async fn status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, rid)): Path<(String, String)>,
    Form(f): Form<AbroadStatusBody>,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .set_abroad_status(&a, &id, &rid, f)
        .await
        .map(|_| ());
    or_errors(&state, &a, lang, &id, r.map_err(Into::into)).await
}
