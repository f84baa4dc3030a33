//! The hotline: an operator records a call on the quick-entry page, the queue puts
//! immediate danger on top, the signal is referred to an institution that can read
//! and acknowledge it (any other organisation gets 404), and a case is opened from
//! it. Bad input stores nothing.

use reqwest::StatusCode;
use serde_json::Value;
use zakrila_domain::role::Role;

use crate::{TestApp, location};

/// The id at the end of a `/signals/{id}` or `/cases/{id}` redirect.
fn id_of(loc: &str) -> String {
    loc.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_operator_records_a_call_refers_it_and_opens_a_case_from_it() {
    for app in TestApp::each_backend().await {
        let operator = app.with_user(Role::Hotline, "a21").await;
        let r = operator
            .form(
                "/signals",
                &[
                    (
                        "summary",
                        "Обаждане от майка: дъщеря ѝ е задържана в Германия",
                    ),
                    ("urgency", "immediate_danger"),
                    ("channel", "phone"),
                    ("caller_type", "relative"),
                    ("location", "DEU"),
                    ("forms", "sexual"),
                    ("persons", "1"),
                    ("contact", "+359 88 000 0000"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let id = id_of(&location(&r));
        // A routine call recorded after it stays below it in the queue.
        let r = operator
            .form("/signals", &[("summary", "Въпрос за работа в чужбина")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let routine = id_of(&location(&r));

        let (status, queue) = operator.page("/signals").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let danger = queue
            .find("<tr class=\"danger\">")
            .expect("highlighted row");
        assert!(
            danger < queue.find(&id).unwrap() && queue.find(&id) < queue.find(&routine),
            "{}: immediate danger first, highlighted",
            app.label
        );
        let (_, home) = operator.page("/").await;
        assert!(
            home.contains(&format!("/signals/{id}")),
            "{}: home shows it",
            app.label
        );

        let (status, page) = operator.page(&format!("/signals/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(page.contains("дъщеря ѝ е задържана"), "{}", app.label);
        assert!(page.contains("Германия"), "{}", app.label);

        // Referred to IOM with what was sent.
        let r = operator
            .form(
                &format!("/signals/{id}/referrals"),
                &[("to", "iom"), ("sent", "Данните на майката и адресът")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let (status, page) = iom.page(&format!("/signals/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{}: IOM reads it", app.label);
        assert!(page.contains("Данните на майката"), "{}", app.label);
        assert!(
            !page.contains("id=\"refer-signal\""),
            "{}: IOM does not triage",
            app.label
        );
        let r = iom.form(&format!("/signals/{id}/acknowledge"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let (_, page) = operator.page(&format!("/signals/{id}")).await;
        assert!(!page.contains("id=\"acknowledge-signal\""), "{}", app.label);

        // Neither another organisation nor a refusal of triage leaks the signal.
        let animus = app.with_user(Role::Caseworker, "animus").await;
        let (status, _) = animus.page(&format!("/signals/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let r = animus
            .form(
                &format!("/signals/{id}/close"),
                &[("outcome", "not_trafficking")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{}", app.label);
        let r = iom
            .form(
                &format!("/signals/{id}/close"),
                &[("outcome", "not_trafficking")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{}", app.label);

        // The case carries the signal's form and country, and the signal its case.
        let r = operator
            .form(
                &format!("/signals/{id}/case"),
                &[("given_name", "Мария"), ("family_name", "Петрова")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.label);
        let case_id = id_of(&location(&r));
        let case: Value = operator.json(&format!("/api/v1/cases/{case_id}")).await;
        let text = case.to_string();
        assert!(text.contains("sexual"), "{}: {case}", app.label);
        let (_, page) = operator.page(&format!("/signals/{id}")).await;
        assert!(page.contains(&format!("/cases/{case_id}")), "{}", app.label);
        assert!(
            page.contains("открит случай"),
            "{}: closed with the outcome",
            app.label
        );
    }
}

#[tokio::test]
async fn bad_input_stores_nothing() {
    for app in TestApp::each_backend().await {
        let operator = app.with_user(Role::Hotline, "a21").await;
        for fields in [
            vec![("summary", "  ")],
            vec![("summary", "нещо"), ("location", "BG-99")],
            vec![("summary", "нещо"), ("urgency", "someday")],
        ] {
            let r = operator.form("/signals", &fields).await;
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {fields:?}",
                app.label
            );
            let page = r.text().await.unwrap();
            assert!(page.contains("role=\"alert\""), "{}", app.label);
        }
        let long = "я".repeat(4001);
        let r = operator
            .form("/signals", &[("summary", long.as_str())])
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        let (status, page) = operator.page("/signals").await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            !page.contains("href=\"/signals/0"),
            "{}: nothing stored",
            app.label
        );
    }
}

/// A browser with no session and no cookies, as a member of the public.
fn public() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The receipt code shown on the page after a tip.
fn receipt_of(page: &str) -> String {
    let start = page.find("id=\"receipt\">").expect("a receipt") + "id=\"receipt\">".len();
    page[start..][..19].to_owned()
}

#[tokio::test]
async fn a_tip_without_javascript_gets_a_receipt_to_add_more_but_never_to_read_back() {
    for app in TestApp::each_backend().await {
        let web = public();
        let (status, form) = {
            let r = web.get(app.url("/tip")).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            form.contains("name=\"website\""),
            "{}: the honeypot",
            app.label
        );
        assert!(!form.contains("<script"), "{}: no JavaScript", app.label);
        let r = web
            .post(app.url("/tip"))
            .form(&[
                (
                    "what",
                    "В съседната къща живеят десетина мъже, извеждат ги с бус в 5 сутринта.",
                ),
                ("where", "BG-16"),
                ("when", "от месец"),
                ("forms", "labour"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
        assert!(
            r.headers().get("set-cookie").is_none(),
            "{}: no cookie",
            app.label
        );
        let receipt = receipt_of(&r.text().await.unwrap());

        // It is in the tip desk's queue as a web form, with nothing of the sender.
        let operator = app.with_user(Role::Hotline, "a21").await;
        let list = operator.json("/api/v1/signals").await;
        let tip = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["anonymous_tip"] == true)
            .expect("the tip in the queue")
            .clone();
        assert_eq!(tip["channel"], "web_form", "{}", app.label);
        assert_eq!(tip["location"], "BG-16", "{}", app.label);
        let id = tip["id"].as_str().unwrap();

        // More information with the receipt, typed loosely; the page reads nothing back.
        let r = web
            .post(app.url("/tip/more"))
            .form(&[
                ("receipt", receipt.to_lowercase().replace('-', " ").as_str()),
                ("text", "Бусът е бял, с германски номер."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"tip-added\""), "{}", app.label);
        assert!(
            !page.contains("десетина мъже"),
            "{}: never read back",
            app.label
        );
        let detail = operator.json(&format!("/api/v1/signals/{id}")).await;
        assert!(
            detail["summary"].as_str().unwrap().contains("от месец"),
            "{}",
            app.label
        );
        assert_eq!(
            detail["additions"][0]["text"], "Бусът е бял, с германски номер.",
            "{}",
            app.label
        );

        // A receipt that does not exist: a clear message and nothing stored.
        let r = web
            .post(app.url("/tip/more"))
            .form(&[("receipt", "AAAA-BBBB-CCCC-DDDD"), ("text", "още")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.label
        );
        assert!(
            r.text().await.unwrap().contains("Няма сигнал с такъв код"),
            "{}",
            app.label
        );
        let detail = operator.json(&format!("/api/v1/signals/{id}")).await;
        assert_eq!(
            detail["additions"].as_array().unwrap().len(),
            1,
            "{}",
            app.label
        );

        // A robot filling the honeypot is answered alike, and nothing lands.
        let r = web
            .post(app.url("/tip"))
            .form(&[("what", "cheap pills"), ("website", "http://spam.example")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{}", app.label);
        // Bad input: an empty description, an unknown region, oversize text.
        for (field, value) in [
            ("what", " ".to_owned()),
            ("where", "BG-77".to_owned()),
            ("what", "я".repeat(4001)),
        ] {
            let mut fields = vec![("what", "нещо".to_owned())];
            fields.retain(|(k, _)| *k != field);
            fields.push((field, value));
            let r = web
                .post(app.url("/tip"))
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}: {field}",
                app.label
            );
        }
        let list = operator.json("/api/v1/signals").await;
        assert_eq!(
            list.as_array().unwrap().len(),
            1,
            "{}: only the one tip",
            app.label
        );
    }
}

#[tokio::test]
async fn tips_from_one_address_are_throttled_without_losing_those_accepted() {
    for app in TestApp::each_backend().await {
        let web = public();
        let mut receipts = vec![];
        for i in 0..5 {
            let r = web
                .post(app.url("/api/v1/public/tips"))
                .json(&serde_json::json!({"what": format!("сигнал {i}"), "forms": ["sexual"]}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED, "{}: tip {i}", app.label);
            let v: Value = r.json().await.unwrap();
            receipts.push(v["receipt"].as_str().unwrap().to_owned());
        }
        let r = web
            .post(app.url("/api/v1/public/tips"))
            .json(&serde_json::json!({"what": "още един"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        let r = web
            .post(app.url("/tip"))
            .form(&[("what", "и още един")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{}", app.label);
        // The five accepted stay, and their receipts still work.
        let operator = app.with_user(Role::Hotline, "a21").await;
        let list = operator.json("/api/v1/signals").await;
        assert_eq!(list.as_array().unwrap().len(), 5, "{}", app.label);
        let r = web
            .post(app.url("/api/v1/public/tips/more"))
            .json(&serde_json::json!({"receipt": receipts[0], "text": "допълнение"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", app.label);
    }
}

#[tokio::test]
async fn the_api_records_triages_refers_and_opens_a_case() {
    for app in TestApp::each_backend().await {
        let operator = app.with_user(Role::Hotline, "a21").await;
        let (status, s) = operator
            .post(
                "/api/v1/signals",
                serde_json::json!({
                    "channel": "labour_inspectorate_abroad",
                    "caller_type": "victim",
                    "urgency": "urgent",
                    "location": "GBR",
                    "forms": ["labour"],
                    "persons": 3,
                    "summary": "Трима работници във ферма, без заплати"
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {s}", app.label);
        let id = s["id"].as_str().unwrap().to_owned();
        let (status, t) = operator
            .post(
                &format!("/api/v1/signals/{id}/triage"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {t}", app.label);
        assert_eq!(t["status"], "triaged", "{}", app.label);
        let (status, _) = operator
            .post(
                &format!("/api/v1/signals/{id}/triage"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}", app.label);
        let (status, r) = operator
            .post(
                &format!("/api/v1/signals/{id}/referrals"),
                serde_json::json!({"to": ["iom", "nowhere"], "sent": "резюме"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {r}",
            app.label
        );
        let (status, r) = operator
            .post(
                &format!("/api/v1/signals/{id}/referrals"),
                serde_json::json!({"to": ["iom"], "sent": "резюме"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {r}", app.label);
        assert_eq!(r["status"], "referred", "{}", app.label);
        let iom = app.with_user(Role::Caseworker, "iom").await;
        let (status, _) = iom.get(&format!("/api/v1/signals/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        let (status, _) = iom
            .post(&format!("/api/v1/signals/{id}/acknowledge"), Value::Null)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{}", app.label);
        let dignita = app.with_user(Role::Caseworker, "dignita").await;
        let (status, _) = dignita.get(&format!("/api/v1/signals/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", app.label);
        let (status, c) = operator
            .post(
                &format!("/api/v1/signals/{id}/case"),
                serde_json::json!({"given_name": "Иван"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {c}", app.label);
        let detail = operator.json(&format!("/api/v1/signals/{id}")).await;
        assert_eq!(detail["signal"]["outcome"], "case_opened", "{}", app.label);
        assert_eq!(detail["signal"]["case_id"], c["id"], "{}", app.label);
        assert!(
            detail["signal"]["referrals"][0]["acknowledged_at"].is_i64(),
            "{}",
            app.label
        );
        // The report counts it.
        let (status, csv) = {
            let r = operator
                .browser()
                .await
                .get(app.url("/signals/report.csv"))
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        };
        assert_eq!(status, StatusCode::OK, "{}", app.label);
        assert!(
            csv.contains("работещи в чужбина\",1"),
            "{}: {csv}",
            app.label
        );
        // The same report as a spreadsheet, beside the CSV.
        let page = operator
            .browser()
            .await
            .get(app.url("/signals/report"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("/signals/report.xlsx"), "{}", app.label);
        let r = operator
            .browser()
            .await
            .get(app.url("/signals/report.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.label);
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "{}",
            app.label
        );
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .ends_with(".xlsx\""),
            "{}",
            app.label
        );
        let body = r.bytes().await.unwrap();
        assert!(body.starts_with(b"PK\x03\x04"), "{}", app.label);
    }
}
