//! Bulgarian first, English second: every string a person reads comes from the
//! Fluent files in `locales/`, compiled into the binary.

use std::collections::HashMap;

use fluent_templates::{Loader, fluent_bundle::FluentValue, static_loader};
use zakrila_domain::user::Locale;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "bg",
        // Bidi isolation marks would end up inside attributes and CSV cells.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(l: Locale) -> &'static fluent_templates::LanguageIdentifier {
    static BG: std::sync::LazyLock<fluent_templates::LanguageIdentifier> =
        std::sync::LazyLock::new(|| "bg".parse().expect("valid language id"));
    static EN: std::sync::LazyLock<fluent_templates::LanguageIdentifier> =
        std::sync::LazyLock::new(|| "en".parse().expect("valid language id"));
    match l {
        Locale::Bg => &BG,
        Locale::En => &EN,
    }
}

/// The message `key` in the locale. A missing key shows the key itself, which the
/// completeness test catches before it ships.
pub fn t(l: Locale, key: &str) -> String {
    LOCALES
        .try_lookup(langid(l), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The message with named arguments.
pub fn t_args(l: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (std::borrow::Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES
        .try_lookup_with_args(langid(l), key, &map)
        .unwrap_or_else(|| key.to_owned())
}

/// Whether the key exists in this locale's own file (no fallback), for tests.
pub fn has(l: Locale, key: &str) -> bool {
    let file = match l {
        Locale::Bg => include_str!("../locales/bg/main.ftl"),
        Locale::En => include_str!("../locales/en/main.ftl"),
    };
    file.lines()
        .any(|line| line.split_once(" =").is_some_and(|(k, _)| k.trim() == key))
}
