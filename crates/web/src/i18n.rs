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

/// The message `key`, or `None` where neither file has it (for text that comes
/// with its own English, such as the API's summaries).
pub fn t_opt(l: Locale, key: &str) -> Option<String> {
    LOCALES.try_lookup(langid(l), key)
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

/// The message for a count, `$count` passed as a number so that Fluent picks the
/// plural form the language needs ("1 просрочена", "79 просрочени").
pub fn t_count(l: Locale, key: &str, count: i64) -> String {
    let mut map: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = HashMap::new();
    map.insert(
        std::borrow::Cow::Borrowed("count"),
        FluentValue::from(count),
    );
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(file: &str) -> BTreeSet<String> {
        file.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    /// Quoted keys (`"error-…"`, `t("…")`) found in the files of a directory tree.
    fn literals(dir: &std::path::Path, re_prefixes: &[&str], out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                literals(&path, re_prefixes, out);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for prefix in re_prefixes {
                for (i, _) in text.match_indices(prefix) {
                    let rest = &text[i + prefix.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if rest[key.len()..].starts_with('"') && !key.is_empty() && !key.ends_with('-')
                    {
                        // `t("` contributes nothing to the key; `"error-` its own stem.
                        let stem = prefix
                            .strip_prefix("t(\"")
                            .or(prefix.strip_prefix('"'))
                            .unwrap_or(prefix);
                        out.insert(format!("{stem}{key}"));
                    }
                }
            }
        }
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(
            t_count(Locale::Bg, "programme-standing-counted-overdue", 1),
            "просрочена"
        );
        assert_eq!(
            t_count(Locale::Bg, "programme-standing-counted-overdue", 79),
            "просрочени"
        );
        assert_eq!(t_count(Locale::Bg, "days-count", 1), "1 ден");
        assert_eq!(t_count(Locale::Bg, "days-count", 3), "3 дни");
        assert_eq!(t_count(Locale::En, "days-count", 1), "1 day");
    }

    #[test]
    fn bulgarian_and_english_have_the_same_keys() {
        let bg = keys(include_str!("../locales/bg/main.ftl"));
        let en = keys(include_str!("../locales/en/main.ftl"));
        assert_eq!(
            bg.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in bg"
        );
        assert_eq!(
            en.difference(&bg).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "only in en"
        );
    }

    #[test]
    fn every_key_the_code_uses_exists_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeSet::new();
        literals(&root.join("templates"), &["t(\""], &mut used);
        let mut errors = BTreeSet::new();
        for dir in ["../domain/src", "../store/src", "src"] {
            literals(&root.join(dir), &["\"error-", "\"problem-"], &mut errors);
        }
        used.extend(errors);
        for role in zakrila_domain::role::Role::ALL {
            used.insert(format!("role-{}", role.as_str()));
            used.insert(format!("home-role-{}", role.as_str()));
        }
        for kind in zakrila_domain::org::OrgKind::ALL {
            used.insert(format!("org-kind-{}", kind.as_str()));
        }
        for need in zakrila_domain::directory::Need::ALL {
            used.insert(format!("need-{}", need.as_str()));
        }
        used.extend(crate::views::help::numbered_keys());
        let missing: Vec<_> = used
            .iter()
            .filter(|k| !has(Locale::Bg, k) || !has(Locale::En, k))
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from the .ftl files: {missing:?}"
        );
    }
}
