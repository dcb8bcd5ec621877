//! Events on invented news sentences.

use super::*;
use crate::extract::{TimeMention, TimexType};
use crate::text::{self, Document};

/// Runs the event extractor with hand-made entity and time mentions
/// (every occurrence of each surface string).
fn run(text: &str, ents: &[(&str, EntityType)], times: &[(&str, &str)]) -> (Document, Extraction) {
    let dates: Vec<_> = times.iter().map(|&(s, v)| (s, v, TimexType::Date)).collect();
    run_typed(text, ents, &dates)
}

fn run_typed(text: &str, ents: &[(&str, EntityType)], times: &[(&str, &str, TimexType)]) -> (Document, Extraction) {
    let d = Document::plain("t", text);
    let a = text::analyze(text);
    let sentence_of = |b: usize| a.sentences.iter().position(|s| s.start <= b && b < s.end).unwrap_or(0);
    let mut ex = Extraction::default();
    for &(s, ty) in ents {
        for (b, _) in text.match_indices(s) {
            ex.entities.push(EntityMention {
                span: ByteSpan::new(b, b + s.len()),
                etype: ty,
                subtype: None,
                canonical: None,
                external_id: None,
                sentence: sentence_of(b),
                confidence: 1.0,
                kind: crate::extract::MentionKind::Name,
            });
        }
    }
    for &(s, v, timex_type) in times {
        for (b, _) in text.match_indices(s) {
            ex.times.push(TimeMention {
                span: ByteSpan::new(b, b + s.len()),
                value: v.into(),
                timex_type,
                sentence: sentence_of(b),
            });
        }
    }
    recognize(&d, &a, &crate::nlp::Models::default(), &mut ex);
    (d, ex)
}

fn event<'a>(d: &Document, ex: &'a Extraction, trigger: &str) -> &'a EventMention {
    ex.events
        .iter()
        .find(|e| e.trigger.text(&d.text) == trigger)
        .unwrap_or_else(|| panic!("no event {trigger:?} in {:?}", ex.events.iter().map(|e| e.trigger.text(&d.text)).collect::<Vec<_>>()))
}

fn arg<'a>(d: &'a Document, ex: &'a Extraction, e: &EventMention, role: Role) -> Option<&'a str> {
    e.args.iter().find(|a| a.role == role).map(|a| match a.target {
        Ref::Entity(i) => ex.entities[i].span.text(&d.text),
        Ref::Time(i) => ex.times[i].value.as_str(),
        _ => "?",
    })
}

#[test]
fn passive_with_by_phrase_instrument_place_and_time() {
    let (d, ex) = run(
        "General Tomas Varga was killed by a bomb in Veloria on Tuesday.",
        &[("Tomas Varga", EntityType::Person), ("Veloria", EntityType::Location)],
        &[("Tuesday", "2031-03-04")],
    );
    let e = event(&d, &ex, "killed");
    assert_eq!(e.event_type, "Life.Die");
    assert_eq!(e.modality, Modality::Asserted);
    assert_eq!(arg(&d, &ex, e, Role::Patient), Some("Tomas Varga"));
    assert_eq!(arg(&d, &ex, e, Role::Agent), None);
    assert_eq!(arg(&d, &ex, e, Role::Location), Some("Veloria"));
    assert_eq!(arg(&d, &ex, e, Role::Time), Some("2031-03-04"));
    assert_eq!(arg(&d, &ex, e, Role::Instrument), Some("bomb"));
    let inst = ex.entities.iter().find(|m| m.subtype.as_deref() == Some("instrument")).map(|m| m.etype);
    assert_eq!(inst, Some(EntityType::Other));
}

#[test]
fn passive_agent_from_by_phrase() {
    let (d, ex) = run(
        "Mara Quinn was arrested by the Border Guard Service on Friday.",
        &[("Mara Quinn", EntityType::Person), ("Border Guard Service", EntityType::Organization)],
        &[("Friday", "2031-03-07")],
    );
    let e = event(&d, &ex, "arrested");
    assert_eq!(e.event_type, "Justice.Arrest-Jail");
    assert_eq!(arg(&d, &ex, e, Role::Patient), Some("Mara Quinn"));
    assert_eq!(arg(&d, &ex, e, Role::Agent), Some("Border Guard Service"));
}

#[test]
fn active_verb_subject_and_object() {
    let (d, ex) = run(
        "Northwind Holdings acquired Belmont Foods last year.",
        &[("Northwind Holdings", EntityType::Organization), ("Belmont Foods", EntityType::Organization)],
        &[],
    );
    let e = event(&d, &ex, "acquired");
    assert_eq!(e.event_type, "Transaction.Transfer-Ownership");
    assert_eq!(arg(&d, &ex, e, Role::Agent), Some("Northwind Holdings"));
    assert_eq!(arg(&d, &ex, e, Role::Patient), Some("Belmont Foods"));
}

/// The object of a verb is not found past a conjunction that opens another
/// clause ("as", "until", "whether"), but is after "such as".
#[test]
fn no_object_across_a_clause_link() {
    let orgs = [("Northwind Holdings", EntityType::Organization), ("Belmont Foods", EntityType::Organization)];
    let (d, ex) = run("Northwind Holdings resigned as Belmont Foods collapsed.", &orgs, &[]);
    let e = event(&d, &ex, "resigned");
    assert_eq!(arg(&d, &ex, e, Role::Agent), Some("Northwind Holdings"));
    assert_eq!(arg(&d, &ex, e, Role::Patient), None);
    let (d, ex) = run("Northwind Holdings acquired firms such as Belmont Foods last year.", &orgs, &[]);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "acquired"), Role::Patient), Some("Belmont Foods"));
}

#[test]
fn possessive_and_of_phrase_nominalizations() {
    let (d, ex) = run(
        "Varga's killing shocked the capital. Prosecutors described the murder of Ana Ruiz by Carl Brandt.",
        &[("Varga", EntityType::Person), ("Ana Ruiz", EntityType::Person), ("Carl Brandt", EntityType::Person)],
        &[],
    );
    let k = event(&d, &ex, "killing");
    assert_eq!(k.event_type, "Life.Die");
    assert_eq!(arg(&d, &ex, k, Role::Patient), Some("Varga"));
    let m = event(&d, &ex, "murder");
    assert_eq!(arg(&d, &ex, m, Role::Patient), Some("Ana Ruiz"));
    assert_eq!(arg(&d, &ex, m, Role::Agent), Some("Carl Brandt"));
}

#[test]
fn multi_word_triggers() {
    let (d, ex) = run(
        "The president held a press conference in Lisbon after the car bombing.",
        &[("Lisbon", EntityType::Location)],
        &[],
    );
    let pc = event(&d, &ex, "press conference");
    assert_eq!(pc.event_type, "Contact.Meet");
    assert_eq!(arg(&d, &ex, pc, Role::Location), Some("Lisbon"));
    assert_eq!(event(&d, &ex, "car bombing").event_type, "Conflict.Attack");
}

#[test]
fn modality_from_context() {
    let (d, ex) = run(
        "The army did not attack the town. Rebels may attack the base. The minister plans to visit the port. \
         Officials said militants attacked a convoy. A patrol was ambushed near the border, police said.",
        &[],
        &[],
    );
    let m = |t: &str, nth: usize| {
        ex.events.iter().filter(|e| e.trigger.text(&d.text) == t).nth(nth).map(|e| e.modality)
    };
    assert_eq!(m("attack", 0), Some(Modality::Negated));
    assert_eq!(m("attack", 1), Some(Modality::Possible));
    assert_eq!(m("visit", 0), Some(Modality::Planned));
    assert_eq!(m("attacked", 0), Some(Modality::Claimed));
    assert_eq!(m("said", 0), Some(Modality::Asserted));
    assert_eq!(m("ambushed", 0), Some(Modality::Claimed));
}

#[test]
fn reporting_setting_is_not_claimed() {
    let (d, ex) = run("The mayor said at a press conference that the flood killed two people.", &[], &[]);
    assert_eq!(event(&d, &ex, "press conference").modality, Modality::Asserted);
    assert_eq!(event(&d, &ex, "killed").modality, Modality::Claimed);
}

#[test]
fn coreference_joins_one_incident_and_keeps_another_apart() {
    let text = "A bomb killed Tomas Varga in Veloria on Tuesday. \
                Investigators said the blast was caused by an explosive device. \
                The attack was the deadliest this year. \
                In 2022, a car bombing in Mirgorod killed Lena Dorn.";
    let (d, ex) = run(
        text,
        &[("Tomas Varga", EntityType::Person), ("Veloria", EntityType::Location), ("Mirgorod", EntityType::Location), ("Lena Dorn", EntityType::Person)],
        &[("Tuesday", "2031-03-04"), ("2022", "2022")],
    );
    let idx = |t: &str| ex.events.iter().position(|e| e.trigger.text(&d.text) == t).unwrap_or(usize::MAX);
    let root = |i: usize| ex.events[i].coref.unwrap_or(i);
    let killed = idx("killed");
    assert_ne!(killed, usize::MAX);
    let first = root(killed);
    assert_eq!(root(idx("blast")), first);
    assert_eq!(root(idx("attack")), first);
    let cb = idx("car bombing");
    assert_ne!(root(cb), first);
    let second_kill = ex.events.iter().rposition(|e| e.trigger.text(&d.text) == "killed").unwrap_or(0);
    assert_ne!(root(second_kill), first);
    for e in &ex.events {
        if let Some(c) = e.coref {
            assert!(ex.events[c].coref.is_none(), "coref points at a chain root");
        }
    }
}

#[test]
fn spans_are_valid_on_odd_input() {
    for t in [
        "",
        "   ",
        "😀 attack 😀 killed the \u{202e}RTL\u{202c} e\u{301}xplosion",
        "\"unbalanced quote attack said",
        "was killed by by by in in on",
        "'s 's killing of",
        "Мэр заявил, что атака была отражена.",
    ] {
        let (d, ex) = run(t, &[("killed", EntityType::Person)], &[("the", "X")]);
        for e in &ex.events {
            assert!(e.trigger.start < e.trigger.end && e.trigger.end <= d.text.len());
            assert!(d.text.is_char_boundary(e.trigger.start) && d.text.is_char_boundary(e.trigger.end));
            for a in &e.args {
                assert!(a.evidence.end <= d.text.len() && d.text.is_char_boundary(a.evidence.start));
            }
        }
    }
}

#[test]
fn model_round_trips_and_rejects_junk() {
    let det = Detector::bundled();
    if let Some(m) = &det.model {
        let bytes = m.to_bytes();
        let m2 = TriggerModel::from_bytes("x", &bytes).map(|m| m.len());
        assert_eq!(m2.ok(), Some(m.len()));
    }
    assert!(TriggerModel::from_bytes("x", b"junk").is_err());
    assert!(TriggerModel::from_bytes("x", b"NGEVTRG\0\xff\xff").is_err());
}

#[test]
fn subject_across_an_apposition_and_passive_claim_is_not_reporting() {
    let (d, ex) = run(
        "Anton Brel, the head of the port authority, was arrested in Kessel on Monday, the third arrest claimed by prosecutors this month.",
        &[("Anton Brel", EntityType::Person), ("Kessel", EntityType::Location)],
        &[("Monday", "2031-05-05")],
    );
    let e = event(&d, &ex, "arrested");
    assert_eq!(arg(&d, &ex, e, Role::Patient), Some("Anton Brel"));
    assert_eq!(arg(&d, &ex, e, Role::Location), Some("Kessel"));
    assert_eq!(e.modality, Modality::Asserted);
}

#[test]
fn definite_mentions_go_to_the_main_incident() {
    let text = "A gunman opened fire on a market in Harwick on Saturday, killing four people. \
                Police said the shooting was the worst in the region since a bombing at a station in Tolm. \
                The attack lasted ten minutes.";
    let (d, ex) = run(
        text,
        &[("Harwick", EntityType::Location), ("Tolm", EntityType::Location)],
        &[("Saturday", "2031-06-07")],
    );
    let idx = |t: &str| ex.events.iter().position(|e| e.trigger.text(&d.text) == t).unwrap_or(usize::MAX);
    let root = |i: usize| ex.events.get(i).map(|e| e.coref.unwrap_or(i));
    let main = root(idx("killing"));
    assert!(main.is_some());
    assert_eq!(root(idx("shooting")), main);
    assert_eq!(root(idx("attack")), main);
    assert_ne!(root(idx("bombing")), main);
}

#[test]
fn huge_unpunctuated_text_stays_fast() {
    let mut t = String::new();
    for i in 0..20000 {
        t.push_str(if i % 7 == 0 { "said Varga attacked Kessel with a bomb in Kessel " } else { "killed " });
    }
    let start = std::time::Instant::now();
    let (d, ex) = run(&t, &[("Varga", EntityType::Person), ("Kessel", EntityType::Location)], &[]);
    assert!(!ex.events.is_empty());
    assert!(ex.events.iter().all(|e| e.trigger.end <= d.text.len()));
    // Generous bound: quadratic work would take minutes.
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn a_list_of_past_incidents_stays_apart() {
    let text = "Rebels were blamed for previous attacks, including a car bombing in Tolm in 2029 and an explosion in Harwick in 2030 that killed Ivo Penn.";
    let (d, ex) = run(
        text,
        &[("Tolm", EntityType::Location), ("Harwick", EntityType::Location), ("Ivo Penn", EntityType::Person)],
        &[("2029", "2029"), ("2030", "2030")],
    );
    let idx = |t: &str| ex.events.iter().position(|e| e.trigger.text(&d.text) == t).unwrap_or(usize::MAX);
    let root = |i: usize| ex.events.get(i).map(|e| e.coref.unwrap_or(i));
    assert_ne!(root(idx("car bombing")), root(idx("explosion")));
    assert_ne!(root(idx("car bombing")), root(idx("attacks")));
    assert_eq!(root(idx("killed")), root(idx("explosion")));
}

#[test]
fn cross_document_key_names_the_incident_not_the_wording() {
    let a = run(
        "Tomas Varga was killed in Veloria on Tuesday. The blast shook the city.",
        &[("Tomas Varga", EntityType::Person), ("Veloria", EntityType::Location)],
        &[("Tuesday", "2031-03-04")],
    );
    let b = run(
        "A bomb attack killed Tomas Varga on Tuesday in Veloria, officials confirmed.",
        &[("Tomas Varga", EntityType::Person), ("Veloria", EntityType::Location)],
        &[("Tuesday", "2031-03-04")],
    );
    let key = |(d, ex): &(Document, Extraction), t: &str| {
        let i = ex.events.iter().position(|e| e.trigger.text(&d.text) == t)?;
        cross_document_key(&d.text, ex, ex.events[i].coref.unwrap_or(i))
    };
    let ka = key(&a, "killed");
    assert_eq!(ka.as_deref(), Some("attack:2031-03-04:person:tomas-varga"));
    assert_eq!(key(&b, "killed"), ka);
    assert_eq!(key(&a, "shook"), None);
}

#[test]
fn of_phrase_patient_after_title_words_and_possessive_pronoun_agent() {
    let (d, ex) = run(
        "Police are investigating the car bombing of prominent blogger Anna Verhoeven in Lyon. \
         Mayor Paul Dorsan spoke at his weekly news conference.",
        &[("Anna Verhoeven", EntityType::Person), ("Lyon", EntityType::Location), ("Paul Dorsan", EntityType::Person)],
        &[],
    );
    let bombing = event(&d, &ex, "car bombing");
    assert_eq!(arg(&d, &ex, bombing, Role::Patient), Some("Anna Verhoeven"));
    assert_eq!(arg(&d, &ex, bombing, Role::Location), Some("Lyon"));
    let conf = event(&d, &ex, "news conference");
    assert_eq!(arg(&d, &ex, conf, Role::Agent), Some("Paul Dorsan"));
}

#[test]
fn an_actor_keeps_the_day_of_an_earlier_act() {
    let (d, ex) = run(
        "Governor Lena Ortiz on Monday signed the budget. Ortiz later spoke at her end-of-year news conference.",
        &[("Lena Ortiz", EntityType::Person), ("Ortiz", EntityType::Person)],
        &[("Monday", "2031-05-12"), ("end-of-year", "2031")],
    );
    let conf = event(&d, &ex, "news conference");
    assert_eq!(arg(&d, &ex, conf, Role::Agent), Some("Ortiz"));
    // The coarse "end-of-year" gives way to the day Ortiz was last seen acting.
    assert_eq!(arg(&d, &ex, conf, Role::Time), Some("2031-05-12"));
}

#[test]
fn events_inside_an_attributed_statement_are_claimed() {
    let (d, mut ex) = run(
        "The ministry said that rebels shelled the airport and may attack again. The army did not attack the port.",
        &[],
        &[],
    );
    let content_start = d.text.find("rebels").unwrap();
    let content_end = d.text.find(" again").unwrap() + " again".len();
    ex.statements.push(crate::extract::StatementMention {
        content: ByteSpan::new(content_start, content_end),
        kind: crate::extract::StatementKind::Indirect,
        cue: ByteSpan::new(13, 17),
        source: None,
        speaker: None,
        about: Vec::new(),
        embedded_in: None,
        modality: Modality::Asserted,
        sentence: 0,
    });
    mark_attributed(&mut ex);
    assert_eq!(event(&d, &ex, "shelled").modality, Modality::Claimed);
    // Other modalities say more than "claimed" and stay.
    assert_eq!(event(&d, &ex, "attack").modality, Modality::Possible);
    let last = ex.events.iter().filter(|e| e.trigger.text(&d.text) == "attack").last().map(|e| e.modality);
    assert_eq!(last, Some(Modality::Negated));
}

/// A statement with `cue`, source and speaker `who` (an entity index).
fn statement(d: &Document, cue: &str, source: &str, who: usize) -> crate::extract::StatementMention {
    let span = |s: &str| d.text.find(s).map(|b| ByteSpan::new(b, b + s.len())).unwrap();
    crate::extract::StatementMention {
        kind: crate::extract::StatementKind::Indirect,
        cue: span(cue),
        content: ByteSpan::new(span(cue).end + 1, d.text.len() - 1),
        source: Some(span(source)),
        speaker: Some(Ref::Entity(who)),
        about: Vec::new(),
        embedded_in: None,
        modality: Modality::Asserted,
        sentence: 0,
    }
}

#[test]
fn a_reporting_event_takes_its_statements_speaker_as_agent() {
    let (d, mut ex) = run(
        "Orlen Shipping denied the report on Friday, saying its tankers had been idle since May.",
        &[("Orlen Shipping", EntityType::Organization)],
        &[],
    );
    assert_eq!(arg(&d, &ex, event(&d, &ex, "saying"), Role::Agent), None, "out of the argument rules' reach");
    ex.statements.push(statement(&d, "saying", "Orlen Shipping", 0));
    speakers_as_agents(&d.text, &mut ex);
    let saying = event(&d, &ex, "saying");
    assert_eq!(arg(&d, &ex, saying, Role::Agent), Some("Orlen Shipping"));
    let evidence = saying.args.iter().find(|a| a.role == Role::Agent).map(|a| a.evidence.text(&d.text));
    assert_eq!(evidence, Some("Orlen Shipping denied the report on Friday, saying"), "from the source words to the cue");
    // Run again: the event has an agent now and gets no second one.
    speakers_as_agents(&d.text, &mut ex);
    assert_eq!(event(&d, &ex, "saying").args.iter().filter(|a| a.role == Role::Agent).count(), 1);
}

#[test]
fn a_reporting_event_keeps_its_own_agent() {
    let (d, mut ex) = run(
        "Orlen Shipping denied the report, and Marta Wiles said the tankers were idle.",
        &[("Orlen Shipping", EntityType::Organization), ("Marta Wiles", EntityType::Person)],
        &[],
    );
    assert_eq!(arg(&d, &ex, event(&d, &ex, "denied"), Role::Agent), Some("Orlen Shipping"));
    // A statement on "denied" naming someone else leaves the event's own agent.
    ex.statements.push(statement(&d, "denied", "Marta Wiles", 1));
    speakers_as_agents(&d.text, &mut ex);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "denied"), Role::Agent), Some("Orlen Shipping"));
    assert_eq!(event(&d, &ex, "denied").args.iter().filter(|a| a.role == Role::Agent).count(), 1);
}

#[test]
fn a_speaker_read_as_the_patient_of_an_inverted_said_becomes_its_agent() {
    let (d, mut ex) = run("\"We need more buses,\" said Ana Ruiz, the transport minister.", &[("Ana Ruiz", EntityType::Person)], &[]);
    let content_end = d.text.find(",\"").unwrap();
    ex.statements.push(crate::extract::StatementMention { content: ByteSpan::new(1, content_end), ..statement(&d, "said", "Ana Ruiz", 0) });
    assert_eq!(arg(&d, &ex, event(&d, &ex, "said"), Role::Patient), Some("Ana Ruiz"), "the argument rules' reading");
    speakers_as_agents(&d.text, &mut ex);
    let said = event(&d, &ex, "said");
    assert_eq!(arg(&d, &ex, said, Role::Agent), Some("Ana Ruiz"));
    assert_eq!(arg(&d, &ex, said, Role::Patient), None, "{:?}", said.args);
}

#[test]
fn a_time_before_a_comma_and_a_reporting_verb_dates_the_reported_event() {
    let (d, ex) = run(
        "Judge Marc Delorme was killed in Lyon on Monday, police said.",
        &[("Marc Delorme", EntityType::Person), ("Lyon", EntityType::Location)],
        &[("Monday", "2031-03-03")],
    );
    assert_eq!(arg(&d, &ex, event(&d, &ex, "killed"), Role::Time), Some("2031-03-03"));
    assert_eq!(arg(&d, &ex, event(&d, &ex, "said"), Role::Time), None);
}

#[test]
fn a_duration_is_not_the_time_of_an_event() {
    // "48 hours after the blast" says how long after, not when.
    let (d, ex) = run_typed(
        "The minister spoke more than 48 hours after the blast in Veloria on Tuesday.",
        &[("Veloria", EntityType::Location)],
        &[("48 hours", "PT48H", TimexType::Duration), ("Tuesday", "2031-03-04", TimexType::Date)],
    );
    for e in &ex.events {
        assert_ne!(arg(&d, &ex, e, Role::Time), Some("PT48H"), "{:?} got the duration", e.trigger.text(&d.text));
    }
    let (d, ex) = run_typed("The blast lasted 48 hours.", &[], &[("48 hours", "PT48H", TimexType::Duration)]);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "blast"), Role::Time), None);
}

#[test]
fn calling_something_a_name_is_a_statement_and_a_phone_call_is_not() {
    let (d, ex) = run("The mayor on Friday called the closure \"a disgrace\".", &[], &[]);
    assert_eq!(event(&d, &ex, "called").event_type, "Contact.Statement");
    let (d, ex) = run("The two leaders held a phone call on Friday.", &[], &[]);
    assert_eq!(event(&d, &ex, "phone call").event_type, "Contact.Phone-Write");
}

/// "call" reports only where something is said: a name ("a virus called
/// Bofra") is no event, "free calls to landlines" are phone calls, "called
/// off" is no statement; "officials called Novak a "traitor"" and "calls to
/// resign" still are.
#[test]
fn call_is_a_statement_only_where_something_is_said() {
    let (d, ex) = run("A new virus called Bofra is spreading.", &[], &[]);
    assert!(ex.events.iter().all(|e| e.trigger.text(&d.text) != "called"), "{:?}", ex.events);
    let (d, ex) = run("Customers can make free calls to landlines.", &[], &[]);
    assert_eq!(event(&d, &ex, "calls").event_type, "Contact.Phone-Write");
    let (d, ex) = run("The hospital called off its plan.", &[], &[]);
    assert_eq!(event(&d, &ex, "called").event_type, "Occurrence");
    let (d, ex) = run("Officials in the ministry called Novak a \"traitor\".", &[], &[]);
    assert_eq!(event(&d, &ex, "called").event_type, "Contact.Statement");
    let (d, ex) = run("He rejected calls to resign.", &[], &[]);
    assert_eq!(event(&d, &ex, "calls").event_type, "Contact.Statement");
}

#[test]
fn a_time_inside_a_dashed_aside_dates_the_aside_not_the_main_clause() {
    let (d, ex) = run(
        "The lawsuit - filed by the Harbour Workers Union in 2029 - was rejected by the court.",
        &[("Harbour Workers Union", EntityType::Organization)],
        &[("2029", "2029")],
    );
    assert_eq!(arg(&d, &ex, event(&d, &ex, "filed"), Role::Time), Some("2029"), "{:?}", ex.events);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "rejected"), Role::Time), None);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "rejected"), Role::Patient), None);
}

#[test]
fn no_subject_inside_a_preposition_phrase_past_its_determiner() {
    let places = [("Feijenoord", EntityType::Location), ("Belmont Foods", EntityType::Organization)];
    let (d, ex) = run("Around 3,000 residents of the Feijenoord district were evacuated overnight.", &places, &[]);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "evacuated"), Role::Patient), None);
    // "after" here opens a clause, so its subject still counts.
    let (d, ex) = run("Shares rose after the Belmont Foods board resigned.", &places, &[]);
    assert_eq!(arg(&d, &ex, event(&d, &ex, "resigned"), Role::Agent), Some("Belmont Foods"));
}
