//! Criminal proceedings beside a case (with the state compensation claim, capped and
//! time-limited by law) and the offenders, described for statistics only (never
//! named). Open proceedings put a legal hold on the case: it cannot be erased.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{
        AgeBand, ClaimAmount, CompensationClaim, CompensationDecision, CompensationOutcome,
        Country, Euro, LegalStatus, Money, Offender, OffenderRole, Proceedings, ProceedingsStage,
        ProtectionMeasure, Sex, WitnessStatus, compensation_deadline,
    },
    policy::Action,
};
use zakrila_store::{
    cases::proceedings_of_row,
    entity::{case_offender, case_proceedings},
    free_text::{COURT_CASE_NUMBER, TextReader},
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, identity_action, opt, past_date, today},
};

#[derive(Deserialize, ToSchema, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct ProceedingsBody {
    /// pre_trial, first_instance, appeal, cassation, concluded, terminated.
    pub stage: String,
    pub court: Option<String>,
    /// The court's case number (kept in the vault): absent keeps the stored one,
    /// "" clears it.
    pub case_number: Option<String>,
    /// not_witness, witness, protected_witness.
    pub witness_status: Option<String>,
    /// physical_protection, property_protection, safe_accommodation, relocation, identity_change.
    #[serde(default)]
    pub protection_measures: Vec<String>,
    /// The day the judgment or the act ending the proceedings entered into force.
    pub final_act_date: Option<String>,
    /// Claimed state compensation in EUR (`1234,56`); at most 5 112,92 (10 000 лв.).
    pub compensation_eur: Option<String>,
    /// A claim filed in lev before the euro, in BGN; at most 10 000. Kept in lev.
    pub compensation_bgn: Option<String>,
    /// The day the claim was filed (today when absent); within a year of the final act.
    pub compensation_filed_on: Option<String>,
    /// The decision on the claim: awarded, refused.
    pub compensation_decision: Option<String>,
    /// The day of the decision; required with it.
    pub compensation_decided_on: Option<String>,
    /// The amount awarded in EUR (`1234,56`); required with an award.
    pub compensation_awarded_eur: Option<String>,
    /// The amount paid so far in EUR; at most the amount awarded.
    pub compensation_paid_eur: Option<String>,
    /// The day of the payment; not before the decision.
    pub compensation_paid_on: Option<String>,
    /// The version read (updates only).
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ProceedingsOut {
    pub id: String,
    pub stage: String,
    pub court: Option<String>,
    /// The court's case number: kept in the vault, so present only on an audited
    /// identity read (`?identity=true`, the case page with the identity).
    pub case_number: Option<String>,
    /// A case number is recorded (whether or not it is shown).
    pub case_number_recorded: bool,
    pub witness_status: String,
    pub protection_measures: Vec<String>,
    pub final_act_date: Option<String>,
    /// The claim in BGN stotinki (entered in lev, or converted from euro).
    pub compensation_stotinki: Option<i64>,
    /// The claim in euro cents (entered in euro, or converted from lev).
    pub compensation_cents: Option<i64>,
    /// `EUR` or `BGN`: the currency the claim was entered in.
    pub compensation_currency: Option<String>,
    pub compensation_filed_on: Option<String>,
    /// awarded, refused.
    pub compensation_decision: Option<String>,
    pub compensation_decided_on: Option<String>,
    pub compensation_awarded_cents: Option<i64>,
    pub compensation_paid_cents: Option<i64>,
    pub compensation_paid_on: Option<String>,
    /// The last day to claim state compensation, once the final act is known.
    pub compensation_deadline: Option<String>,
    /// Open proceedings put a legal hold on the case (no erasure).
    pub open: bool,
    pub version: i32,
    /// The hearings, soonest first.
    pub hearings: Vec<crate::hearings::HearingOut>,
}

impl From<case_proceedings::Model> for ProceedingsOut {
    fn from(m: case_proceedings::Model) -> Self {
        let p = proceedings_of_row(&m);
        ProceedingsOut {
            open: p.is_open(),
            compensation_deadline: p
                .final_act_date
                .map(|d| compensation_deadline(d).to_string()),
            protection_measures: p
                .protection_measures
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            id: m.id,
            stage: m.stage,
            court: m.court,
            case_number: None,
            case_number_recorded: m.case_number.is_some(),
            witness_status: m.witness_status,
            final_act_date: m.final_act_date,
            compensation_stotinki: p.compensation.map(|c| c.amount().bgn().stotinki()),
            compensation_cents: p.compensation.map(|c| c.amount().eur().cents()),
            compensation_currency: p.compensation.map(|c| c.amount().currency().to_owned()),
            hearings: vec![],
            compensation_filed_on: m.compensation_filed_on,
            compensation_decision: m.compensation_decision,
            compensation_decided_on: m.compensation_decided_on,
            compensation_awarded_cents: m.compensation_awarded_cents,
            compensation_paid_cents: m.compensation_paid_cents,
            compensation_paid_on: m.compensation_paid_on,
            version: m.version,
        }
    }
}

impl ProceedingsBody {
    /// The compensation claim is checked against the cap and the one-year deadline.
    fn parse(&self) -> Result<Proceedings, AppError> {
        let mut e = Errors::default();
        let stage = e.take(ProceedingsStage::parse(&self.stage));
        let witness_status = opt(&mut e, self.witness_status.as_deref(), WitnessStatus::parse)
            .unwrap_or(WitnessStatus::NotWitness);
        let mut protection_measures: Vec<ProtectionMeasure> = self
            .protection_measures
            .iter()
            .filter(|s| !s.is_empty())
            .filter_map(|s| e.take(ProtectionMeasure::parse(s)))
            .collect();
        protection_measures.sort();
        protection_measures.dedup();
        let final_act_date = past_date(&mut e, self.final_act_date.as_deref(), "final_act_date");
        let bgn = opt(&mut e, self.compensation_bgn.as_deref(), |s| {
            Money::parse(s).map_err(|_| DomainError::field("compensation", "error-money-format"))
        });
        let eur = opt(&mut e, self.compensation_eur.as_deref(), |s| {
            Euro::parse(s).map_err(|_| DomainError::field("compensation", "error-money-format"))
        });
        e.check(
            bgn.is_some() && eur.is_some(),
            "compensation",
            "error-compensation-one-currency",
        );
        let amount: Option<ClaimAmount> = eur.map(Into::into).or(bgn.map(Into::into));
        let filed_on = past_date(
            &mut e,
            self.compensation_filed_on.as_deref(),
            "compensation_filed_on",
        )
        .unwrap_or_else(today);
        let compensation = amount
            .and_then(|amount| e.take(CompensationClaim::new(amount, filed_on, final_act_date)));
        let decision = self.decision(&mut e);
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        finish(
            e,
            stage.map(|stage| Proceedings {
                stage,
                court: text(&self.court),
                // Kept apart from `text`: "" clears the stored number, absent keeps it.
                case_number: self.case_number.as_deref().map(|s| s.trim().to_owned()),
                witness_status,
                protection_measures,
                final_act_date,
                compensation,
                decision,
            }),
        )
    }

    /// The decision on the claim, when one is given; its amounts and dates without
    /// a decision are refused rather than dropped.
    fn decision(&self, e: &mut Errors) -> Option<CompensationDecision> {
        let eur = |e: &mut Errors, s: &Option<String>, field: &'static str| {
            opt(e, s.as_deref(), |s| {
                Euro::parse(s).map_err(|_| DomainError::field(field, "error-money-format"))
            })
        };
        let outcome = opt(
            e,
            self.compensation_decision.as_deref(),
            CompensationOutcome::parse,
        );
        let decided_on = past_date(
            e,
            self.compensation_decided_on.as_deref(),
            "compensation_decided_on",
        );
        let awarded = eur(
            e,
            &self.compensation_awarded_eur,
            "compensation_awarded_eur",
        );
        let paid = eur(e, &self.compensation_paid_eur, "compensation_paid_eur");
        let paid_on = past_date(
            e,
            self.compensation_paid_on.as_deref(),
            "compensation_paid_on",
        );
        if !e.is_empty() {
            return None;
        }
        let Some(outcome) = outcome else {
            e.check(
                decided_on.is_some() || awarded.is_some() || paid.is_some() || paid_on.is_some(),
                "compensation_decision",
                "error-compensation-decision-missing",
            );
            return None;
        };
        let Some(decided_on) = decided_on else {
            e.check(
                true,
                "compensation_decided_on",
                "error-decision-date-required",
            );
            return None;
        };
        e.take(CompensationDecision::new(
            outcome, decided_on, awarded, paid, paid_on,
        ))
    }
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct OffenderOut {
    pub id: String,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    /// recruiter, transporter, exploiter, other.
    pub role: String,
    /// suspected, prosecuted, convicted.
    pub legal_status: String,
    pub version: i32,
}

impl From<case_offender::Model> for OffenderOut {
    fn from(m: case_offender::Model) -> Self {
        OffenderOut {
            id: m.id,
            sex: m.sex,
            age_band: m.age_band,
            citizenship: m.citizenship,
            role: m.role,
            legal_status: m.legal_status,
            version: m.version,
        }
    }
}

#[derive(Deserialize, ToSchema, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct OffenderBody {
    /// female, male, other, unknown.
    pub sex: String,
    /// A CTDC age band (`30-38`…).
    pub age_band: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub citizenship: Option<String>,
    pub role: String,
    pub legal_status: String,
}

impl OffenderBody {
    fn parse(&self) -> Result<Offender, AppError> {
        let mut e = Errors::default();
        let sex = e.take(Sex::parse(&self.sex));
        let age_band = opt(&mut e, self.age_band.as_deref(), AgeBand::parse);
        let citizenship = opt(&mut e, self.citizenship.as_deref(), Country::parse);
        let role = e.take(OffenderRole::parse(&self.role));
        let legal_status = e.take(LegalStatus::parse(&self.legal_status));
        let o = match (sex, role, legal_status) {
            (Some(sex), Some(role), Some(legal_status)) => Some(Offender {
                sex,
                age_band,
                citizenship,
                role,
                legal_status,
            }),
            _ => None,
        };
        finish(e, o)
    }
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct OffenderStatusBody {
    pub legal_status: String,
    pub version: i32,
}

impl App {
    /// The proceedings in which the case's person takes part; with `identity` the
    /// court case numbers too (the right to see identities; an audited read).
    pub async fn proceedings(
        &self,
        a: &Authed,
        id: &str,
        identity: bool,
    ) -> Result<Vec<ProceedingsOut>, AppError> {
        let c = self.case_for(a, id, identity_action(identity)).await?;
        let mut texts = self.store.text_reader();
        let out = self
            .proceedings_of(&c.id, identity.then_some(&mut texts))
            .await?;
        texts.record(a.user_uuid(), "api").await?;
        Ok(out)
    }

    /// The case's proceedings; case numbers opened only with a reader (which
    /// records the read).
    pub(crate) async fn proceedings_of(
        &self,
        case_id: &str,
        mut texts: Option<&mut TextReader<'_>>,
    ) -> Result<Vec<ProceedingsOut>, AppError> {
        let rows = self.store.proceedings_of_case(case_id).await?;
        let hearings = if rows.is_empty() {
            vec![]
        } else {
            self.store.hearings_of_case(case_id).await?
        };
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let case_number = match texts.as_deref_mut() {
                Some(t) => t.open(
                    &m.case_id,
                    COURT_CASE_NUMBER,
                    &m.id,
                    m.case_number.as_deref(),
                )?,
                None => None,
            };
            let id = m.id.clone();
            out.push(ProceedingsOut {
                case_number,
                hearings: hearings
                    .iter()
                    .filter(|h| h.proceedings_id == id)
                    .cloned()
                    .map(Into::into)
                    .collect(),
                ..m.into()
            });
        }
        Ok(out)
    }

    /// Records criminal proceedings.
    pub async fn add_proceedings(
        &self,
        a: &Authed,
        id: &str,
        b: ProceedingsBody,
    ) -> Result<ProceedingsOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let p = b.parse()?;
        let m = self.store.add_proceedings(a.user_uuid(), &c.id, &p).await?;
        Ok(m.into())
    }

    /// Updates proceedings (optimistic: the version read; none is stale).
    pub async fn update_proceedings(
        &self,
        a: &Authed,
        id: &str,
        proceedings_id: &str,
        b: ProceedingsBody,
    ) -> Result<ProceedingsOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let p = b.parse()?;
        // No row has version -1: a missing version is answered as a lost update.
        let version = b.version.unwrap_or(-1);
        let m = self
            .store
            .update_proceedings(a.user_uuid(), &c.id, proceedings_id, version, &p)
            .await?;
        Ok(m.into())
    }

    /// The case's offenders.
    pub async fn offenders(&self, a: &Authed, id: &str) -> Result<Vec<OffenderOut>, AppError> {
        let c = self.case_for(a, id, Action::ViewCase).await?;
        self.offenders_of(&c.id).await
    }

    pub(crate) async fn offenders_of(&self, case_id: &str) -> Result<Vec<OffenderOut>, AppError> {
        let rows = self.store.offenders_of_case(case_id).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Records an offender.
    pub async fn add_offender(
        &self,
        a: &Authed,
        id: &str,
        b: OffenderBody,
    ) -> Result<OffenderOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let o = b.parse()?;
        let m = self.store.add_offender(a.user_uuid(), &c.id, &o).await?;
        Ok(m.into())
    }

    /// Changes an offender's legal status (optimistic: the version read).
    pub async fn set_offender_status(
        &self,
        a: &Authed,
        id: &str,
        offender_id: &str,
        b: OffenderStatusBody,
    ) -> Result<OffenderOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let status = LegalStatus::parse(&b.legal_status)?;
        let m = self
            .store
            .set_offender_status(a.user_uuid(), &c.id, offender_id, b.version, status)
            .await?;
        Ok(m.into())
    }
}
