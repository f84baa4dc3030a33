//! Referrals between organisations — refer, the receiver's inbox, accept, decline,
//! complete, revoke — and the services planned for a case and moved along. A
//! referral needs the person's referral consent unless a caseworker of the owning
//! organisation writes why not (audited). The inbox shows a page at a time.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{
    DomainError,
    case::{
        DeclineReason, Money, ReferralAction, ReferralStatus, ServiceStatus, parse_date,
        purpose_shown_to_receiver,
    },
    policy::{Action, Resource},
};
use zakrila_store::{
    cases::{NewReferral, NewService},
    entity::{case_service, referral},
    free_text::REFERRAL_PURPOSE,
};

use crate::{App, AppError, Authed, Errors, Org, cases::now, session::uuid_of};

/// Referrals on one page of the inbox, unless asked for fewer.
pub const INBOX_PAGE: u64 = 50;
/// The most a client may ask for at once.
pub const INBOX_MAX: u64 = 200;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferralBody {
    /// The receiving organisation's slug.
    pub to_org: String,
    pub purpose: String,
    /// A service of the catalogue, when the referral is for one.
    pub service: Option<String>,
    #[serde(default)]
    pub note: String,
    /// Refer without the person's referral consent, for this written reason
    /// (caseworkers of the owning organisation only; audited). The page's form
    /// names it `override_reason`.
    #[serde(alias = "override_reason")]
    pub consent_override_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Referral {
    pub id: String,
    pub case_id: String,
    pub from_org: String,
    pub to_org: String,
    /// The purpose may describe the person's situation, so it is kept in the vault
    /// and shown only where its read is audited: in the inbox and the list of
    /// referrals sent (null for the receiving organisation once the referral is
    /// declined, revoked or completed), and to its sender when created; null in the
    /// answers to accept, decline, complete and revoke.
    pub purpose: Option<String>,
    pub service: Option<String>,
    pub status: String,
    pub decline_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    /// Why the referral is declined (see the vocabulary `decline_reason`).
    pub reason: String,
}

/// Which referrals of the inbox: the API's query and the page's alike.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// pending, accepted, declined, completed, revoked; every status when absent.
    pub status: Option<String>,
    /// Zero-based page.
    #[serde(default)]
    pub page: Option<u64>,
    /// Referrals per page: 50 unless asked, at most 200.
    #[serde(default)]
    pub limit: Option<u64>,
}

/// A referral addressed to the caller's organisation, as the inbox lists it.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub referral: Referral,
    pub case_code: String,
    pub from: Option<Org>,
    pub to: Option<Org>,
    /// The requested service's names (Bulgarian, English), when one was asked for.
    pub service_name: Option<(String, String)>,
    /// The purpose: always to its sender, to its receiver while
    /// `purpose_shown_to_receiver`.
    pub purpose: Option<String>,
    /// Made without the person's referral consent, with a written reason.
    pub consent_override: bool,
    pub status: Option<ReferralStatus>,
    pub age_days: i64,
}

#[derive(Debug, Clone)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    /// Referrals matching in all.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl InboxQuery {
    /// The API's inbox: pending referrals unless a status is asked for.
    pub fn pending_by_default(mut self) -> Self {
        if filled(self.status.clone()).is_none() {
            self.status = Some(ReferralStatus::Pending.as_str().to_owned());
        }
        self
    }
}

impl Inbox {
    pub fn has_next(&self) -> bool {
        self.page.saturating_add(1).saturating_mul(self.per_page) < self.total
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceBody {
    /// A catalogue code (`return`, `psychological`…).
    pub service: String,
    /// The providing organisation's slug; the caller's organisation by default.
    pub provider: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Cost in BGN, e.g. `"1234.56"`.
    pub cost_bgn: Option<String>,
    pub project: Option<String>,
    /// The id of the project the service is attributed to (its targets count it).
    pub project_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Service {
    pub id: String,
    pub service: String,
    pub status: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
}

impl From<case_service::Model> for Service {
    fn from(s: case_service::Model) -> Self {
        Service {
            id: s.id,
            service: s.service_code,
            status: s.status,
            due_date: s.due_date,
            cost_stotinki: s.cost_stotinki,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceStatusBody {
    /// in_progress, delivered or cancelled.
    pub status: String,
}

/// Whether the organisation `viewer` sees the referral's purpose: its sender always,
/// anyone else (the receiver) only while the referral is pending or accepted.
fn purpose_for(r: &referral::Model, viewer: &str) -> bool {
    r.from_org == viewer || ReferralStatus::parse(&r.status).is_ok_and(purpose_shown_to_receiver)
}

fn filled(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

impl App {
    /// A referral with its organisations' slugs, from the directory read once, and
    /// its purpose when it was opened by an audited read.
    fn referral_out(r: referral::Model, orgs: &[Org], purpose: Option<String>) -> Referral {
        let slug = |id: &str| {
            orgs.iter()
                .find(|o| o.id == id)
                .map(|o| o.slug.clone())
                .unwrap_or_default()
        };
        Referral {
            from_org: slug(&r.from_org),
            to_org: slug(&r.to_org),
            purpose,
            id: r.id,
            case_id: r.case_id,
            service: r.service_code,
            status: r.status,
            decline_reason: r.decline_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }

    /// Refers the case `id` to another organisation. The case is looked up once.
    pub async fn refer(
        &self,
        a: &Authed,
        id: &str,
        b: NewReferralBody,
    ) -> Result<Referral, AppError> {
        let h = self.held(a, id, Action::ReferCase).await?;
        let override_reason = filled(b.consent_override_reason);
        if override_reason.is_some() {
            a.require(Action::OverrideConsent, &h.resource)?;
        }
        let orgs = self.all_orgs().await?;
        let purpose = b.purpose.trim().to_owned();
        let to = orgs
            .iter()
            .find(|o| o.slug == b.to_org)
            .or_else(|| orgs.iter().find(|o| o.is_named(&b.to_org)))
            .ok_or(DomainError::field("to_org", "error-org-unknown"))?;
        let r = self
            .store
            .create_referral(
                a.user_uuid(),
                NewReferral {
                    case_id: h.case.id,
                    from_org: a.org.id.clone(),
                    to_org: to.id.clone(),
                    purpose: b.purpose,
                    service_code: filled(b.service),
                    note: b.note,
                    consent_override: override_reason,
                },
                now(),
            )
            .await?;
        // The sender's own words, echoed: nothing is read back from the vault.
        Ok(Self::referral_out(r, &orgs, Some(purpose)))
    }

    /// A page of the referrals addressed to the caller's organisation, newest first.
    pub async fn inbox(&self, a: &Authed, q: &InboxQuery) -> Result<Inbox, AppError> {
        a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
        let status = filled(q.status.clone())
            .map(|s| ReferralStatus::parse(&s))
            .transpose()?;
        let per_page = q.limit.unwrap_or(INBOX_PAGE).clamp(1, INBOX_MAX);
        let page = q.page.unwrap_or(0);
        let (rows, total) = self
            .store
            .referrals_to_page(&a.org.id, status, page, per_page)
            .await?;
        self.inbox_page(a, rows, total, page, per_page, false).await
    }

    /// A page of the referrals the caller's organisation sent, newest first.
    pub async fn sent_referrals(&self, a: &Authed, q: &InboxQuery) -> Result<Inbox, AppError> {
        a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
        let per_page = q.limit.unwrap_or(INBOX_PAGE).clamp(1, INBOX_MAX);
        let page = q.page.unwrap_or(0);
        let (rows, total) = self
            .store
            .referrals_from_page(&a.org.id, page, per_page)
            .await?;
        self.inbox_page(a, rows, total, page, per_page, true).await
    }

    /// The page's items; the purposes shown are opened from the vault and their
    /// reads recorded (one identity read per case) before the page is answered.
    async fn inbox_page(
        &self,
        a: &Authed,
        rows: Vec<referral::Model>,
        total: u64,
        page: u64,
        per_page: u64,
        as_sender: bool,
    ) -> Result<Inbox, AppError> {
        let orgs = self.all_orgs().await?;
        let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
        let codes = self.store.case_codes(&ids).await?;
        let catalogue = if rows.iter().any(|r| r.service_code.is_some()) {
            self.store.list_services().await?
        } else {
            vec![]
        };
        let now_ms = crate::now_ms();
        let mut texts = self.store.text_reader();
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let status = ReferralStatus::parse(&r.status).ok();
            let viewer = if as_sender { &r.from_org } else { &r.to_org }.clone();
            let purpose = if as_sender || purpose_for(&r, &viewer) {
                texts.open(
                    &r.case_id,
                    REFERRAL_PURPOSE,
                    &r.id,
                    Some(r.purpose.as_str()),
                )?
            } else {
                None
            };
            items.push(InboxItem {
                case_code: codes.get(&r.case_id).cloned().unwrap_or_default(),
                from: orgs.iter().find(|o| o.id == r.from_org).cloned(),
                to: orgs.iter().find(|o| o.id == r.to_org).cloned(),
                service_name: r.service_code.as_ref().and_then(|code| {
                    catalogue
                        .iter()
                        .find(|s| s.code == *code)
                        .map(|s| (s.name_bg.clone(), s.name_en.clone()))
                }),
                purpose: purpose.clone(),
                consent_override: r.consent_override.is_some(),
                status,
                age_days: (now_ms - r.created_at) / 86_400_000,
                referral: Self::referral_out(r, &orgs, purpose),
            });
        }
        texts.record(a.user_uuid(), "referral inbox").await?;
        Ok(Inbox {
            items,
            total,
            page,
            per_page,
        })
    }

    /// Accepts, declines or completes a referral (its receiver) or revokes it (its
    /// sender, who must be allowed to refer the case).
    pub async fn act_on_referral(
        &self,
        a: &Authed,
        id: &str,
        action: ReferralAction,
    ) -> Result<Referral, AppError> {
        let r = self
            .store
            .referral_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if action == ReferralAction::Revoke {
            self.held(a, &r.case_id, Action::ReferCase).await?;
        } else {
            a.require(
                Action::RespondReferral,
                &Resource::Referral {
                    from: uuid_of(&r.from_org),
                    to: uuid_of(&r.to_org),
                },
            )?;
            self.refuse_erased(&r.case_id, Action::RespondReferral)
                .await?;
        }
        let r = self
            .store
            .act_on_referral(a.user_uuid(), id, action)
            .await?;
        Ok(Self::referral_out(r, &self.all_orgs().await?, None))
    }

    /// Declines a referral for a reason of the vocabulary.
    pub async fn decline_referral(
        &self,
        a: &Authed,
        id: &str,
        b: DeclineBody,
    ) -> Result<Referral, AppError> {
        let reason = DeclineReason::parse(&b.reason)?;
        self.act_on_referral(a, id, ReferralAction::Decline(reason))
            .await
    }

    /// Plans a service for the case `id`; every invalid field at once.
    pub async fn plan_service(
        &self,
        a: &Authed,
        id: &str,
        b: NewServiceBody,
    ) -> Result<Service, AppError> {
        let h = self.held(a, id, Action::EditCase).await?;
        let mut errs = Errors::default();
        let provider = match filled(b.provider) {
            Some(slug) => errs.take(
                self.store
                    .org_by_slug(&slug)
                    .await?
                    .map(|o| o.id)
                    .ok_or(DomainError::field("provider", "error-org-unknown")),
            ),
            None => Some(a.org.id.clone()),
        };
        let due = errs
            .take(
                filled(b.due_date)
                    .map(|d| parse_date(&d, "due_date"))
                    .transpose(),
            )
            .flatten();
        let cost = errs
            .take(filled(b.cost_bgn).map(|c| Money::parse(&c)).transpose())
            .flatten();
        // Only the national entries and the organisation's own active ones.
        let plannable = self.store.service_plannable(&a.org.id, &b.service).await?;
        errs.check(!plannable, "service", "error-service-unknown");
        let project_id = filled(b.project_id);
        if let Some(p) = &project_id {
            let known = self.store.project_by_id(p).await?.is_some();
            errs.check(!known, "project_id", "error-project-unknown");
        }
        errs.finish()?;
        let provider = provider.ok_or(AppError::Internal)?;
        Ok(self
            .store
            .add_service(
                a.user_uuid(),
                NewService {
                    case_id: h.case.id,
                    service_code: b.service,
                    provider_org: provider,
                    due_date: due
                        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())),
                    cost_stotinki: cost.map(|m| m.stotinki()),
                    project: filled(b.project),
                    project_id,
                },
            )
            .await?
            .into())
    }

    /// Moves a service along planned → in progress → delivered (or cancelled).
    pub async fn set_service_status(
        &self,
        a: &Authed,
        id: &str,
        b: ServiceStatusBody,
    ) -> Result<Service, AppError> {
        let s = self
            .store
            .service_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.held(a, &s.case_id, Action::EditCase).await?;
        let to = ServiceStatus::parse(&b.status)?;
        let today = now().date();
        Ok(self
            .store
            .set_service_status(
                a.user_uuid(),
                id,
                to,
                &format!(
                    "{:04}-{:02}-{:02}",
                    today.year(),
                    today.month() as u8,
                    today.day()
                ),
            )
            .await?
            .into())
    }
}
