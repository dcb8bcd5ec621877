//! Tests of the taggers on small invented corpora (never the shared data).
#![allow(clippy::single_range_in_vec_init)]

use super::clusters::{self, ClusterOptions};
use super::conll::{chunks, read_conll};
use super::format;
use super::tagger::{Tagger, TaggerData, TrainOptions};
use super::train::{self as nt};
use super::*;
use crate::text::analyze;

/// An invented news-like corpus in CoNLL columns (token POS chunk NE).
const TINY_NER: &str = "-DOCSTART- -X- O O

Mayor NNP O O
Anna NNP O B-PER
Berg NNP O I-PER
visited VBD O O
Oslo NNP O B-LOC
on IN O O
Monday NNP O O
. . O O

Norvik NNP O B-ORG
Bank NNP O I-ORG
said VBD O O
Anna NNP O B-PER
Berg NNP O I-PER
resigned VBD O O
. . O O

-DOCSTART- -X- O O

Peter NNP O B-PER
Lund NNP O I-PER
flew VBD O O
to TO O O
Bergen NNP O B-LOC
with IN O O
Norvik NNP O B-ORG
Bank NNP O I-ORG
staff NN O O
. . O O

The DT O O
Norwegian JJ O B-MISC
minister NN O O
met VBD O O
Peter NNP O B-PER
Lund NNP O I-PER
in IN O O
Oslo NNP O B-LOC
. . O O

-DOCSTART- -X- O O

Kari NNP O B-PER
Moen NNP O I-PER
of IN O O
Fjord NNP O B-ORG
Energy NNP O I-ORG
spoke VBD O O
in IN O O
Bergen NNP O B-LOC
on IN O O
Friday NNP O O
. . O O

Fjord NNP O B-ORG
Energy NNP O I-ORG
shares NNS O O
rose VBD O O
in IN O O
Oslo NNP O B-LOC
. . O O
";

const TINY_UD: &str = "1\tAnna\tAnna\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\tsang\tsing\tVERB\tVBD\t_\t0\troot\t_\t_
3\tloudly\tloudly\tADV\tRB\t_\t2\tadvmod\t_\t_
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tbank\tbank\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_
4\tno\tno\tINTJ\tUH\t_\t3\tobj\t_\t_
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tPeter\tPeter\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\twalked\twalk\tVERB\tVBD\t_\t0\troot\t_\t_
3\thome\thome\tADV\tRB\t_\t2\tadvmod\t_\t_
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_
";

fn opts() -> TrainOptions {
    TrainOptions { epochs: 6, patience: 6, seed: 7, prune: 0.0, passes: 2, bilou: true, ..Default::default() }
}

fn tiny_clusters() -> clusters::Clusters {
    let sents: Vec<Vec<String>> = read_conll(TINY_NER)
        .into_iter()
        .flatten()
        .map(|s| s.words)
        .collect();
    let o = ClusterOptions { levels: vec![2, 4, 8], min_count: 1, max_vocab: 1000, contexts: 20, iterations: 3 };
    clusters::Clusters::from_data(clusters::train(&sents, &o, &mut |_| {})).expect("valid clusters")
}

fn tiny_ner(cl: Option<&clusters::Clusters>) -> TaggerData {
    let models = Models::new(cl.cloned(), None, None).expect("models");
    let gaz = gazetteer::Gazetteer::build([("Oslo", gazetteer::CITY), ("Bergen", gazetteer::CITY)]);
    nt::train_ner(TINY_NER, TINY_NER, &models, false, Some(gaz), &opts(), &mut |_| {}).expect("trains").0
}

#[test]
fn training_is_deterministic_to_the_byte() {
    let cl = tiny_clusters();
    let a = format::encode(KIND_NER, &tiny_ner(Some(&cl))).expect("encodes");
    let b = format::encode(KIND_NER, &tiny_ner(Some(&tiny_clusters()))).expect("encodes");
    assert_eq!(a, b);
    let c1 = format::encode(KIND_CLUSTERS, &cl.data).expect("encodes");
    let c2 = format::encode(KIND_CLUSTERS, &tiny_clusters().data).expect("encodes");
    assert_eq!(c1, c2);
}

#[test]
fn tiny_model_learns_its_corpus_and_round_trips() {
    let cl = tiny_clusters();
    let data = tiny_ner(Some(&cl));
    let bytes = format::encode(KIND_NER, &data).expect("encodes");
    let back: TaggerData = format::decode("tiny", KIND_NER, &bytes).expect("decodes");
    assert_eq!(back, data);
    let cbytes = format::encode(KIND_CLUSTERS, &cl.data).expect("encodes");
    let models = Models::from_bytes(Some(("c", &cbytes)), None, Some(("n", &bytes))).expect("loads");
    let docs = read_conll(TINY_NER);
    let pred = nt::tag_docs(&models, None, &docs, &[]);
    let f1 = nt::score_docs(&docs, &pred).f1();
    assert!(f1 > 95.0, "F1 on its own training data: {f1}");
}

#[test]
fn corrupt_or_foreign_files_are_typed_errors() {
    let bytes = format::encode(KIND_NER, &tiny_ner(None)).expect("encodes");
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert!(matches!(load_tagger("m", KIND_NER, &bad), Err(crate::Error::BadModel { .. })));
    assert!(load_tagger("m", KIND_POS, &bytes).is_err(), "kind is checked");
    assert!(load_tagger("m", KIND_NER, &bytes[..bytes.len() / 2]).is_err(), "truncated");
    assert!(load_tagger("m", KIND_NER, &[]).is_err());
    let mut v = bytes.clone();
    v[12] = 99;
    assert!(load_tagger("m", KIND_NER, &v).is_err(), "version is checked");
    // Clusters other than the ones it was trained with are refused.
    let cl = tiny_clusters();
    let with = format::encode(KIND_NER, &tiny_ner(Some(&cl))).expect("encodes");
    let err = Models::from_bytes(None, None, Some(("n", &with)));
    assert!(err.is_err());
}

fn valid_iob2(tags: &[String]) -> bool {
    let mut prev = "O".to_string();
    for t in tags {
        if let Some(ty) = t.strip_prefix("I-") {
            if prev == "O" || prev[2..] != *ty {
                return false;
            }
        }
        prev = t.clone();
    }
    true
}

#[test]
fn decoder_never_emits_an_invalid_sequence() {
    let data = tiny_ner(None);
    let tagger = Tagger::from_data(data).expect("loads");
    let models = Models::new(None, None, Some(tagger)).expect("models");
    let texts = [
        "Bank Anna Berg Oslo Bank Bank Norvik Lund said Peter Energy Fjord",
        "of Bank Energy , Berg Berg Berg in Oslo Bank",
        "Energy",
        "BANK ANNA BERG VISITED OSLO",
    ];
    let mut sc = tagger::Scratch::default();
    for t in texts {
        let words: Vec<&str> = t.split(' ').collect();
        let classes = models.ner_classes(&words, &[0..words.len()], &mut sc).expect("has NER");
        let names: Vec<String> =
            classes.iter().map(|&c| models.ner.as_ref().expect("ner").iob2_name(c as usize).to_string()).collect();
        assert!(valid_iob2(&names), "{t}: {names:?}");
        // conlleval reading and ours agree on valid IOB2.
        assert_eq!(chunks(&names), chunks(&nt::to_iob2(&names)));
    }
}

#[test]
fn entities_map_onto_document_tokens() {
    let tagger = Tagger::from_data(tiny_ner(None)).expect("loads");
    let models = Models::new(None, None, Some(tagger)).expect("models");
    let text = "Norvik Bank chief quits\n\nMayor Anna Berg visited Oslo on Monday. Peter Lund flew to Bergen.\n";
    let an = analyze(text);
    let spans = models.tag_entities(text, &an).expect("has NER");
    let found: Vec<(String, EntityType)> = spans
        .iter()
        .map(|s| (text[an.tokens[s.tokens.start].start..an.tokens[s.tokens.end - 1].end].to_string(), s.etype))
        .collect();
    assert!(found.contains(&("Anna Berg".to_string(), EntityType::Person)), "{found:?}");
    assert!(found.contains(&("Oslo".to_string(), EntityType::Location)), "{found:?}");
    assert!(found.contains(&("Peter Lund".to_string(), EntityType::Person)), "{found:?}");
    for s in &spans {
        let sent = &an.sentences[s.sentence];
        assert!(sent.tokens.start <= s.tokens.start && s.tokens.end <= sent.tokens.end);
    }
}

#[test]
fn pos_tagger_trains_and_tags_every_token() {
    let (data, score) = nt::train_pos(TINY_UD, TINY_UD, None, &opts(), &mut |_| {}).expect("trains");
    assert!(score > 90.0, "{score}");
    let bytes = format::encode(KIND_POS, &data).expect("encodes");
    let models = Models::from_bytes(None, Some(("p", &bytes)), None).expect("loads");
    let text = "Anna sang loudly. The bank said no.";
    let an = analyze(text);
    let tags = models.tag_pos(text, &an).expect("has POS");
    assert_eq!(tags.len(), an.tokens.len());
    assert_eq!(tags[0], "NNP");
    assert_eq!(tags[1], "VBD");
}

#[test]
fn junk_input_does_not_panic() {
    let tagger = Tagger::from_data(tiny_ner(None)).expect("loads");
    let models = Models::new(None, None, Some(tagger)).expect("models");
    for text in ["", " ", "\u{0}\u{1}", "👍🏽 e\u{301} שלום עולם “unbalanced", "A\n\n\nB", &"x ".repeat(5000)] {
        let an = analyze(text);
        let _ = models.tag_entities(text, &an);
    }
}

#[test]
fn bundled_models_load() {
    let m = Models::bundled().expect("bundled models load");
    if m.ner.is_some() {
        let text = "Prime Minister Jonas Dahl arrived in Paris on Tuesday.";
        let an = analyze(text);
        let spans = m.tag_entities(text, &an).expect("NER");
        assert!(spans.iter().any(|s| s.etype == EntityType::Location));
    }
}

/// The tagging fast path (cached tokens and word scores, precomputed
/// previous-tag / memory tables) decides exactly as the reference decoder
/// that training uses, including across documents, sentence edges, headline
/// lines, and two models sharing one scratch.
#[test]
fn fast_path_tags_as_the_reference_decoder() {
    let cl = tiny_clusters();
    let ner = Tagger::from_data(tiny_ner(Some(&cl))).expect("loads");
    let (pos_data, _) = nt::train_pos(TINY_UD, TINY_UD, Some(&cl), &opts(), &mut |_| {}).expect("trains");
    let pos = Tagger::from_data(pos_data).expect("loads");
    let docs = [
        "Mayor Anna Berg visited Oslo on Monday . | Norvik Bank said Anna Berg resigned . | Berg",
        "NORVIK BANK SHARES FALL IN OSLO | Peter Lund of Fjord Energy Bank flew to Bergen with Norvik Bank staff . | The bank said no .",
        "Fjord Energy Fjord Energy Oslo Oslo Oslo Bergen | Energy | 1999 2000 Anna",
    ];
    let mut sc = tagger::Scratch::default();
    for round in 0..2 {
        for d in docs {
            let words: Vec<&str> = d.split(' ').filter(|w| *w != "|").collect();
            let mut sents = Vec::new();
            let mut at = 0;
            for s in d.split(" | ") {
                let n = s.split(' ').count();
                sents.push(at..at + n);
                at += n;
            }
            for t in [&ner, &pos] {
                let gaz = if t.task == tagger::Task::Ner { t.gaz.as_ref() } else { None };
                let mut p = tagger::prepare(t.task, &words, &sents, Some(&cl), &[], gaz);
                let (mut want, mut got) = (Vec::new(), Vec::new());
                t.tag_prepared(&mut p, &mut tagger::Scratch::default(), &mut want);
                t.tag_words(&words, &sents, Some(&cl), &[], &mut sc, &mut got);
                assert_eq!(want, got, "round {round}, {:?}: {d}", t.task);
            }
        }
    }
}

#[test]
fn clusters_from_text_where_no_word_is_frequent_enough_are_empty() {
    let sents = vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]];
    let o = ClusterOptions { levels: vec![2, 4], min_count: 5, ..Default::default() };
    let data = clusters::train(&sents, &o, &mut |_| {});
    assert!(data.keys.is_empty() && data.ids.is_empty());
}

/// One POS tagging of a whole document serves both `tag_pos` and the NER
/// tagger's POS features: the same tags as tagging each sentence alone, and
/// the same entities as NER with POS features from its content sentences
/// only, whatever document the thread's scratch held before.
#[test]
fn one_pos_tagging_serves_pos_and_ner() {
    let m = Models::bundled().expect("bundled models load");
    if m.pos.is_none() || m.ner.is_none() {
        return;
    }
    let docs = [
        "Storm closes Norvik port\n\nBy Anna Berg, Oslo\n\nThe Norvik port authority closed the harbour on Monday, \
         its director Peter Lund said. \"We will reopen when it is safe,\" he told reporters in Bergen.\n\n\
         Follow us on Twitter\n",
        "Fjord Energy shares fall\n\nShares in Fjord Energy fell 4% in Oslo on Tuesday after the company cut its forecast.\n",
    ];
    for round in 0..2 {
        for text in docs {
            let an = analyze(text);
            let got_pos = m.tag_pos(text, &an).expect("POS");
            for s in &an.sentences {
                let words: Vec<&str> = an.tokens[s.tokens.clone()].iter().map(|t| &text[t.start..t.end]).collect();
                if words.is_empty() {
                    continue;
                }
                let classes = m.pos_classes(&words, &[0..words.len()], &mut tagger::Scratch::default()).expect("POS");
                let want: Vec<&str> = classes.iter().map(|&c| m.pos_names(c).1).collect();
                assert_eq!(&got_pos[s.tokens.clone()], &want[..], "round {round}: {text}");
            }
            let sw = SentenceWords::collect(text, &an, an.content_sentences());
            let want = m.ner_classes(&sw.words, &sw.sents, &mut tagger::Scratch::default()).expect("NER");
            let got = with_scratch(|sc| m.ner_classes_in(text, &an, &sw.words, &sw.global, &sw.sents, sc)).expect("NER");
            assert_eq!(got, want, "round {round}: {text}");
        }
    }
}
