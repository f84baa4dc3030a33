//! National statistics end to end: the harmonised tables reconcile with counts made
//! here from the registrations themselves; the CTDC export has the codebook's
//! columns and no rare combination; a release spends the privacy budget, an
//! overspend is refused and logged; every statistics page and the public page
//! answer, in both languages; those without the right are refused.

use std::collections::HashMap;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use zakrila_domain::role::Role;

use crate::{TestApp, User};

/// (sex, birth date, citizenship, forms): the fictional registrations.
const PEOPLE: &[(&str, Option<&str>, &str, &[&str])] = &[
    ("female", Some("1990-06-15"), "BGR", &["sexual"]),
    ("female", Some("1990-06-15"), "BGR", &["sexual"]),
    ("female", Some("1991-02-10"), "BGR", &["sexual", "labour"]),
    ("female", Some("2012-03-01"), "BGR", &["sexual"]),
    ("male", Some("1985-09-09"), "BGR", &["labour"]),
    ("male", Some("1985-09-09"), "ROU", &["labour"]),
    ("male", None, "UKR", &["begging"]),
    ("female", Some("1990-06-15"), "BGR", &["sexual"]),
];

fn year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

async fn register_all(cw: &User<'_>) -> Vec<String> {
    let mut ids = vec![];
    for (i, (sex, birth, cit, forms)) in PEOPLE.iter().enumerate() {
        const NAMES: [&str; 8] = [
            "Ана",
            "Бела",
            "Вера",
            "Гергана",
            "Димо",
            "Емил",
            "Жоро",
            "Зора",
        ];
        let mut person = json!({"given_name": NAMES[i], "family_name": "Тестова", "sex": sex, "citizenship": cit});
        if let Some(b) = birth {
            person["birth_date"] = json!(b);
        }
        let (status, body) = cw
            .post(
                "/api/v1/cases",
                json!({"person": person, "exploitation": {"forms": forms, "exploitation_countries": ["DEU"], "duration_months": 6}}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", cw.app.label);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    ids
}

fn cell(tables: &Value, table: &str, keys: &[&str]) -> u64 {
    let t = tables["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == table)
        .unwrap_or_else(|| panic!("no table {table}"));
    t["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .eq(keys.iter().copied())
        })
        .map_or(0, |c| c["count"].as_u64().unwrap())
}

#[tokio::test]
async fn the_harmonised_tables_reconcile_with_the_registrations() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let ids = register_all(&cw).await;
        let (status, _) = cw
            .post(
                &format!("/api/v1/cases/{}/offenders", ids[0]),
                json!({"sex": "male", "citizenship": "BGR", "role": "recruiter", "legal_status": "convicted"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}", app.label);

        let t = analyst
            .json(&format!("/api/v1/stats/tables?year={}", year()))
            .await;
        assert_eq!(t["unit"], "registration");
        // Counted independently from the list above.
        let mut by_sex_form: HashMap<(&str, &str), u64> = HashMap::new();
        let mut by_sex_cit: HashMap<(&str, &str), u64> = HashMap::new();
        for (sex, _, cit, forms) in PEOPLE {
            for f in *forms {
                *by_sex_form.entry((sex, f)).or_default() += 1;
            }
            let group = match *cit {
                "BGR" => "national",
                "ROU" => "eu",
                _ => "non_eu",
            };
            *by_sex_cit.entry((sex, group)).or_default() += 1;
        }
        for ((sex, form), n) in &by_sex_form {
            assert_eq!(
                cell(&t, "victims_sex_form", &[sex, form]),
                *n,
                "{} {sex} {form}",
                app.label
            );
        }
        for ((sex, group), n) in &by_sex_cit {
            assert_eq!(
                cell(&t, "victims_sex_citizenship", &[sex, group]),
                *n,
                "{} {sex} {group}",
                app.label
            );
        }
        assert_eq!(
            cell(&t, "victims_sex_age", &["female", "child"]),
            1,
            "{}",
            app.label
        );
        assert_eq!(
            cell(&t, "victims_sex_age", &["female", "adult"]),
            4,
            "{}",
            app.label
        );
        assert_eq!(
            cell(&t, "victims_sex_age", &["male", "unknown"]),
            1,
            "{}",
            app.label
        );
        assert_eq!(
            cell(&t, "children", &["female", "9-17", "no"]),
            1,
            "{}",
            app.label
        );
        assert_eq!(
            cell(&t, "offenders", &["convicted", "male", "national"]),
            1,
            "{}",
            app.label
        );
        let total = |id: &str| {
            t["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == id)
                .unwrap()["total"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(
            total("victims_sex_age"),
            PEOPLE.len() as u64,
            "{}",
            app.label
        );
        assert_eq!(total("victims_sex_citizenship"), PEOPLE.len() as u64);

        // Caseworkers see no statistics.
        assert_eq!(
            cw.get("/api/v1/stats/tables").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            cw.get("/api/v1/stats/export").await.0,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn the_ctdc_export_has_the_codebooks_columns_and_no_rare_combination() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        register_all(&cw).await;
        let e = analyst
            .json(&format!(
                "/api/v1/stats/export?format=ctdc&year={}&k=3",
                year()
            ))
            .await;
        let csv = e["csv"].as_str().unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,meansDebtBondageEarnings,meansThreats,meansAbusePsyPhySex,meansFalsePromises,meansDrugsAlcohol,meansDenyBasicNeeds,meansExcessiveWorkHours,meansWithholdDocs,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,typeOfSexProstitution,typeOfSexPornography,recruiterRelationIntimatePartner,recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther"
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        let r = &e["report"];
        assert_eq!(r["records_in"], PEOPLE.len() as u64, "{}", app.label);
        assert_eq!(r["records_out"], rows.len() as u64, "{}", app.label);
        assert_eq!(
            r["records_in"].as_u64().unwrap() - r["records_suppressed"].as_u64().unwrap(),
            rows.len() as u64
        );
        let mut combos: HashMap<Vec<&str>, u64> = HashMap::new();
        for row in &rows {
            assert_eq!(row.len(), 27);
            assert!(["", "Woman", "Man", "Trans/Transgender/NonConforming"].contains(&row[1]));
            *combos.entry(row[1..5].to_vec()).or_default() += 1;
        }
        assert!(
            combos.values().all(|n| *n >= 3),
            "{}: {combos:?}",
            app.label
        );
        // The three adult Bulgarian women of 1990/91 share a band and stay whole.
        assert!(
            csv.contains(",Woman,30—38,BGR,DEU,0—12 (0-1 yr),"),
            "{}: {csv}",
            app.label
        );

        let (status, body) = analyst.get("/api/v1/stats/export?format=xml").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let e = analyst
            .json("/api/v1/stats/export?format=eurostat&k=5")
            .await;
        assert!(
            e["csv"]
                .as_str()
                .unwrap()
                .contains("victims_sex_age,female,adult,,,,,,c")
        );
        assert!(e["report"]["cells_suppressed"].as_u64().unwrap() > 0);
    }
}

#[tokio::test]
async fn a_release_spends_the_budget_and_an_overspend_is_refused_and_logged() {
    for app in TestApp::each_backend().await {
        let cw = app.with_user(Role::Caseworker, "iom").await;
        let coordinator = app.with_user(Role::Coordinator, "nccthb").await;
        let analyst_elsewhere = app.with_user(Role::Analyst, "iom").await;
        let auditor = app.with_user(Role::Auditor, "nccthb").await;
        register_all(&cw).await;
        let y = year();

        let (status, r) = coordinator
            .post(
                "/api/v1/stats/releases",
                json!({"year": y, "epsilon": 0.6, "tables": ["victims_sex_age", "children"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {r}", app.label);
        assert_eq!(r["epsilon"], "0.6");
        assert_eq!(r["tables"].as_array().unwrap().len(), 2);
        for t in r["tables"].as_array().unwrap() {
            let sum: u64 = t["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["count"].as_u64().unwrap())
                .sum();
            assert_eq!(
                t["total"].as_u64().unwrap(),
                sum,
                "totals are the sums of cells"
            );
        }

        let b = coordinator
            .json(&format!("/api/v1/stats/budget?year={y}"))
            .await;
        assert_eq!(b["spent"], "0.6");
        assert_eq!(b["remaining"], "0.4");

        let (status, body) = coordinator
            .post(
                "/api/v1/stats/releases",
                json!({"year": y, "epsilon": "0.5"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {body}",
            app.label
        );
        assert!(
            body.to_string().contains("error-stats-over-budget"),
            "{body}"
        );
        let b = coordinator
            .json(&format!("/api/v1/stats/budget?year={y}"))
            .await;
        assert_eq!(b["spent"], "0.6", "a refusal spends nothing");
        let events = auditor.json("/api/v1/audit?action=stats.").await;
        let actions: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"stats.release"), "{actions:?}");
        assert!(actions.contains(&"stats.release_refused"), "{actions:?}");

        // Only the Commission publishes; the releases are public.
        let (status, _) = analyst_elsewhere
            .post(
                "/api/v1/stats/releases",
                json!({"year": y, "epsilon": "0.1"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let public = Client::new()
            .get(app.url("/api/v1/stats/releases"))
            .send()
            .await
            .unwrap();
        assert_eq!(public.status(), StatusCode::OK);
        let list: Value = public.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1, "{}", app.label);
    }
}

async fn anonymous_page(app: &TestApp, path: &str, lang: &str) -> (StatusCode, String) {
    let r = Client::new()
        .get(app.url(path))
        .header("Cookie", format!("lang={lang}"))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn every_statistics_page_answers_in_both_languages() {
    for app in TestApp::each_backend().await {
        // The public page before anything is published.
        let (status, html) = anonymous_page(&app, "/open/stats", "bg").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        assert!(html.contains("Все още няма публикувани данни"));

        let cw = app.with_user(Role::Caseworker, "iom").await;
        register_all(&cw).await;
        let analyst = app.with_user(Role::Analyst, "nccthb").await;
        let (status, html) = analyst.page("/stats").await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
        assert!(html.contains("Национална статистика"));
        assert!(html.contains("Регистрирани жертви по пол и възрастова група"));
        assert!(html.contains("сексуална експлоатация"));
        assert!(html.contains("id=\"publish\""));

        let r = analyst
            .browser()
            .await
            .get(app.url(&format!(
                "/stats/export.csv?format=ctdc&year={}&k=2",
                year()
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            r.text()
                .await
                .unwrap()
                .starts_with("yearOfRegistration,gender,")
        );

        let r = analyst
            .form(
                "/stats/releases",
                &[("year", &year().to_string()), ("epsilon", "много")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("ε трябва да е положително число")
        );

        let r = analyst
            .form(
                "/stats/releases",
                &[
                    ("year", &year().to_string()),
                    ("epsilon", "0.5"),
                    ("tables", "victims_sex_form"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);

        for (lang, words) in [
            (
                "bg",
                [
                    "Публична статистика",
                    "умишлено леко неточни",
                    "форма на експлоатация",
                ],
            ),
            (
                "en",
                [
                    "Public statistics",
                    "deliberately slightly inexact",
                    "form of exploitation",
                ],
            ),
        ] {
            let (status, html) = anonymous_page(&app, "/open/stats", lang).await;
            assert_eq!(status, StatusCode::OK, "{}: {html}", app.label);
            for w in words {
                assert!(html.contains(w), "{}: {lang} page lacks {w}", app.label);
            }
            assert!(html.contains("ε = 0"), "{lang}");
        }

        let (status, _) = cw.page("/stats").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", app.label);
    }
}
