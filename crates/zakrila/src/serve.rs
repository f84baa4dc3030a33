//! `zakrila serve`: first-start data, then the web server until Ctrl-C / SIGTERM.

use zakrila_store::{Store, bootstrap};
use zakrila_web::WebConfig;

use crate::{Failure, config::Settings};

pub fn init_logging(json: bool) {
    let builder = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Signals `serve --demo` adds to a database without cases.
const DEMO_SIGNALS: usize = 40;

pub async fn serve(
    store: Store,
    s: &Settings,
    demo: bool,
    surface: zakrila_web::Surface,
) -> Result<(), Failure> {
    let first = store.first_start().await?;
    if first.organisations > 0 {
        println!(
            "Loaded {} organisations and {} services.",
            first.organisations, first.services
        );
    }
    // The 2025 National Programme (seed 003) is there from the first start.
    if let Some(p) = store.ensure_programme_2025().await? {
        println!(
            "Loaded the {} National Programme: {} sections, {} activities, {} validation issues.",
            p.year, p.sections, p.activities, p.issues
        );
    }
    if let Some(password) = &first.admin_password {
        crate::admin_password::announce(&s.data_dir, password)
            .map_err(|crate::Startup(msg)| Failure::usage(msg))?;
    }
    if demo {
        let n = store.create_demo_users().await?;
        if n > 0 {
            println!("Demo accounts (password \"{}\"):", bootstrap::DEMO_PASSWORD);
            for (email, org, role) in bootstrap::DEMO_USERS {
                println!("  {email:<40} {org:<8} {}", role.as_str());
            }
        }
        let shelters = store.seed_demo_shelters().await?;
        if shelters > 0 {
            println!("Демо приюти / demo shelters: {shelters}");
        }
        let cases = crate::generate::demo(&store).await?;
        if cases.cases > 0 {
            let n = crate::generate::signals::run(&store, DEMO_SIGNALS, 2025).await?;
            println!(
                "Създадени {n} измислени сигнала (А21) / Created {n} fictional signals (a21)."
            );
        }
        if cases.cases > 0 {
            println!(
                "Създадени {} измислени демо случая (МОМ, А21) / Created {} fictional demo cases (iom, a21), {} referrals.",
                cases.cases, cases.cases, cases.referrals
            );
        }
    }
    store.checkpoint_in_background();
    if let Some(path) = &s.audit_anchor_file {
        anchor_on_schedule(store.clone(), path.clone(), s.audit_anchor_minutes);
    }
    let listener = tokio::net::TcpListener::bind(&s.listen)
        .await
        .map_err(|e| Failure::usage(format!("cannot listen on {}: {e}", s.listen)))?;
    let cfg = WebConfig {
        secure_cookies: s
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        trusted_proxies: s.trusted_proxies,
        signin_per_minute: s.signin_per_minute,
        surface,
        limits: s.limits,
        tip_desk: s.tip_desk.clone(),
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("Zakrila listens on http://{addr}");
    tracing::info!(addr, "listening");
    let app = zakrila_web::router(store, cfg);
    zakrila_web::serve(listener, app, shutdown_signal())
        .await
        .map_err(|e| Failure::found(format!("server: {e}")))
}

/// Appends an audit anchor line at start and then every `minutes`.
fn anchor_on_schedule(store: Store, path: std::path::PathBuf, minutes: u64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(minutes * 60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let written = match store.audit_anchor().await {
                Ok(anchor) => {
                    let line = crate::admin::anchor_line(&anchor);
                    let path = path.clone();
                    tokio::task::spawn_blocking(move || crate::admin::append_anchor(&path, &line))
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|r| r.map_err(|e| e.to_string()))
                }
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = written {
                tracing::error!(error = %e, file = %path.display(), "cannot write the audit anchor");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
