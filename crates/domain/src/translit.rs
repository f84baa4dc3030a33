//! Bulgarian transliteration and name normalisation.
//!
//! The same person is registered as "Иванова" at home and "Ivanova" abroad, often
//! with diacritics or hyphens added by a foreign clerk. Record linkage and the
//! store's search only meet such spellings if both sides are reduced to one form
//! first: [`to_latin`] applies the table of the Bulgarian Transliteration Act
//! (Закон за транслитерацията, 2009), [`normalise_name`] then folds case,
//! diacritics, punctuation and whitespace.

/// Transliterates Cyrillic to Latin by the Bulgarian Transliteration Act.
///
/// Non-Cyrillic characters pass through unchanged. Besides the Act's table, the
/// Act's one contextual rule applies: "ия" at the end of a word becomes "ia"
/// ("България" → "Balgaria"). A few letters of other Cyrillic alphabets (ё, ы, э,
/// і, ї, є, ґ) get their customary English-style equivalents, because victims from
/// Ukraine or Russia are registered in Bulgaria too.
///
/// Case follows the source: "Щерев" → "Shterev", "ЩЕРЕВ" → "SHTEREV".
pub fn to_latin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let Some(latin) = latin_of(lower) else {
            out.push(c);
            continue;
        };
        let latin = if lower == 'я' && i > 0 && is_word_end(&chars, i + 1) {
            let prev = chars[i - 1].to_lowercase().next().unwrap_or(chars[i - 1]);
            if prev == 'и' { "a" } else { latin }
        } else {
            latin
        };
        if c == lower {
            out.push_str(latin);
        } else if all_caps_context(&chars, i) {
            out.push_str(&latin.to_uppercase());
        } else {
            // Title case: only the first Latin letter is upper-case ("Щ" → "Sht").
            let mut it = latin.chars();
            if let Some(first) = it.next() {
                out.extend(first.to_uppercase());
                out.push_str(it.as_str());
            }
        }
    }
    out
}

/// Reduces a name to the form that linkage and search compare: transliterated,
/// lower-case, Latin diacritics stripped, punctuation (hyphens, apostrophes, dots)
/// turned into spaces, whitespace collapsed and trimmed.
///
/// "Мария Иванова-Петрова" → "maria ivanova petrova"; "Şerban  Ćosić" → "serban cosic".
pub fn normalise_name(s: &str) -> String {
    let latin = to_latin(s);
    let mut out = String::with_capacity(latin.len());
    // A run of separators becomes one space, emitted lazily so that leading and
    // trailing separators vanish.
    let mut pending_space = false;
    for c in latin.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            match fold_diacritic(c) {
                Some(plain) => out.push_str(plain),
                None => out.push(c),
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// The key the store indexes names under, so a search for "Иванова" finds
/// "Ivanova" and vice versa. Identical to [`normalise_name`]; a separate name so
/// that the two uses can diverge without touching callers.
pub fn search_key(s: &str) -> String {
    normalise_name(s)
}

fn is_word_end(chars: &[char], i: usize) -> bool {
    chars.get(i).is_none_or(|c| !c.is_alphabetic())
}

/// An upper-case letter is part of an all-caps word when a neighbouring letter is
/// upper-case too: the next one, or the previous one at the end of a word.
fn all_caps_context(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some(next) if next.is_alphabetic() => next.is_uppercase(),
        _ => i > 0 && chars[i - 1].is_alphabetic() && chars[i - 1].is_uppercase(),
    }
}

fn latin_of(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sht",
        'ъ' => "a",
        'ь' => "y",
        'ю' => "yu",
        'я' => "ya",
        // Not in the Act: other Cyrillic alphabets.
        'ё' => "yo",
        'ы' => "y",
        'э' => "e",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        _ => return None,
    })
}

/// Lower-case Latin letters with diacritics and ligatures → plain ASCII.
fn fold_diacritic(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn act_table() {
        assert_eq!(to_latin("Иванова"), "Ivanova");
        assert_eq!(to_latin("Щерев"), "Shterev");
        assert_eq!(to_latin("ЩЕРЕВ"), "SHTEREV");
        assert_eq!(to_latin("Жечо Цачев Юруков"), "Zhecho Tsachev Yurukov");
        assert_eq!(to_latin("Яна Шишкова"), "Yana Shishkova");
        assert_eq!(to_latin("Хаджийски Гьоров"), "Hadzhiyski Gyorov");
        assert_eq!(to_latin("ПЕТЪР"), "PETAR");
        assert_eq!(to_latin("ЮЛ"), "YUL");
        assert_eq!(to_latin("Ю"), "Yu");
    }

    #[test]
    fn final_iya() {
        assert_eq!(to_latin("България"), "Balgaria");
        assert_eq!(to_latin("София"), "Sofia");
        assert_eq!(to_latin("Мария Иванова"), "Maria Ivanova");
        assert_eq!(to_latin("МАРИЯ"), "MARIA");
        // Only at the end of a word.
        assert_eq!(to_latin("Ияна"), "Iyana");
        assert_eq!(to_latin("Ядрия-Свилен"), "Yadria-Svilen");
    }

    #[test]
    fn latin_passes_through() {
        assert_eq!(to_latin("Ivanova 12, ap. 3"), "Ivanova 12, ap. 3");
    }

    #[test]
    fn normalised_names() {
        assert_eq!(normalise_name("Иванова"), "ivanova");
        assert_eq!(normalise_name("Щерев"), "shterev");
        assert_eq!(normalise_name("България"), "balgaria");
        assert_eq!(normalise_name("София"), "sofia");
        assert_eq!(
            normalise_name("  Мария Иванова-Петрова "),
            "maria ivanova petrova"
        );
        assert_eq!(normalise_name("Şerban  Ćosić"), "serban cosic");
        assert_eq!(normalise_name("O'Brien-Müller."), "o brien muller");
        assert_eq!(normalise_name("Straße"), "strasse");
        assert_eq!(normalise_name(""), "");
        assert_eq!(normalise_name(" - "), "");
    }

    #[test]
    fn cyrillic_and_latin_meet() {
        assert_eq!(search_key("ИВАНОВА"), search_key("Ivanova"));
        assert_eq!(search_key("Щерева"), search_key("SHTEREVA"));
    }
}
