//! Language: the page's declared language (`<html lang>`, `content-language`, `og:locale`,
//! JSON-LD `inLanguage`) checked against the extracted text with `whatlang`; the text's
//! verdict wins when the markup has none or is plainly wrong (`lang="en"` on German text,
//! a template's default left in place).

use whatlang::Lang;

/// How much text to identify: enough for a sure verdict, bounded so long pages stay cheap.
const SAMPLE_CHARS: usize = 2000;
/// Below this much text the identification is too unsure to overrule the markup.
const MIN_OVERRULE_CHARS: usize = 200;

/// A declared language tag made BCP 47 shaped ("en_us" → "en-US"); `None` when it is not a
/// language tag at all ("x-default", "{{lang}}", "").
pub fn normalise_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut out = primary;
    for part in parts {
        if part.is_empty() || part.len() > 8 || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            break;
        }
        out.push('-');
        match part.len() {
            2 => out.push_str(&part.to_ascii_uppercase()),
            4 => {
                // Script subtags are title case: "Hans".
                if let Some((first, rest)) = part.split_at_checked(1) {
                    out.push_str(&first.to_ascii_uppercase());
                    out.push_str(&rest.to_ascii_lowercase());
                }
            }
            _ => out.push_str(&part.to_ascii_lowercase()),
        }
    }
    Some(out)
}

/// The page language: the declared tag, unless the text is clearly in another language.
pub fn resolve(declared: Option<&str>, text: &str) -> Option<String> {
    let declared = declared.and_then(normalise_tag);
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    let detected = whatlang::detect(&sample).filter(|info| info.is_reliable());
    let Some(info) = detected else {
        return declared;
    };
    let code = bcp47(info.lang());
    match declared {
        None => Some(code.to_string()),
        Some(d) if same_language(primary(&d), code) => Some(d),
        // The markup says one language and a long text clearly another: the text wins.
        Some(_) if sample.chars().count() >= MIN_OVERRULE_CHARS => Some(code.to_string()),
        Some(d) => Some(d),
    }
}

fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Languages that identification cannot tell apart from their close relatives.
fn same_language(a: &str, b: &str) -> bool {
    const GROUPS: [&[&str]; 5] = [
        &["no", "nb", "nn"],
        &["hr", "sr", "bs"],
        &["id", "ms"],
        &["tl", "fil"],
        &["fa", "prs"],
    ];
    a == b || GROUPS.iter().any(|g| g.contains(&a) && g.contains(&b))
}

/// whatlang's ISO 639-3 codes as BCP 47 primary subtags (the two-letter code where one exists).
fn bcp47(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GERMAN: &str = "Der Gemeinderat hat am Dienstagabend beschlossen, die alte Brücke über \
        den Fluss im kommenden Frühjahr abreißen zu lassen. Die Bürgerinnen und Bürger hatten \
        sich lange für den Erhalt eingesetzt, doch ein Gutachten kam zu dem Ergebnis, dass eine \
        Sanierung teurer wäre als ein Neubau.";

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalise_tag("en_us").as_deref(), Some("en-US"));
        assert_eq!(normalise_tag("zh-hans-cn").as_deref(), Some("zh-Hans-CN"));
        assert_eq!(normalise_tag("x-default"), None);
        assert_eq!(normalise_tag("{{lang}}"), None);
    }

    #[test]
    fn text_overrules_wrong_markup() {
        assert_eq!(resolve(Some("en"), GERMAN).as_deref(), Some("de"));
        assert_eq!(resolve(None, GERMAN).as_deref(), Some("de"));
        assert_eq!(resolve(Some("de-AT"), GERMAN).as_deref(), Some("de-AT"));
        // Too little text to contradict the markup.
        assert_eq!(resolve(Some("fr"), "Hallo Welt").as_deref(), Some("fr"));
    }
}
