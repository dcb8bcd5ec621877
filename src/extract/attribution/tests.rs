use super::*;
use crate::extract::entities;
use crate::text::analyze;

/// Runs the fallback entity recognizer and the attribution extractor on an
/// invented article (first line is the headline).
fn run(text: &str) -> Extraction {
    let doc = Document::plain("t", text);
    let an = analyze(text);
    let mut ex = Extraction {
        entities: entities::recognize(&doc, &an, &crate::nlp::Models::default()),
        ..Extraction::default()
    };
    extract(&doc, &an, &mut ex);
    // Every span is a slice of the text on char boundaries.
    for s in &ex.statements {
        for sp in [Some(s.cue), Some(s.content), s.source]
            .into_iter()
            .flatten()
        {
            assert!(text.get(sp.start..sp.end).is_some(), "bad span {sp:?}");
        }
    }
    ex
}

fn find<'a>(ex: &'a Extraction, text: &str, cue: &str) -> &'a StatementMention {
    ex.statements
        .iter()
        .find(|s| s.cue.text(text) == cue)
        .unwrap_or_else(|| panic!("no statement with cue {cue:?}: {:?}", dump(ex, text)))
}

fn dump(ex: &Extraction, text: &str) -> Vec<(String, String, Option<String>)> {
    ex.statements
        .iter()
        .map(|s| {
            (
                s.cue.text(text).to_string(),
                s.content.text(text).to_string(),
                s.source.map(|x| x.text(text).to_string()),
            )
        })
        .collect()
}

fn speaker_text<'a>(ex: &'a Extraction, text: &'a str, s: &StatementMention) -> Option<&'a str> {
    match s.speaker {
        Some(Ref::Entity(k)) => ex.entities.get(k).map(|m| m.key(text)),
        _ => None,
    }
}

#[test]
fn direct_quote_then_cue() {
    let t = "Storm hits coast\nResidents fled on Monday. \"The water rose in minutes,\" Governor Lena Holt said.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(s.content.text(t), "\"The water rose in minutes,\"");
    assert_eq!(s.kind, StatementKind::Direct);
    assert_eq!(s.source.map(|x| x.text(t)), Some("Governor Lena Holt"));
    assert_eq!(speaker_text(&ex, t, s), Some("Lena Holt"));
}

#[test]
fn curly_multi_sentence_quote() {
    let t = "Talks stall\nThe envoy arrived late. “We came to listen. We will stay as long as it takes,” said Marta Voss.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(
        s.content.text(t),
        "“We came to listen. We will stay as long as it takes,”"
    );
    assert_eq!(s.source.map(|x| x.text(t)), Some("Marta Voss"));
    assert_eq!(s.kind, StatementKind::Direct);
}

#[test]
fn split_quote_is_one_statement() {
    let t = "Bridge plan\n\"We will rebuild the bridge,\" Mayor Anna Berg said, \"and it will be safer than before.\"";
    let ex = run(t);
    assert_eq!(ex.statements.len(), 1, "{:?}", dump(&ex, t));
    let s = &ex.statements[0];
    assert_eq!(
        s.content.text(t),
        "\"We will rebuild the bridge,\" Mayor Anna Berg said, \"and it will be safer than before.\""
    );
    assert_eq!(s.kind, StatementKind::Direct);
    assert_eq!(s.source.map(|x| x.text(t)), Some("Mayor Anna Berg"));
}

#[test]
fn quote_across_paragraphs() {
    let t = "Bridge works\nThe mayor spoke at noon.\n“It will take two years.\n“After that, traffic will flow again,” she told reporters.";
    let ex = run(t);
    let s = find(&ex, t, "told");
    assert_eq!(
        s.content.text(t),
        "“It will take two years.\n“After that, traffic will flow again,”"
    );
    assert_eq!(s.source.map(|x| x.text(t)), Some("she"));
}

#[test]
fn unbalanced_quote_does_not_swallow_article() {
    let t = "Odd quote\nThe minister said \"we are ready. Nobody doubts it.\nPrices rose 3 percent in May, the bank said.\nAnalysts expect more.";
    let ex = run(t);
    let nobody = t.find("Nobody").unwrap_or(0);
    assert!(
        ex.statements
            .iter()
            .all(|s| s.content.end <= nobody || s.content.start > nobody),
        "{:?}",
        dump(&ex, t)
    );
    let minister = ex
        .statements
        .iter()
        .find(|s| s.source.map(|x| x.text(t)) == Some("The minister"));
    assert_eq!(
        minister.map(|s| s.content.text(t)),
        Some("\"we are ready."),
        "{:?}",
        dump(&ex, t)
    );
    let bank = ex
        .statements
        .iter()
        .find(|s| s.source.map(|x| x.text(t)) == Some("the bank"));
    assert_eq!(
        bank.map(|s| s.content.text(t)),
        Some("Prices rose 3 percent in May")
    );
}

#[test]
fn indirect_said_that() {
    let t = "Council vote\nThe city council said on Tuesday that the bridge would reopen in March.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(s.content.text(t), "that the bridge would reopen in March");
    assert_eq!(s.source.map(|x| x.text(t)), Some("The city council"));
    assert_eq!(s.kind, StatementKind::Indirect);
}

#[test]
fn according_to() {
    let t = "Repairs\nAccording to the Transport Agency, the repairs will cost $40 million.\nThe work will end in May, according to officials.";
    let ex = run(t);
    let a = find(&ex, t, "According to");
    assert_eq!(a.source.map(|x| x.text(t)), Some("the Transport Agency"));
    assert_eq!(a.content.text(t), "the repairs will cost $40 million");
    let b = find(&ex, t, "according to");
    assert_eq!(b.source.map(|x| x.text(t)), Some("officials"));
    assert_eq!(b.content.text(t), "The work will end in May");
}

#[test]
fn nested_attribution() {
    let t =
        "Inquiry\nThe Investigative Committee said the suspect said he had been recruited abroad.";
    let ex = run(t);
    assert_eq!(ex.statements.len(), 2, "{:?}", dump(&ex, t));
    let outer = ex
        .statements
        .iter()
        .position(|s| s.source.map(|x| x.text(t)) == Some("The Investigative Committee"));
    let inner = ex
        .statements
        .iter()
        .position(|s| s.source.map(|x| x.text(t)) == Some("the suspect"));
    let (Some(o), Some(i)) = (outer, inner) else {
        panic!("{:?}", dump(&ex, t))
    };
    assert_eq!(
        ex.statements[i].content.text(t),
        "he had been recruited abroad"
    );
    assert_eq!(ex.statements[i].embedded_in, Some(o));
    assert_eq!(ex.statements[o].embedded_in, None);
}

#[test]
fn coordinated_statements_are_not_nested() {
    let t = "Budget\nThe mayor said taxes would fall, but the council said they would rise.";
    let ex = run(t);
    assert_eq!(ex.statements.len(), 2, "{:?}", dump(&ex, t));
    assert_eq!(ex.statements[0].content.text(t), "taxes would fall");
    assert!(ex.statements.iter().all(|s| s.embedded_in.is_none()));
}

#[test]
fn pronoun_source_resolves_to_earlier_entity() {
    let t = "Inquiry\nThe probe was led by the Investigative Committee in Moscow.\nIt claimed he said he had been recruited.";
    let ex = run(t);
    let s = find(&ex, t, "claimed");
    assert_eq!(s.source.map(|x| x.text(t)), Some("It"));
    assert_eq!(s.modality, Modality::Claimed);
    assert_eq!(speaker_text(&ex, t, s), Some("Investigative Committee"));
    let inner = find(&ex, t, "said");
    assert_eq!(
        inner.embedded_in.map(|k| ex.statements[k].cue.text(t)),
        Some("claimed")
    );
}

/// An occupation ("a broker", "economists") makes an anonymous source a
/// person, whom "he" in the next sentence can refer back to.
#[test]
fn anonymous_broker_is_a_person_that_he_refers_to() {
    let t = "Bid talk\n\"The bid looks very likely,\" said one Frankfurt-based broker. He forecast that rivals would stay out.\n";
    let ex = run(t);
    let first = find(&ex, t, "said");
    let Some(Ref::Entity(k)) = first.speaker else { panic!("no speaker") };
    assert_eq!(ex.entities[k].span.text(t), "one Frankfurt-based broker");
    assert_eq!(ex.entities[k].etype, EntityType::Person);
    let second = find(&ex, t, "forecast");
    assert_eq!(second.source.map(|x| x.text(t)), Some("He"));
    assert_eq!(second.speaker, Some(Ref::Entity(k)));
}

/// A title with what it belongs to ("India's finance minister") is a
/// person: "He" in the next sentence is that minister, not a speaker further back.
#[test]
fn titled_description_with_its_country_is_a_person() {
    let t = "Trade talks\n\"Prices will rise,\" said one Frankfurt-based broker.\n\nIn London, India's finance minister said the subsidies were unfair. He said the quotas hurt farmers.\n";
    let ex = run(t);
    let said = ex.statements.iter().find(|s| s.source.is_some_and(|x| x.text(t) == "India's finance minister")).expect("the minister's statement");
    let Some(Ref::Entity(k)) = said.speaker else { panic!("no speaker") };
    assert_eq!(ex.entities[k].etype, EntityType::Person);
    let he = ex.statements.iter().find(|s| s.source.is_some_and(|x| x.text(t) == "He")).expect("his statement");
    assert_eq!(he.speaker, Some(Ref::Entity(k)), "{:?}", dump(&ex, t));
}

#[test]
fn anonymous_source_gets_its_own_mention() {
    let t = "Strike\nThe depot burned overnight. The plant was a legitimate target, a source in the Border Guard Service said.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(
        s.source.map(|x| x.text(t)),
        Some("a source in the Border Guard Service")
    );
    assert_eq!(s.content.text(t), "The plant was a legitimate target");
    let Some(Ref::Entity(k)) = s.speaker else {
        panic!("no speaker")
    };
    assert_eq!(ex.entities[k].subtype.as_deref(), Some("anonymous"));
    assert_eq!(ex.entities[k].etype, EntityType::Person);
    let rel = ex.relations.iter().find(|r| r.from == Ref::Entity(k));
    let target = rel.and_then(|r| match r.to {
        Ref::Entity(j) => Some(ex.entities[j].span.text(t)),
        _ => None,
    });
    assert_eq!(target, Some("Border Guard Service"));
}

#[test]
fn denial_is_negated_and_content_mentions_are_about() {
    let t = "Dispute\nThe ministry denied that Acme Corp had paid the bribe.";
    let ex = run(t);
    let s = find(&ex, t, "denied");
    assert_eq!(s.modality, Modality::Negated);
    let about: Vec<&str> = s
        .about
        .iter()
        .filter_map(|r| match r {
            Ref::Entity(k) => Some(ex.entities[*k].span.text(t)),
            _ => None,
        })
        .collect();
    assert_eq!(about, vec!["Acme Corp"]);
}

#[test]
fn survives_junk() {
    for t in [
        "",
        "\"",
        "“",
        "”\"”“",
        "said",
        "\"said,\" said \"said",
        "Ünïcödé “said” 👍 said: “",
        "a\u{0301} said \u{05D0}\u{05D1} \"",
        &"\"".repeat(5000),
        &"said \"x ".repeat(3000),
    ] {
        let _ = run(t);
    }
}

#[test]
fn called_y_a_quote_and_shared_subject() {
    let t = "Strike\nAn official at the Harbour Authority called the blast a \"deliberate attack\" and has accused rebels of planning it.";
    let ex = run(t);
    let called = find(&ex, t, "called");
    assert_eq!(called.content.text(t), "the blast a \"deliberate attack\"");
    assert_eq!(called.kind, StatementKind::Mixed);
    assert_eq!(
        called.source.map(|x| x.text(t)),
        Some("An official at the Harbour Authority")
    );
    let accused = find(&ex, t, "has accused");
    assert_eq!(accused.source, called.source);
    assert_eq!(accused.modality, Modality::Claimed);
    assert_eq!(accused.embedded_in, None);
}

#[test]
fn headline_colon_is_a_statement() {
    let t = "Mayor Berg: Bridge will reopen in March\nWork goes on.";
    let ex = run(t);
    let s = find(&ex, t, ":");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Mayor Berg"));
    assert_eq!(s.content.text(t), "Bridge will reopen in March");
}

#[test]
fn passive_claimed_by() {
    let t = "Blast\nIt was the third attack claimed by the Northern Front this year.";
    let ex = run(t);
    let s = find(&ex, t, "claimed by");
    assert_eq!(s.source.map(|x| x.text(t)), Some("the Northern Front"));
    assert_eq!(s.modality, Modality::Claimed);
}

#[test]
fn abbreviation_does_not_split_source_from_cue() {
    let t = "Vote\n\"It will be close,\" Mr. Dale said at a rally. \"We need every vote.\"";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Mr. Dale"));
    assert_eq!(
        s.content.text(t),
        "\"It will be close,\" Mr. Dale said at a rally. \"We need every vote.\""
    );
}

#[test]
fn pronoun_in_nested_report_resolves_to_unnamed_suspect() {
    // "he" is the arrested man of the previous sentence, not the victim named earlier.
    let t = "Banker shot in Lyon\nMarc Delorme was shot dead outside his bank on Monday. \
             When Delorme left the building, a gunman opened fire. \
             Police have arrested a Belgian national suspected of the shooting, the prosecutor's office said on Tuesday. \
             It claimed he said he had been paid by a foreign agency.";
    let ex = run(t);
    let outer = find(&ex, t, "said");
    let inner_idx = ex
        .statements
        .iter()
        .position(|s| s.source.is_some_and(|x| x.text(t) == "he"))
        .unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    let inner = &ex.statements[inner_idx];
    assert_eq!(speaker_text(&ex, t, inner), Some("a Belgian national"));
    let outer_of_inner = inner.embedded_in.map(|j| &ex.statements[j]);
    assert_eq!(
        outer_of_inner.and_then(|o| o.source).map(|x| x.text(t)),
        Some("It")
    );
    let _ = outer;
}

#[test]
fn she_resolves_to_the_woman_not_the_nearer_man() {
    let t = "Budget row\nMrs. Aldana met Tom Reyes on Friday. She said the budget was unfair.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(s.source.map(|x| x.text(t)), Some("She"));
    assert_eq!(speaker_text(&ex, t, s), Some("Aldana"));
}

#[test]
fn anonymous_source_with_possessive_organisation() {
    let t = "Drone strike\nA source in Norway's PST security service called the man a \"serious threat\" on Monday.";
    let ex = run(t);
    let s = find(&ex, t, "called");
    assert_eq!(
        s.source.map(|x| x.text(t)),
        Some("A source in Norway's PST security service")
    );
    let Some(Ref::Entity(k)) = s.speaker else {
        panic!("no speaker: {:?}", dump(&ex, t))
    };
    assert_eq!(ex.entities[k].subtype.as_deref(), Some("anonymous"));
    assert!(ex
        .relations
        .iter()
        .any(|r| r.from == Ref::Entity(k) && r.relation == "member_of"));
}

#[test]
fn passive_without_speaker_and_naming_are_not_statements() {
    let t = "Safety review\nQuestions have been asked in Oslo about the safety of the bridge. \
             The bridge, known as the Red Span, opened in 1990.";
    let ex = run(t);
    assert!(ex.statements.is_empty(), "{:?}", dump(&ex, t));
}

#[test]
fn interjected_cue_content_runs_on() {
    let t = "Harbour plan\nThe new harbour, the mayor said, would bring thousands of jobs.";
    let ex = run(t);
    let s = find(&ex, t, "said");
    assert_eq!(
        s.content.text(t),
        "The new harbour, the mayor said, would bring thousands of jobs"
    );
}

#[test]
fn dash_signed_quotes() {
    let t = "Voices from the rally\n“We want schools that work.” ― Ana Ruiz “Nobody listens to us.” ― Peter Holm";
    let ex = run(t);
    let srcs: Vec<_> = ex
        .statements
        .iter()
        .filter_map(|s| s.source.map(|x| x.text(t)))
        .collect();
    assert!(srcs.contains(&"Ana Ruiz") && srcs.contains(&"Peter Holm"), "{:?}", dump(&ex, t));
}

#[test]
fn preposition_after_cue_is_not_content() {
    let t = "Union talks\nThe minister said at a briefing in Oslo on Monday that taxes would rise. \
             Smith told reporters in Leeds on Friday that the deal was dead.";
    let ex = run(t);
    assert_eq!(find(&ex, t, "said").content.text(t), "that taxes would rise");
    assert_eq!(find(&ex, t, "told").content.text(t), "that the deal was dead");
}

/// With POS tags the cue tagger decides: a demand in a plain clause is a
/// statement with its subject as source and the object as content.
#[test]
fn tagger_reads_verbs_with_pos() {
    let t = "Port strike enters second week\nMayor Ana Ruiz is demanding an independent review of the contract.";
    let ex = run_pos(t);
    let s = ex
        .statements
        .iter()
        .find(|s| s.cue.text(t).contains("demanding"))
        .unwrap_or_else(|| panic!("no demand: {:?}", dump(&ex, t)));
    assert_eq!(s.source.map(|x| x.text(t)), Some("Mayor Ana Ruiz"));
    assert_eq!(s.content.text(t), "an independent review of the contract");
}

/// The cue tagger model loads and scores.
#[test]
fn bundled_tagger_loads() {
    assert!(tagger::CueTagger::bundled().is_some());
    assert!(tagger::CueTagger::from_bytes("x", b"not a model").is_err());
}

/// A transcript turn: a capitalised speaker label and a colon open the
/// paragraph; the turn is one direct statement up to the paragraph's end.
#[test]
fn transcript_turns() {
    let t = "Debate night\nPartial transcript:\n\nHOST: Welcome back. Senator, what do you make of the poll?\n\nSENATOR: We are confident. Voters want jobs.";
    let ex = run(t);
    let s = ex
        .statements
        .iter()
        .find(|s| s.source.map(|x| x.text(t)) == Some("SENATOR"))
        .unwrap_or_else(|| panic!("no turn: {:?}", dump(&ex, t)));
    assert_eq!(s.cue.text(t), ":");
    assert_eq!(s.content.text(t), "We are confident. Voters want jobs");
    assert_eq!(s.kind, StatementKind::Direct);
}

/// Like [`run`], with the bundled POS tagger (as `build` runs it).
fn run_pos(t: &str) -> Extraction {
    let doc = Document::plain("t", t);
    let an = analyze(t);
    let models = crate::nlp::Models::bundled().expect("bundled models");
    let pos = models.tag_pos(t, &an);
    let mut ex = Extraction {
        entities: entities::recognize(&doc, &an, &models),
        ..Extraction::default()
    };
    extract_pos(&doc, &an, pos.as_deref(), &mut ex);
    ex
}

/// The content-end model loads, rejects junk, and cuts a content before a
/// non-restrictive clause and a reporter's participle.
#[test]
fn content_end_model_cuts_run_on_clauses() {
    assert!(content::EndModel::bundled().is_some());
    assert!(content::EndModel::from_bytes("x", b"not a model").is_err());
    let t = "Mill town waits\nThe mayor praised the new owners, who took over the mill in March.\n\n\
             Governor Ellen Park said the plant would stay open, adding that she had spoken to the owners.";
    let ex = run_pos(t);
    assert_eq!(find(&ex, t, "praised").content.text(t), "the new owners", "{:?}", dump(&ex, t));
    assert_eq!(
        find(&ex, t, "said").content.text(t),
        "the plant would stay open",
        "{:?}",
        dump(&ex, t)
    );
}

/// Sources in apposition (over several commas, after a connective, past
/// adverbs), of coordinated verbs, and a pronoun's "'s" before a cue.
#[test]
fn appositive_and_coordinated_sources() {
    let t = "Plant closes\nJo Marsh, of Dayton, Ohio, said the plant would close.\n\n\
             But Dana Kirk, a lawyer for the union, said the workers would sue.\n\n\
             Senator Tom Reyes, in particular, has sharply criticized the closure.\n\n\
             Governor Ellen Park visited the plant on Monday and said the jobs would not come back.\n\n\
             He’s claiming that the vote was rigged.";
    let ex = run_pos(t);
    let src = |cue: &str, content: &str| {
        ex.statements
            .iter()
            // The cue may take its auxiliary along ("has sharply criticized").
            .find(|s| s.cue.text(t).ends_with(cue) && s.content.text(t).contains(content))
            .unwrap_or_else(|| panic!("no {cue:?} / {content:?}: {:?}", dump(&ex, t)))
            .source
            .map(|x| x.text(t))
    };
    assert_eq!(src("said", "would close"), Some("Jo Marsh, of Dayton, Ohio,"));
    assert_eq!(src("said", "would sue"), Some("Dana Kirk, a lawyer for the union,"));
    // a discourse aside is not the source's (PolNeAR train sources stop before one)
    assert_eq!(src("criticized", "closure"), Some("Senator Tom Reyes"));
    assert_eq!(src("said", "not come back"), Some("Governor Ellen Park"));
    assert_eq!(src("claiming", "rigged"), Some("He"));
}

/// The content-start model skips a long addressee before "that" (the rules
/// alone keep it); a quote after the cue's comma is the content, not the
/// phrase before the speaker; a relative pronoun before the speaker is
/// what the cue is about; an agentless passive's subject is what was said.
#[test]
fn content_starts_and_sides() {
    assert!(content_start::bundled().is_some());
    assert!(content_start::from_bytes("x", b"not a model").is_err());
    let t = "Bridge plan advances\nThe senator told a group of local business owners gathered in Dayton on Friday that the bridge would be rebuilt by spring.\n\n\
             Facing a crowd of angry commuters, Governor Ellen Park said, “We will rebuild the bridge before winter.”\n\n\
             The plan, which Governor Park has rejected, would cost $2 billion.\n\n\
             The contract was negotiated between the city and the builders last year.";
    let ex = run_pos(t);
    let content = |cue: &str| find(&ex, t, cue).content.text(t);
    assert_eq!(content("told"), "that the bridge would be rebuilt by spring", "{:?}", dump(&ex, t));
    assert_eq!(content("said"), "“We will rebuild the bridge before winter.”");
    assert_eq!(find(&ex, t, "said").kind, StatementKind::Direct);
    assert_eq!(content("has rejected"), "which");
    // The cue takes its auxiliary (`extent.rs`).
    assert_eq!(content("was negotiated"), "The contract");
    assert_eq!(find(&ex, t, "was negotiated").source, None);
    // Without the models (rules only), the addressee stays in the content.
    let rules = content::with_models(content::ContentModels::default(), || run_pos(t));
    assert!(find(&rules, t, "told").content.text(t).starts_with("a group of local business owners"));
}

/// Sources the reader finds away from the cue: the subject of the verb
/// phrase the cue is in (past "went on to", an issuing verb), the object of
/// a control verb, a passive's agent, the source after a noun cue,
/// quantifiers and percentages.
#[test]
fn sources_beyond_the_cue() {
    let t = "Budget vote\nMayor Ana Ruiz went on to say the budget was balanced.\n\n\
             The ruling led him to claim that the vote had been fair.\n\n\
             The city council released a statement saying the bridge was safe.\n\n\
             The plan was first reported by the Daily Ledger on Tuesday.\n\n\
             The proposal drew sharp criticism from farm groups in the valley.\n\n\
             Some accused the mayor of hiding the report.\n\n\
             About 42% said the economy was improving.\n\n\
             Councilman Ray Dunn has begun to question whether the budget adds up.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t));
    // By content: the content-start model moves "to say" and "statement
    // saying" out of the content, and the cue keeps only "went on" / "released a".
    let by_content = |c: &str| {
        let s = ex.statements.iter().find(|s| s.content.text(t) == c);
        s.and_then(|s| s.source).map(|x| x.text(t))
    };
    assert_eq!(by_content("the budget was balanced"), Some("Mayor Ana Ruiz"), "{:?}", dump(&ex, t));
    assert_eq!(src("to claim"), Some("him"));
    assert_eq!(by_content("the bridge was safe"), Some("The city council"), "{:?}", dump(&ex, t));
    // A source after the cue is not also the content: what was reported or
    // criticised is the subject before the cue.
    assert_eq!(src("first reported"), Some("the Daily Ledger"));
    assert_eq!(find(&ex, t, "first reported").content.text(t), "The plan");
    assert_eq!(by_content("The proposal"), Some("farm groups"), "{:?}", dump(&ex, t));
    assert_eq!(src("accused"), Some("Some"));
    assert_eq!(src("said"), Some("42%"));
    assert_eq!(src("to question"), Some("Councilman Ray Dunn"));
}

/// A noun cue takes its subject only after a verb of issuing: in "faced
/// criticism" the subject is the target, and a quantifier that determines
/// a noun ("some advice") is not a source.
#[test]
fn noun_cue_subject_only_after_issuing_verb() {
    let t = "Pipeline row\nThe pipeline company faced opposition in the county.\n\n\
             The agency needs some advice on how to file a claim.";
    let ex = run_pos(t);
    for s in &ex.statements {
        let src = s.source.map(|x| x.text(t));
        assert!(
            !matches!(src, Some("The pipeline company") | Some("some")),
            "{:?}",
            dump(&ex, t)
        );
    }
}

/// A time phrase between source and cue is not the source, nor is the
/// object of a verb before a participle cue ("started a petition calling").
#[test]
fn time_phrase_and_object_before_participle_are_not_sources() {
    let t = "Wage fight\nSenior union officials this week detailed the plan to strike.\n\n\
             The Pike campaign sent an email on Friday saying the race was close.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t));
    assert_eq!(src("detailed"), Some("Senior union officials"), "{:?}", dump(&ex, t));
    let close = ex.statements.iter().find(|s| s.content.text(t).contains("race was close"));
    assert_eq!(close.and_then(|s| s.source).map(|x| x.text(t)), Some("The Pike campaign"), "{:?}", dump(&ex, t));
}

/// A feeling's experiencer ("That rattled the mayor"), the phrase an
/// apposition with a noun cue describes ("Dana Fox, a fierce critic of …"),
/// the subject of a verb cue holding a possessive noun ("renewed her
/// criticism"), and the possessor of a noun cue ("Park's attacks"), which
/// PolNeAR marks itself rather than the clause's subject.
#[test]
fn experiencer_apposition_and_possessive_sources() {
    let t = "Harbor deal\nThe sudden delay angered local fishermen.\n\n\
             The plan was opposed by Dana Fox, a fierce critic of the harbor authority.\n\n\
             Governor Ellen Park renewed her criticism of the harbor authority.";
    let ex = run_pos(t);
    assert_eq!(find(&ex, t, "angered").source.map(|x| x.text(t)), Some("local fishermen"), "{:?}", dump(&ex, t));
    let critic = ex.statements.iter().find(|s| s.cue.text(t).contains("critic"));
    assert_eq!(critic.and_then(|s| s.source).map(|x| x.text(t)), Some("Dana Fox"), "{:?}", dump(&ex, t));
    let renewed = ex.statements.iter().find(|s| s.cue.text(t).contains("criticism"));
    assert_eq!(renewed.and_then(|s| s.source).map(|x| x.text(t)), Some("Governor Ellen Park"), "{:?}", dump(&ex, t));

    // The possessor past modifiers, read directly on a tagged sentence.
    let t = "The mayor dismissed Governor Ellen Park's sharp, repeated attacks on the harbor authority.";
    let an = analyze(t);
    let models = crate::nlp::Models::bundled().expect("bundled models");
    let pos = models.tag_pos(t, &an).expect("pos tags");
    let cx = Ctx::new(t, &an, Some(&pos), false);
    let cue = an.tokens.iter().position(|k| k.text(t) == "attacks").expect("attacks");
    let src = source::possessor(&cx, 0, cue).map(|(s, e)| &t[an.tokens[s].start..an.tokens[e - 1].end]);
    assert_eq!(src, Some("Governor Ellen Park's"));
}

/// A source set off by dashes keeps its apposition, and the object of a
/// control verb speaks the infinitive after it.
#[test]
fn dash_apposition_and_control_object_sources() {
    let t = "Council race\nMaria Lopez - the union's lead organizer in the city -\u{20}told reporters the strike would go on.\n\n\
             The defeat led party leaders to demand a recount.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t));
    assert_eq!(src("told"), Some("Maria Lopez - the union's lead organizer in the city -"), "{:?}", dump(&ex, t));
    let demand = ex.statements.iter().find(|s| s.cue.text(t).contains("demand"));
    assert_eq!(demand.and_then(|s| s.source).map(|x| x.text(t)), Some("party leaders"), "{:?}", dump(&ex, t));
}

/// A participle after a comma takes the subject of the clause the comma
/// closes, past an opening time phrase.
#[test]
fn participle_takes_the_nearest_clause_subject() {
    let t = "School board\nOn Tuesday the superintendent doubled down on the plan, insisting that the budget was sound.";
    let ex = run_pos(t);
    let s = ex.statements.iter().find(|s| s.content.text(t).contains("budget was sound"));
    assert_eq!(s.and_then(|s| s.source).map(|x| x.text(t)), Some("the superintendent"), "{:?}", dump(&ex, t));
}

/// A gerund after a preposition is said by the subject of the clause it
/// modifies: after the comma when the phrase opens the sentence, on its
/// left otherwise.
#[test]
fn gerund_after_preposition_takes_the_clause_subject() {
    let t = "Dock strike
After insisting that the port was safe, the harbor master resigned on Friday.

             The union countered on Monday by suggesting a shorter shift.";
    let ex = run_pos(t);
    let by = |needle: &str| ex.statements.iter().find(|s| s.content.text(t).contains(needle)).and_then(|s| s.source).map(|x| x.text(t));
    assert_eq!(by("port was safe"), Some("the harbor master"), "{:?}", dump(&ex, t));
    assert_eq!(by("shorter shift"), Some("The union"), "{:?}", dump(&ex, t));
}

/// The relative "that" before a verb cue is its source, as "which" and
/// "who" are; an expletive "it" before an adjective cue and the subject of
/// "seems" are nobody's.
#[test]
fn relative_that_and_sourceless_raising_verbs() {
    let an_t = "Pike tolls
Residents back a petition that demands lower tolls on the pike.";
    let an = analyze(an_t);
    let models = crate::nlp::Models::bundled().expect("bundled models");
    let pos = models.tag_pos(an_t, &an).expect("pos tags");
    let cx = Ctx::new(an_t, &an, Some(&pos), false);
    let cue = an.tokens.iter().position(|k| k.text(an_t) == "demands").expect("demands");
    let src = source::relative_that(&cx, 0, cue).map(|(s, e)| &an_t[an.tokens[s].start..an.tokens[e - 1].end]);
    assert_eq!(src, Some("that"));

    let t = "Budget vote
It is unclear whether the council will pass the budget.

             The mayor seemed unsure about the budget.";
    let ex = run_pos(t);
    for s in &ex.statements {
        let src = s.source.map(|x| x.text(t));
        assert!(!matches!(src, Some("It") | Some("The mayor")), "{:?}", dump(&ex, t));
    }
}

/// A one-word name opening its sentence is the source of the cue after it,
/// whatever tag the POS tagger gives it.
#[test]
fn sentence_initial_name_before_cue_is_the_source() {
    let t = "Ferry vote\nThe crowd cheered at a large rally in the harbor town.  Hastings said on the radio Thursday that the ferry would stay.";
    let ex = run_pos(t);
    let s = ex.statements.iter().find(|s| s.content.text(t).contains("ferry would stay"));
    assert_eq!(s.and_then(|s| s.source).map(|x| x.text(t)), Some("Hastings"), "{:?}", dump(&ex, t));
}

/// Cue extents: auxiliaries and negation on the left, a colon and the
/// learned next word on the right, never into the source or the content,
/// and no possessive clitic.
#[test]
fn cue_extents_take_auxiliaries_colons_and_learned_words() {
    let lex = lexicon::Lexicon::parse("talked\ttalk\t10\t20\t0.4762\ntalked about\ttalked about\t5\t8\t0.5556\n");
    let cfg = Config::default();
    // (text, hand POS tags, cue token range, source range, content text) → cue text
    let cases: &[(&str, &[&'static str], (usize, usize), Option<(usize, usize)>, &str, &str)] = &[
        (
            "Governor Park does not mention the deal.",
            &["NNP", "NNP", "VBZ", "RB", "VB", "DT", "NN", "."],
            (4, 5),
            Some((0, 2)),
            "the deal",
            "does not mention",
        ),
        ("Park warned: the deal is dead.", &["NNP", "VBD", ":", "DT", "NN", "VBZ", "JJ", "."], (1, 2), Some((0, 1)), "the deal is dead", "warned:"),
        ("Park talked about the deal.", &["NNP", "VBD", "IN", "DT", "NN", "."], (1, 2), Some((0, 1)), "the deal", "talked about"),
        // The content starts at "about": the cue stays short of it.
        ("Park talked about the deal.", &["NNP", "VBD", "IN", "DT", "NN", "."], (1, 2), Some((0, 1)), "about the deal", "talked"),
        // A possessive before a noun cue is not an auxiliary.
        ("Park’s claim that the deal is dead", &["NNP", "POS", "NN", "IN", "DT", "NN", "VBZ", "JJ"], (2, 3), Some((0, 1)), "the deal is dead", "claim"),
        // An auxiliary inside the source is left there.
        ("Those who were told the deal was off", &["DT", "WP", "VBD", "VBN", "DT", "NN", "VBD", "RB"], (3, 4), Some((0, 3)), "the deal was off", "told"),
    ];
    for &(t, pos, cue, source, content, want) in cases {
        let an = analyze(t);
        assert_eq!(an.tokens.len(), pos.len(), "{t}: {:?}", an.tokens.iter().map(|k| k.text(t)).collect::<Vec<_>>());
        let cx = Ctx::new(t, &an, Some(pos), false);
        let cs = t.find(content).expect("content");
        let mut f = Found {
            cue,
            source,
            content: ByteSpan::new(cs, cs + content.len()),
            kind: StatementKind::Indirect,
            modality: Modality::Asserted,
            sentence: 0,
        };
        extent::widen(&cx, &lex, &cfg, (0, an.tokens.len()), &mut f);
        let got = &t[an.tokens[f.cue.0].start..an.tokens[f.cue.1 - 1].end];
        assert_eq!(got, want, "{t}");
    }
}

/// A description headed by an institution's noun with a name inside is an
/// organization with a stable name, located in its place; a possessed one
/// ("Ukraine's security service") stays an anonymous source.
#[test]
fn institution_descriptions_become_organizations() {
    let t = "Port flooded\nAbout 300 people were evacuated, according to the Marsdijk fire service. \
             The blast was planned, a source in Ukraine's security service said.";
    let ex = run_pos(t);
    let speaker = |needle: &str| {
        let s = ex.statements.iter().find(|s| s.content.text(t).contains(needle)).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
        match s.speaker {
            Some(Ref::Entity(k)) => Some(&ex.entities[k]),
            _ => None,
        }
    };
    let fire = speaker("evacuated").unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!((fire.etype, fire.key(t)), (EntityType::Organization, "Marsdijk fire service"));
    assert!(ex.relations.iter().any(|r| r.relation == "located_in" && r.evidence == fire.span), "{:?}", ex.relations);
    let sbu = speaker("blast").unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(sbu.subtype.as_deref(), Some("anonymous"));
}

/// A bare title as source ("…, minister says" in a headline; "the mayor
/// said") is the person the article gives that title.
#[test]
fn a_title_source_is_the_person_with_that_title() {
    let t = "Bridge to close for repairs, minister says\n\
             Transport Minister Clara Okafor said on Monday that the bridge would close in May. \
             Mayor Tom Reyes called the decision hasty. The mayor said the city had not been consulted.";
    let ex = run_pos(t);
    let speaker = |needle: &str| {
        let s = ex.statements.iter().find(|s| s.content.text(t).contains(needle)).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
        match s.speaker {
            Some(Ref::Entity(k)) => ex.entities[k].key(t).to_string(),
            _ => String::new(),
        }
    };
    assert_eq!(speaker("Bridge to close"), "Clara Okafor");
    assert_eq!(speaker("not been consulted"), "Tom Reyes");
}

/// With a dependency parse, a cue verb's subject the word-window rules miss
/// (a plural noun phrase with a prepositional phrase and an adverb before
/// the verb) is its source; without one it has none.
#[test]
fn parsed_subject_is_the_source_the_rules_miss() {
    let t = "Mill town waits\nLocal officials in the valley long insisted the closure was temporary.";
    let models = crate::nlp::Models::bundled_with_parser().expect("bundled models");
    let doc = Document::plain("t", t);
    let an = analyze(t);
    let pos = models.tag_pos(t, &an);
    let parse = pos.as_deref().and_then(|p| crate::nlp::parser::doc::DocParse::compute(&models, t, &an, p));
    assert!(parse.is_some(), "the bundled parser loads");
    let run = |parse| {
        let mut ex = Extraction { entities: entities::recognize(&doc, &an, &models), ..Extraction::default() };
        extract_parsed(&doc, &an, pos.as_deref(), parse, &mut ex);
        ex
    };
    let without = run(None);
    assert_eq!(find(&without, t, "insisted").source, None, "{:?}", dump(&without, t));
    let with = run(parse.as_ref());
    let s = find(&with, t, "insisted");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Local officials"), "{:?}", dump(&with, t));
    assert_eq!(s.content.text(t), "the closure was temporary");
}

/// A source named and then described in an apposition is the named person,
/// not an anonymous "general secretary of" node.
#[test]
fn appositive_source_is_the_named_person() {
    let t = "Strike vote\nNurses will vote next week. Carla Mendes, general secretary of the Harbour Nurses Union, \
             said members would not accept the offer.";
    let ex = run_pos(t);
    let s = find(&ex, t, "said");
    assert!(s.source.is_some_and(|x| x.text(t).starts_with("Carla Mendes")), "{:?}", dump(&ex, t));
    assert_eq!(speaker_text(&ex, t, s), Some("Carla Mendes"));
    let t = "Port deal\nThe port will be sold. The city's harbour master in Eastport, Tomas Reyes, said the sale \
             was fair. Ms Sarah Jones, who chairs the board, said the price was too low. Mr Tom Hale - the port's owner - said it was fair.";
    let ex = run_pos(t);
    let said: Vec<Option<&str>> = ex.statements.iter().filter(|s| s.cue.text(t) == "said").map(|s| speaker_text(&ex, t, s)).collect();
    assert_eq!(said, [Some("Tomas Reyes"), Some("Sarah Jones"), Some("Tom Hale")], "{:?}", dump(&ex, t));
    // a name after a preposition is not the speaker
    let t = "Port deal\nThe port will be sold. A spokesman for Tom Hale, who owns the port, said the sale was fair.";
    let ex = run_pos(t);
    assert_ne!(speaker_text(&ex, t, find(&ex, t, "said")), Some("Tom Hale"), "{:?}", dump(&ex, t));
}

/// Descriptions and relative pronouns stand for the entity the article
/// named: "the firm", "the prime minister" (only with a matching title),
/// "Acme, which said".
#[test]
fn description_sources_reach_the_named_entity() {
    let t = "Bakery chain grows\nShares in Barclays rose on Monday. The bank said profits rose by 8%. \
             Prime Minister Tony Blair visited a shop. The prime minister said the firm was a success. \
             The foreign minister said nothing. Tesco, which said prices would fall, declined to comment. \
             Shadow Chancellor Ann Reed and ex-Labour chancellor Jim Dent spoke next. The chancellor said little. \
             But the secretary said Mr Tom Hale was wrong.";
    let ex = run_pos(t);
    let by_cue = |cue: &str, nth: usize| {
        let s = ex.statements.iter().filter(|s| s.cue.text(t) == cue).nth(nth).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
        speaker_text(&ex, t, s)
    };
    assert_eq!(by_cue("said", 0), Some("Barclays"), "{:?}", dump(&ex, t));
    assert_eq!(by_cue("said", 1), Some("Tony Blair"), "{:?}", dump(&ex, t));
    assert_ne!(by_cue("said", 2), Some("Tony Blair"), "{:?}", dump(&ex, t));
    assert!(!matches!(by_cue("said", 4), Some("Ann Reed" | "Jim Dent")), "{:?}", dump(&ex, t));
    assert_ne!(by_cue("said", 5), Some("Tom Hale"), "{:?}", dump(&ex, t));
    let tesco = ex.statements.iter().find(|s| s.content.text(t).starts_with("prices")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(speaker_text(&ex, t, tesco), Some("Tesco"), "{:?}", dump(&ex, t));
    // a name with a multi-byte character where the head word would end
    let t = "Profits up\nShares in Grüße Group rose on Monday. The group said profits rose.";
    let ex = run_pos(t);
    assert_eq!(speaker_text(&ex, t, find(&ex, t, "said")), Some("Grüße Group"), "{:?}", dump(&ex, t));
}

/// A subject set off from its cue by an apposition (after a quantified
/// phrase, a coordination, or in brackets) is the source, with the closing
/// comma or bracket; a name after the cue with no verb of its own stays the
/// inverted source.
#[test]
fn subject_before_an_apposition_is_the_source() {
    let t = "Council splits on budget\n\
             Another member of the council, Jim Pollard, said he was leaning toward the plan. \
             Wilson and Berry, two Westfield Republicans, argued that the department is not needed. \
             Sen. Ada Reed (D-Vt.) says the bill will pass. \
             Even as the vote moves to Albany, a city that she hoped to carry, the race will be tight, said Dan Gerber.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t).to_string());
    assert_eq!(src("said").as_deref(), Some("Another member of the council, Jim Pollard,"), "{:?}", dump(&ex, t));
    assert_eq!(src("argued").as_deref(), Some("Wilson and Berry, two Westfield Republicans,"), "{:?}", dump(&ex, t));
    assert_eq!(src("says").as_deref(), Some("Sen. Ada Reed (D-Vt.)"), "{:?}", dump(&ex, t));
    let last = ex
        .statements
        .iter()
        .find(|s| s.cue.text(t) == "said" && s.content.text(t).contains("race will be tight"))
        .unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(last.source.map(|x| x.text(t)), Some("Dan Gerber"), "{:?}", dump(&ex, t));
}

/// A participle that opens its sentence is said by the main clause's
/// subject after the comma, past commas inside the participle's phrase.
#[test]
fn opening_participle_takes_the_main_subject() {
    let t = "Governor sets out plans\n\
             Rattling off promises to cut student debt, reform the tax code and fix rural schools, Governor Ellen Marsh said the state would act. \
             One month after announcing his support for the bridge, Councillor Dan Ortiz still believes it will pass.";
    let ex = run_pos(t);
    let s = find(&ex, t, "Rattling off promises");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Governor Ellen Marsh"), "{:?}", dump(&ex, t));
    let s = find(&ex, t, "announcing");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Councillor Dan Ortiz"), "{:?}", dump(&ex, t));
}

/// "Q:" and "A:" interview turns are no named speaker's statements; a
/// headline-style name and colon still is.
#[test]
fn interview_q_and_a_labels_are_not_speakers() {
    let t = "Mayor on the flood\n\
             Q: Did the city wait too long to open the shelters?\n\n\
             A: We opened them the moment the river crossed the line.\n\n\
             Reyes: City will rebuild every bridge by spring.";
    let ex = run_pos(t);
    let srcs: Vec<_> = ex.statements.iter().filter_map(|s| s.source.map(|x| x.text(t))).collect();
    assert!(!srcs.contains(&"Q") && !srcs.contains(&"A"), "{:?}", dump(&ex, t));
    assert!(srcs.contains(&"Reyes"), "{:?}", dump(&ex, t));
}

/// An impression the writer reports ("seemed to embody") has no source,
/// whatever verb follows; "the endorsement of X" read as one cue takes X.
#[test]
fn seem_has_no_source_and_endorsement_of_takes_its_object() {
    let t = "Mayor wins backing\n\
             The mayor seemed to embody the anger of the riverside towns. \
             Last week Mayor Tom Reyes won the endorsement of the Teachers Union.";
    let ex = run_pos(t);
    assert_eq!(find(&ex, t, "seemed").source, None, "{:?}", dump(&ex, t));
    let s = ex.statements.iter().find(|s| s.cue.text(t).starts_with("endorsement")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(s.source.map(|x| x.text(t)), Some("the Teachers Union"), "{:?}", dump(&ex, t));
}

/// A verb coordinated after "but did not" or with "however" before it
/// shares the clause subject.
#[test]
fn coordinated_cue_past_did_not_and_however() {
    let t = "Senator weighs in\n\
             Senator Maria Lopez praised the budget but did not endorse the tax plan. \
             Lopez however said the vote would be close.";
    let ex = run_pos(t);
    let s = ex.statements.iter().find(|s| s.cue.text(t).contains("endorse")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(s.source.map(|x| x.text(t)), Some("Senator Maria Lopez"), "{:?}", dump(&ex, t));
    let s = find(&ex, t, "said");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Lopez"), "{:?}", dump(&ex, t));
}

/// A subject with a reduced relative clause before a finite cue is the
/// whole phrase up to the cue, not the participle's agent or nothing.
#[test]
fn reduced_relative_subject_is_the_source() {
    let t = "Town debates new rules\n\
             New polls released Sunday showed the mayor trailing by six points. \
             A survey conducted by the chamber showed that most owners oppose the tax.";
    let ex = run_pos(t);
    let src = |needle: &str| {
        let s = ex.statements.iter().find(|s| s.content.text(t).contains(needle)).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
        s.source.map(|x| x.text(t).to_string())
    };
    assert_eq!(src("trailing").as_deref(), Some("New polls released Sunday"), "{:?}", dump(&ex, t));
    assert_eq!(src("owners oppose").as_deref(), Some("A survey conducted by the chamber"), "{:?}", dump(&ex, t));
}

/// Subjects the POS tagger mistags before a verb cue: a determiner's phrase
/// ending in a word tagged as an adjective, adverb or participle ("The
/// official", "A city ally", "those surveyed") and a capitalised name
/// tagged as an adverb still are the source; "two weeks ago" is not.
#[test]
fn mistagged_subject_heads_are_sources() {
    let t = "Agency under pressure\n\
             The official said the agency had secured the cooperation of a former aide.\n\n\
             A city ally suggested she would change course once in office.\n\n\
             By big margins, those surveyed say the economy should be the first priority.\n\n\
             Valastro praised the leadership of the mayor after the storm.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t).to_string());
    assert_eq!(src("said").as_deref(), Some("The official"), "{:?}", dump(&ex, t));
    assert_eq!(src("suggested").as_deref(), Some("A city ally"), "{:?}", dump(&ex, t));
    assert_eq!(src("say").as_deref(), Some("those surveyed"), "{:?}", dump(&ex, t));
    assert_eq!(src("praised").as_deref(), Some("Valastro"), "{:?}", dump(&ex, t));
}

/// "Mr Sears said" is a person named Sears even when no name was recognised
/// there, and the full name given earlier when it was.
#[test]
fn honorific_source_is_a_person() {
    let t = "Talks\nThe deal was signed by Michael Sears on Friday. Mr Sears said the price was fair.";
    let doc = Document::plain("t", t);
    let an = analyze(t);
    // no entity recogniser: the attribution extractor alone
    let mut ex = Extraction::default();
    extract(&doc, &an, &mut ex);
    let s = find(&ex, t, "said");
    assert_eq!(speaker_text(&ex, t, s), Some("Sears"), "{:?}", dump(&ex, t));
    let ex = run_pos(t);
    assert_eq!(speaker_text(&ex, t, find(&ex, t, "said")), Some("Michael Sears"), "{:?}", dump(&ex, t));
}

/// "… ," he said after a quote of several sentences: the sentences of the
/// quote do not push its speaker, named before it, out of reach.
#[test]
fn he_after_a_long_quote_is_the_speaker_named_before_it() {
    let t = "Spam\nThe warning came from security analyst Graham Pool on Monday. \
             Filters can only do so much. \"People must not buy from junk mail. \
             Spammers are criminals. If nobody replied, spam would die out,\" he said.";
    let ex = run_pos(t);
    let s = find(&ex, t, "said");
    assert_eq!(s.source.map(|x| x.text(t)), Some("he"), "{:?}", dump(&ex, t));
    assert_eq!(speaker_text(&ex, t, s), Some("Graham Pool"), "{:?}", dump(&ex, t));
}

/// "She said …" resolved earlier stands for its speaker there: a later
/// "she told" reaches her through it when her name is further back.
#[test]
fn she_reaches_the_speaker_through_her_last_statement() {
    let t = "Keynote\nTech chief Laura Moreno opened the trade show on Thursday. \
             She said the goal for the year was simple. The show displays 20,000 new gadgets. \
             The event, the largest of its kind, runs for four days. \
             \"Technology is about people,\" she told delegates.";
    let ex = run_pos(t);
    let s = find(&ex, t, "told");
    assert_eq!(speaker_text(&ex, t, s), Some("Laura Moreno"), "{:?}", dump(&ex, t));
    // A name that shows no gender is not reached that way: an earlier
    // resolution of "she" may have been wrong.
    let t = t.replace("Laura", "Kim");
    let ex = run_pos(&t);
    let s = find(&ex, &t, "told");
    assert_eq!(speaker_text(&ex, &t, s), None, "{:?}", dump(&ex, &t));
}

/// "Acme, however, said": the aside is not part of the source, which then
/// names the company.
#[test]
fn a_discourse_aside_is_not_part_of_the_source() {
    let t = "Games\nShares in Acme rose on Monday after Acme said its console sold well. \
             Market leader Acme, however, said it would cut prices next year. \
             Tom Reed, a retail analyst, said prices would fall.";
    let ex = run_pos(t);
    let aside = t.find("however").unwrap();
    let s = ex.statements.iter().find(|x| x.cue.start > aside).expect("the statement after the aside");
    assert_eq!(s.source.map(|x| x.text(t)), Some("Market leader Acme"), "{:?}", dump(&ex, t));
    assert_eq!(speaker_text(&ex, t, s), Some("Acme"), "{:?}", dump(&ex, t));
    // an apposition that describes the source keeps its closing comma
    let last = ex.statements.iter().max_by_key(|x| x.cue.start).unwrap();
    assert_eq!(last.source.map(|x| x.text(t)), Some("Tom Reed, a retail analyst,"), "{:?}", dump(&ex, t));
}

/// Asking for anonymity describes a source; it is no statement of its own.
#[test]
fn asking_for_anonymity_is_no_statement() {
    let t = "Port talks stall\nA spokesman for the union, who asked not to be named, said the strike would go on.\n\n\
             An official who declined to be identified said the talks had failed.\n\n\
             The mayor asked the union to end the strike.";
    let ex = run_pos(t);
    let (asked, declined) = (t.find("asked not").unwrap_or(0), t.find("declined").unwrap_or(0));
    assert!(!ex.statements.iter().any(|s| s.cue.start == asked || s.cue.start == declined), "{:?}", dump(&ex, t));
    let said: Vec<&str> = ex.statements.iter().filter(|s| s.cue.text(t) == "said").map(|s| s.content.text(t)).collect();
    assert!(said.iter().any(|c| c.contains("strike would go on")), "{:?}", dump(&ex, t));
    assert!(said.iter().any(|c| c.contains("talks had failed")), "{:?}", dump(&ex, t));
}

/// A name right after a tagger cue is the inverted source or the addressee,
/// never part of the cue nor a cue of its own; a role noun the POS tagger
/// calls an adjective still ends an appositive source; "in a memo" after
/// an inverted source and "at the end of last week" after an appositive one
/// say when or where it was said.
#[test]
fn names_after_cues_and_mistagged_roles_are_sources() {
    let t = "Deficit talks\n\
             The deficit is \"roughly the same as last month,\" reported Reuters on Friday.\n\n\
             \"The gap will close,\" said Reuters.\n\n\
             The governor also urged Congress to act before the summer.\n\n\
             Acme's chief executive, Tim Cook, said the ruling was wrong.\n\n\
             \"Spending is flat,\" wrote Smith in a memo.\n\n\
             The bank's chairman, at the end of last week, predicted that rates would fall.";
    let ex = run_pos(t);
    let src = |cue: &str| find(&ex, t, cue).source.map(|x| x.text(t).to_string());
    assert_eq!(src("reported").as_deref(), Some("Reuters"), "{:?}", dump(&ex, t));
    let said: Vec<_> = ex.statements.iter().filter(|s| s.cue.text(t) == "said").map(|s| s.source.map(|x| x.text(t))).collect();
    assert!(said.contains(&Some("Reuters")), "{:?}", dump(&ex, t));
    assert!(said.contains(&Some("Acme's chief executive, Tim Cook,")), "{:?}", dump(&ex, t));
    assert_eq!(src("also urged").as_deref(), Some("The governor"), "{:?}", dump(&ex, t));
    assert!(ex.statements.iter().all(|s| !s.cue.text(t).contains("Congress") && !s.cue.text(t).contains("Reuters")), "{:?}", dump(&ex, t));
    assert_eq!(src("wrote").as_deref(), Some("Smith"), "{:?}", dump(&ex, t));
    assert_eq!(src("predicted").as_deref(), Some("The bank's chairman"), "{:?}", dump(&ex, t));
}

/// "in 2010" between a relative pronoun and its cue is when, not who.
#[test]
fn a_year_between_source_and_cue_is_skipped() {
    let t = "Budget fight\nThe bill was drafted by Senator Ruth Okafor, who in 2010 said the deficit was the main threat.";
    let ex = run_pos(t);
    assert_eq!(find(&ex, t, "said").source.map(|x| x.text(t)), Some("who"), "{:?}", dump(&ex, t));
}

/// The subject of an agentless passive is what is said, not who says it;
/// a feeling or a stance ("incensed", "opposed") stays its holder's.
#[test]
fn agentless_passive_subject_is_not_the_source() {
    let t = "Harbour vote\nThe harbour referendum, which is widely expected in March, will decide the plan. \
             The Dockers Guild is strongly opposed to the plan, and Mayor Ana Ruiz was also incensed that the vote had been delayed.";
    let ex = run_pos(t);
    let by_cue = |w: &str| ex.statements.iter().find(|s| s.cue.text(t).contains(w));
    let expected = by_cue("expected").unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(expected.source, None, "{:?}", dump(&ex, t));
    assert!(expected.content.text(t).starts_with("which is widely expected"), "{:?}", dump(&ex, t));
    assert_eq!(by_cue("opposed").and_then(|s| s.source).map(|x| x.text(t)), Some("The Dockers Guild"));
    assert_eq!(by_cue("incensed").and_then(|s| s.source).map(|x| x.text(t)), Some("Mayor Ana Ruiz"));
}

/// A source names someone: a noun phrase, a pronoun, a quantifier ("most
/// say"), not a verb phrase the reader took for a subject ("pay less").
#[test]
fn a_verb_phrase_names_no_speaker() {
    let t = "The council began to pay less attention to the port, and most say it is doomed.";
    let an = analyze(t);
    let models = crate::nlp::Models::bundled().expect("bundled models");
    let pos = models.tag_pos(t, &an).expect("pos tags");
    let cx = Ctx::new(t, &an, Some(&pos), false);
    let at = |w: &str| an.tokens.iter().position(|k| k.text(t) == w).expect(w);
    assert!(!source::names_someone(&cx, (at("pay"), at("less") + 1)));
    assert!(source::names_someone(&cx, (at("The"), at("council") + 1)));
    assert!(source::names_someone(&cx, (at("most"), at("most") + 1)));
    assert!(source::names_someone(&cx, (at("it"), at("it") + 1)));
}

/// "They" after a plural subject is that group, not the organisation named
/// before it: "Many ferry operators are …. They say" has no named speaker,
/// and "Local residents … . They say" is the residents.
#[test]
fn they_goes_to_the_plural_subject_before_it() {
    let t = "Ferry strike\nThe Ostend Port Authority confirmed on Monday that the ferry terminal will close for repairs. \
             Many ferry operators are moving their boats to Calais. They say the closure will cost them millions.";
    let ex = run_pos(t);
    let they = ex.statements.iter().find(|s| s.source.is_some_and(|x| x.text(t) == "They")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(speaker_text(&ex, t, they), None, "{:?}", dump(&ex, t));

    let t = "Ferry strike\nThe Ostend Port Authority confirmed on Monday that the ferry terminal will close for repairs. \
             Local residents have complained for months. They say the closure will cost them millions.";
    let ex = run_pos(t);
    let they = ex.statements.iter().find(|s| s.source.is_some_and(|x| x.text(t) == "They")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    let speaker = speaker_text(&ex, t, they);
    assert!(speaker.is_some_and(|s| s.ends_with("residents")), "{speaker:?} {:?}", dump(&ex, t));
}

/// A preposition is a cue only as a stance after "be" ("are against"): "the
/// dollar fell against the euro" and "a loss against a profit" say nothing,
/// and neither does a company that "posted a loss".
#[test]
fn a_bare_preposition_and_posted_figures_are_no_cues() {
    let t = "Markets\nThe dollar fell slightly against the euro on Monday. Harbour Bank posted a $5m loss, against a $3m profit a year before.";
    let ex = run_pos(t);
    assert!(ex.statements.iter().all(|s| !s.cue.text(t).contains("against") && !s.cue.text(t).contains("posted")), "{:?}", dump(&ex, t));
    let t = "Harbour Bank\nThe chairman posted on Twitter that the bank would close.";
    let ex = run_pos(t);
    assert!(ex.statements.iter().any(|s| s.cue.text(t).contains("posted")), "{:?}", dump(&ex, t));
}

/// "Pilots were angered by the decision": the ones who feel are the source
/// and what angered them the content (PolNeAR's reading), unlike "the plan
/// criticised by the union", whose agent speaks.
#[test]
fn a_feeling_passive_keeps_its_subject_as_source() {
    let t = "Harbour strike\nHarbour pilots were angered by the decision to close the port. The closure was criticised by the Dockers Guild.";
    let ex = run_pos(t);
    let angered = ex.statements.iter().find(|s| s.cue.text(t).contains("angered")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(angered.source.map(|x| x.text(t)), Some("Harbour pilots"), "{:?}", dump(&ex, t));
    assert!(angered.content.text(t).starts_with("the decision"), "{:?}", dump(&ex, t));
    if let Some(c) = ex.statements.iter().find(|s| s.cue.text(t).contains("criticised")) {
        assert_eq!(c.source.map(|x| x.text(t)), Some("the Dockers Guild"), "{:?}", dump(&ex, t));
    }
}

#[test]
fn source_words_in_ly_and_adverbs_between_source_and_cue() {
    // "family" and "Kelly" end in "-ly" but are no adverbs to step over;
    // "here", "in the past" and a survey's participle stand between a
    // source and its cue; "another" is a whole source.
    let t = "Harbour vote\nThe family said that the house would be sold. Megan Kelly said the vote was close. \
             Her campaign workers here said the count was slow. Her friends have in the past said he was shy. \
             One voter backed the mayor. Another said the race was close. \
             Some 56 percent of voters polled said the economy was weak.";
    let ex = run_pos(t);
    let sources: Vec<Option<&str>> = ex.statements.iter().filter(|s| s.cue.text(t) == "said").map(|s| s.source.map(|x| x.text(t))).collect();
    assert_eq!(
        sources,
        [Some("The family"), Some("Megan Kelly"), Some("Her campaign workers"), Some("Her friends"), Some("Another"), Some("56 percent of voters polled")],
        "{:?}",
        dump(&ex, t)
    );
}

#[test]
fn an_infinitive_object_after_a_comma_is_no_inverted_speaker() {
    let t = "Trade plans\nIn the coming months, he vowed to ban imports, declined to criticize the leader, and defended the plan.";
    let ex = run_pos(t);
    for s in &ex.statements {
        assert_ne!(s.source.map(|x| x.text(t)), Some("the leader"), "{:?}", dump(&ex, t));
    }
}

#[test]
fn line_ups_titles_and_non_reporting_senses_are_no_statements() {
    let t = "Cup report\nRovers beat United 2-1 on Saturday. Rovers: Hale, Brook, Marsh, Dean; Cole, Finch. \
             Subs: Wade, Lowe, Pike. Goals: Hale 12, Cole 80. \
             The film Harbour Lights: The Last Voyage will open in May. \
             Dean went on to score twice. Porto saw off Feyenoord on Thursday. Finch was ruled out of the cup match. \
             The club posted a $6m (£4m) loss for the year. \
             \"We deserved it,\" the coach said. \"It was hard,\" he went on. He later went on to say that the pitch was poor.";
    let ex = run_pos(t);
    let cues: Vec<&str> = ex.statements.iter().map(|s| s.cue.text(t)).collect();
    assert_eq!(cues, ["said", "went on", "later went on to say"], "{:?}", dump(&ex, t));
}

#[test]
fn a_source_keeps_the_phrase_after_its_noun() {
    let t = "Inquiry\nLord Hutton's inquiry into the death of the scientist sparked debate about who should run inquiries. \
             The developers behind the system claim it is a breakthrough.";
    let ex = run_pos(t);
    let sources: Vec<Option<&str>> = ex.statements.iter().map(|s| s.source.map(|x| x.text(t))).collect();
    assert!(sources.contains(&Some("Lord Hutton's inquiry into the death of the scientist")), "{:?}", dump(&ex, t));
    assert!(sources.contains(&Some("The developers behind the system")), "{:?}", dump(&ex, t));
}

#[test]
fn it_after_a_based_group_is_the_group_and_it_seems_is_no_one() {
    let t = "Watchdog warns\nThe Paris-based pressure group said the site had been unavailable for ten days. \
             It said the aim was to force people to use other sites.\n\nIt seems like there has been a new game every year.";
    let ex = run_pos(t);
    let second = ex.statements.iter().find(|s| s.content.text(t).starts_with("the aim")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(speaker_text(&ex, t, second), Some("The Paris-based pressure group"), "{:?}", dump(&ex, t));
    let seems = ex.statements.iter().find(|s| s.cue.text(t).starts_with("seems")).unwrap_or_else(|| panic!("{:?}", dump(&ex, t)));
    assert_eq!(seems.source, None, "{:?}", dump(&ex, t));
}
