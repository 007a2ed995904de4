//! Clutter that stands inside the article's own container: author bio boxes, captions,
//! prompts. Each test puts the clutter next to a story and checks that the clutter goes and
//! the story stays.

use gleaner::{Config, Extractor, PageInfo};

const STORY: &str = "<p>The council voted on Tuesday to close the old bridge to traffic, citing a \
    report that found serious corrosion in its steel supports and cracks in two of its piers.</p>\
    <p>Repairs are expected to take at least eighteen months, and a temporary footbridge will \
    open in the spring for people who walk or cycle across the river every day.</p>";

fn extract(body: &str) -> String {
    let html = format!(
        "<html><body><article><h1>Bridge to close</h1>{STORY}{body}</article></body></html>"
    );
    Extractor::new(Config::default())
        .unwrap()
        .extract_html(&html, &PageInfo::new())
        .unwrap()
        .text
}

#[test]
fn author_bio_boxes_named_by_their_class_go() {
    for class in [
        "author-info",
        "entry-author-info",
        "author-description",
        "author-profile",
    ] {
        let text = extract(&format!(
            "<div class=\"{class}\"><p>Jake is the co-founder of a Rust consultancy and writes \
             about systems programming. He lives in Pittsburgh with his family.</p></div>"
        ));
        assert!(text.contains("temporary footbridge"), "{class}: {text}");
        assert!(!text.contains("co-founder"), "{class}: {text}");
    }
}

#[test]
fn a_paragraph_about_an_author_in_the_story_stays() {
    let text = extract(
        "<p>Jake is the co-founder of a Rust consultancy and told the council that the steel \
         could be repaired in place rather than replaced.</p>",
    );
    assert!(text.contains("co-founder"), "{text}");
}

/// Each prompt stands as its own paragraph after the story; it must go and the story stay.
fn assert_prompts_go(prompts: &[&str]) {
    for prompt in prompts {
        let text = extract(&format!("<p>{prompt}</p>"));
        assert!(text.contains("temporary footbridge"), "{prompt}: {text}");
        assert!(!text.contains(prompt), "{prompt}: {text}");
    }
}

/// Each sentence stands in the story; it must stay.
fn assert_sentences_stay(sentences: &[&str]) {
    for sentence in sentences {
        let text = extract(&format!("<p>{sentence}</p>"));
        assert!(text.contains(sentence), "{sentence}: {text}");
    }
}

#[test]
fn subscription_support_and_follow_prompts_go() {
    assert_prompts_go(&[
        "To view the full story, please subscribe to The Daily Planet.",
        "Subscribe now to our e-edition for the full story.",
        "If you’re already a subscriber, you can log in for immediate access to this story.",
        "For the latest stories and breaking news updates download our apps for iOS and Android.",
        "Never miss the latest news by signing up to our newsletter today!",
        "We rely on your support to make local news available to all",
        "If you enjoyed reading this post – would you consider supporting our work? Just click here.",
        "Unterstütze unser Magazin bereits mit 2,50!",
        "Deshalb unterstütze uns und wir sorgen weiterhin für guten Journalismus.",
        "Sie lesen gern Beispiel.de?",
        "Gefällt dir unser Klettermagazin? Wir haben keine Bezahlschranke.",
        "Lust auf mehr? Melde dich hier für unseren Newsletter an!",
        "Das ist Liebe in deinem Posteingang: Unser Newsletter!",
        "Do you want to be informed of our actions? Sign up here",
        "HIER KOSTENLOS ANMELDEN »",
        "HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS",
        "Den SPIEGEL lesen oder verschenken und Vorteile sichern!",
        "Follow The Gazette on Twitter and Instagram @gazette.",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "¡Mira lo que tiene nuestro canal de YouTube!",
        "Puede escribirnos a redaccion@ejemplo.com o seguir a Materia en Facebook.",
        "Zapraszamy też do subskrypcji tygodnika.",
    ]);
}

#[test]
fn story_sentences_that_name_subscriptions_or_social_networks_stay() {
    assert_sentences_stay(&[
        "The union said the council would support us if the bridge stays closed for long.",
        "Half of the readers who subscribe to the newsletter live on the east bank of the river.",
        "The engineers posted their findings on Twitter and Facebook before the vote on Tuesday.",
        "Wir werden Mitglied im Verband, sagte die Bürgermeisterin nach der Sitzung am Dienstag.",
    ]);
}

#[test]
fn notices_under_the_story_go() {
    assert_prompts_go(&[
        "Submit your letter to the editor via this form.",
        "Les opinions exprimées dans les blogs n'engagent que leurs auteurs.",
        "The Gazette is not responsible for the opinions, statements or media content presented by contributors.",
        "Für Links auf dieser Seite erhält Beispiel ggf. eine Provision vom Händler.",
        "Bei den Verlinkungen handelt es sich um Affiliate Links.",
        "*Werbung. Dieser Beitrag enthält Werbung für Beispiel.",
        "Dieser Beitrag stammt aus Ausgabe 7/2019 der Technology Review.",
        "Die Inhalte dieser Website sind unter einer Creative Commons-Lizenz lizenziert.",
        "Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY",
        "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter Allgemein abgelegt.",
        "SUGGESTED CITATION Sauer, Heiko: Expert*innen in der Krise, VerfBlog, 2020/4/09.",
        "(Alle Angaben ohne Gewähr)",
        "Bei Fragen und Anregungen zu diesem Artikel können Sie hier mit uns in Kontakt treten.",
        "Si vous souhaitez critiquer ou développer cet article, vous êtes invité à proposer un texte.",
        "Thank you for your support!",
    ]);
}

#[test]
fn story_sentences_like_notices_stay() {
    assert_sentences_stay(&[
        "Makler erhalten für jeden Verkauf eine Provision von drei Prozent, sagte die Stadt am Dienstag.",
        "Der Beitrag wurde am Montag im Stadtrat veröffentlicht und sorgte für eine lange Debatte.",
        "The editor said the paper is not responsible for the delays on the bridge, which began in May.",
    ]);
}

#[test]
fn comment_form_widget_caption_and_tag_lines_go() {
    assert_prompts_go(&[
        "Bitte registrieren Sie sich und halten Sie sich an unsere Netiquette.",
        "Verraten Sie gerne in den Kommentaren: Was bedeutet die Brücke für Sie?",
        "Den Artikel mit anderen teilen/diskutieren:",
        "(95 Stimmen: 4,73 von 5)",
        "Bild anzeigen Bild schließen",
        "Zum Vergrößern auf das Bild klicken.",
        "Abbildung 4: klassische Schwachschicht. Der Unterschied ist klar ersichtlich.",
        "Abb.: Collage aus Internetbildern",
        "Beitragsbild: Titelseite der Zeitung vom 2.4.2019, Ausriss.",
        "Themen: Ehrenamt Jugendverbände",
        "MARKIERT MIT",
        "Wie die Stadt ihre Daten schützt, erklären wir in unserem Beitrag Datenschutz im Rathaus.",
        "Weitere Infos unter www.example.de.",
        "Ten tekst przeczytasz w mniej niż minutę",
    ]);
}

#[test]
fn story_sentences_like_comment_or_caption_lines_stay() {
    assert_sentences_stay(&[
        "Die Abbildung im Bericht zeigt, wie tief die Risse in den beiden Pfeilern inzwischen sind.",
        "Viele Leser schrieben in den Kommentaren der Lokalzeitung, dass sie die Brücke vermissen werden.",
        "Weitere Informationen will die Stadt im Frühjahr vorlegen, wenn das zweite Gutachten fertig ist.",
    ]);
}

#[test]
fn zoom_labels_comment_counts_and_stamps_go() {
    assert_prompts_go(&[
        "Vergrößern Eine kleine runde Aussparung für die Kamera im Display.",
        "Freitag | 14. Juni 2019 | 15:49 VON Sina Beispiel IN Fashion | 0 COMMENTS",
        "bridge.html - Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm",
        "Werden Sie Mitglied bei uns und erhalten Sie exklusive Angebote!",
    ]);
}

#[test]
fn story_sentences_like_zoom_labels_or_stamps_stay() {
    assert_sentences_stay(&[
        "Vergrößern Sie die Karte, um die Umleitung für Radfahrer über die neue Fußgängerbrücke zu sehen.",
        "The plan was last modified in May, when the engineers found new cracks in the second pier.",
    ]);
}

#[test]
fn clutter_lines_set_into_a_paragraph_with_br_go_and_its_story_lines_stay() {
    let text = extract(
        "<p>The footbridge will be lit at night and patrolled by wardens.<br>\
         Follow us on Telegram, Facebook and Instagram for the latest news.<br>\
         Source: ANI</p>",
    );
    assert!(text.contains("patrolled by wardens."), "{text}");
    assert!(!text.contains("Telegram"), "{text}");
    assert!(!text.contains("Source: ANI"), "{text}");
}

#[test]
fn lines_of_code_or_a_story_that_look_like_clutter_stay() {
    // In <pre> a line like "image: nginx" is code, not a photo credit.
    let text = extract("<pre>services:\n  web:\n    image: nginx:stable\n</pre>");
    assert!(text.contains("image: nginx:stable"), "{text}");
    // A sentence that opens with a relative time is a story's; a bare "3 weeks ago" is a stamp.
    let text = extract(
        "<p>3 weeks ago my right upper eyelid started twitching when I blink hard.<br>\
         2 days ago</p>",
    );
    assert!(text.contains("eyelid started twitching"), "{text}");
    assert!(!text.contains("2 days ago"), "{text}");
}
