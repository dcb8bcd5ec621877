use super::conllu::{parse_conllu, read_trees, text_to_conllu, write_parsed_conllu};
use super::system::{decode_class, projective, Move, PTok, State, NONE};
use super::train::{evaluate, train_parser, ParserTrainOptions};
use super::*;
use crate::nlp::{format, Models};

/// Invented news-like sentences, hand-annotated in UD style.
const TRAIN: &str = "# text = Police arrested two men.
1\tPolice\tpolice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tarrested\tarrest\tVERB\tVBD\t_\t0\troot\t_\t_
3\ttwo\ttwo\tNUM\tCD\t_\t4\tnummod\t_\t_
4\tmen\tman\tNOUN\tNNS\t_\t2\tobj\t_\t_
5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tmayor\tmayor\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\topened\topen\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\t_
5\tnew\tnew\tADJ\tJJ\t_\t6\tamod\t_\t_
6\tbridge\tbridge\tNOUN\tNN\t_\t3\tobj\t_\t_
7\ton\ton\tADP\tIN\t_\t8\tcase\t_\t_
8\tMonday\tMonday\tPROPN\tNNP\t_\t3\tobl\t_\t_
9\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tOfficials\tofficial\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\tfire\tfire\tNOUN\tNN\t_\t5\tnsubj\t_\t_
5\tspread\tspread\tVERB\tVBD\t_\t2\tccomp\t_\t_
6\tquickly\tquickly\tADV\tRB\t_\t5\tadvmod\t_\t_
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_
2\tjudge\tjudge\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tblocked\tblock\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_
5\tplan\tplan\tNOUN\tNN\t_\t3\tobj\t_\t_
6\tin\tin\tADP\tIN\t_\t7\tcase\t_\t_
7\tMay\tMay\tPROPN\tNNP\t_\t3\tobl\t_\t_
8\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_
";

fn tiny() -> (Models, Parser) {
    let models = Models::default();
    let opt = ParserTrainOptions { epochs: 8, patience: 8, ..Default::default() };
    let (data, _) = train_parser(TRAIN, TRAIN, &models, &opt, &mut |_| {}).expect("trains");
    let bytes = format::encode(KIND_PARSER, &data).expect("encodes");
    let back: ParserData = format::decode("tiny", KIND_PARSER, &bytes).expect("decodes");
    assert_eq!(back, data);
    (models, Parser::from_data(back).expect("loads"))
}

#[test]
fn tiny_model_learns_its_sentences() {
    let (models, parser) = tiny();
    let trees = read_trees(TRAIN);
    let xpos: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
    let a = evaluate(&models, &parser, &trees, &xpos);
    assert_eq!(a.words, 29);
    assert!(a.uas() >= 95.0 && a.las() >= 90.0, "UAS {} LAS {}", a.uas(), a.las());
    // A new sentence of the same shape.
    let mut sc = ParseScratch::default();
    let mut out = Vec::new();
    parser.parse_words(&["The", "council", "blocked", "the", "bridge", "."], &["DT", "NN", "VBD", "DT", "NN", "."], None, &mut sc, &mut out);
    let got: Vec<(u32, &str)> = out.iter().map(|&(h, l)| (h, parser.label(l))).collect();
    // Heads all right; labels where the four sentences leave no doubt.
    let heads: Vec<u32> = got.iter().map(|x| x.0).collect();
    assert_eq!(heads, vec![2, 3, 0, 5, 3, 3]);
    for (i, l) in [(0, "det"), (1, "nsubj"), (2, "root"), (3, "det"), (5, "punct")] {
        assert_eq!(got[i].1, l, "word {i} of {got:?}");
    }
}

#[test]
fn training_is_deterministic() {
    let models = Models::default();
    let opt = ParserTrainOptions { epochs: 3, patience: 3, ..Default::default() };
    let a = train_parser(TRAIN, TRAIN, &models, &opt, &mut |_| {}).expect("trains").0;
    let b = train_parser(TRAIN, TRAIN, &models, &opt, &mut |_| {}).expect("trains").0;
    assert_eq!(format::encode(KIND_PARSER, &a).ok(), format::encode(KIND_PARSER, &b).ok());
}

#[test]
fn zero_cost_moves_rebuild_the_gold_tree() {
    for t in read_trees(TRAIN) {
        let mut gh = vec![NONE];
        gh.extend_from_slice(&t.head);
        let mut st = State::default();
        st.reset(gh.len());
        let toks = vec![PTok::default(); gh.len()];
        let mut f = Vec::new();
        while !st.terminal() {
            st.features(&toks, 0, &mut f);
            let k = st.costs(&gh);
            let m = [(Move::Shift, k.shift), (Move::Left(0), k.left), (Move::Right(0), k.right)]
                .into_iter()
                .filter(|&(m, c)| c == 0 && st.allowed(m, None))
                .map(|x| x.0)
                .next()
                .expect("a zero-cost move");
            st.apply(m);
        }
        assert_eq!(&st.head[1..], &t.head[..]);
    }
}

#[test]
fn projectivity() {
    assert!(projective(&[2, 0, 2]));
    // 1→3 crosses 2→4.
    assert!(!projective(&[3, 4, 0, 3]));
    assert_eq!(decode_class(0, 5), Move::Shift);
    assert_eq!(decode_class(5, 5), Move::Left(4));
    assert_eq!(decode_class(6, 5), Move::Right(0));
}

#[test]
fn conllu_round_trip_keeps_comments_and_multiword_lines() {
    let (mut models, parser) = tiny();
    models.parser = Some(parser);
    let input = "# sent_id = a1\n# text = Police didn't stop.\n1\tPolice\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdid\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n3.1\tgone\t_\t_\t_\t_\t_\t_\t_\t_\n4\tstop\t_\t_\t_\t_\t_\t_\t_\t_\n5\t.\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n\n1\tHi\n";
    let out = parse_conllu(&models, input);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), input.lines().count());
    assert_eq!(lines[0], "# sent_id = a1");
    assert_eq!(lines[3], "2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_");
    assert_eq!(lines[6], "3.1\tgone\t_\t_\t_\t_\t_\t_\t_\t_");
    assert!(lines[8].ends_with("\tSpaceAfter=No"));
    // Without a POS model the tags stay, but every word gets a head in the sentence and exactly one root.
    let trees = read_trees(&out);
    assert_eq!(trees.len(), 2);
    for t in &trees {
        assert!(t.well_formed());
        assert_eq!(t.head.iter().filter(|&&h| h == 0).count(), 1);
    }
    assert_eq!(lines[10].split('\t').count(), 10);
}

#[test]
fn parsing_a_part_at_a_time_writes_the_same_bytes() {
    let (mut models, parser) = tiny();
    models.parser = Some(parser);
    let sentence = "# c\n1\tPolice\t_\t_\t_\t_\t_\t_\t_\t_\n2\tleft\n";
    let mut input = String::from("\n \n");
    for k in 0..40 {
        input += sentence;
        input += ["\n", "\n\n", "\r\n", " \n\n"][k % 4];
    }
    input += "1\tlast";
    let whole = parse_conllu(&models, &input);
    assert_eq!(read_trees(&whole).len(), 41);
    for part in [1, 7, 64, 500, 1 << 20] {
        let mut out = Vec::new();
        write_parsed_conllu(&models, &input, None, part, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole, "parts of {part} bytes");
    }
    let mut out = Vec::new();
    write_parsed_conllu(&models, "", None, 1, &mut out).unwrap();
    assert!(out.is_empty());
}

#[test]
fn plain_text_becomes_conllu_that_spells_the_text() {
    let text = "Storm hits coast\n\nThe mayor said: \"We're ready.\" Crews (about 40) left at 6am.\n\u{0}\t\n";
    let out = text_to_conllu(text);
    let trees = read_trees(&out);
    assert_eq!(trees.len(), 3, "{out}");
    assert_eq!(trees[0].words, ["Storm", "hits", "coast"]);
    // Each sentence's forms, joined as SpaceAfter says, are its `# text` line, and that is in the input.
    let mut rebuilt = String::new();
    for line in out.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if let Some(t) = line.strip_prefix("# text = ") {
            assert!(text.contains(t), "{t}");
            rebuilt.clear();
        } else if cols.len() == 10 {
            assert!(!cols[1].is_empty() && !cols[1].contains(['\t', '\n']));
            rebuilt += cols[1];
            if cols[9] != "SpaceAfter=No" {
                rebuilt.push(' ');
            }
        } else if line.is_empty() {
            let t = out.lines().filter_map(|l| l.strip_prefix("# text = ")).find(|t| *t == rebuilt.trim_end());
            assert!(t.is_some(), "{rebuilt:?} is no sentence of\n{out}");
        }
    }
    assert!(text_to_conllu("").is_empty() && text_to_conllu("\n \n").is_empty());
}

#[test]
fn junk_never_panics() {
    let (mut models, parser) = tiny();
    models.parser = Some(parser);
    for s in ["", "\n\n\n", "1\n", "x\ty\n", "1\t\u{202e}שלום\n2\t🎉\n", "99999999999999999999\tbig\n", "#only\n"] {
        let _ = parse_conllu(&models, s);
    }
    assert_eq!(models.parse(&[], Some(&[])), Some(vec![]));
    assert!(Models::default().parse(&["a"], None).is_none());
}

#[test]
fn shrinking_fits_the_size_and_keeps_the_big_weights() {
    let (_, parser) = tiny();
    let d = ParserData { linear: parser.data.clone(), labels: parser.labels.clone(), clusters: 0, features: 0, beam: 0, supertagger: 0 };
    let full = format::encode(KIND_PARSER, &d).expect("encodes").len();
    let (same, t) = super::train::shrink(&d, full).expect("shrinks");
    assert_eq!((t, &same), (0, &d));
    let (small, t) = super::train::shrink(&d, full * 2 / 3).expect("shrinks");
    assert!(t > 0);
    assert!(format::encode(KIND_PARSER, &small).expect("encodes").len() <= full * 2 / 3);
    assert!(small.linear.keys.len() < d.linear.keys.len());
    assert!(Parser::from_data(small).is_ok());
}

#[test]
fn projectivize_lifts_crossing_arcs_only() {
    use super::train::projectivize;
    // Word 6 hangs from 2 across the root word 4 (which 2 does not dominate).
    let np = [2, 4, 4, 0, 4, 2];
    assert!(!projective(&np));
    let p = projectivize(&np);
    assert!(projective(&p), "{p:?}");
    // Only the crossing arc moved, one level up (to 2's head, 4).
    assert_eq!(p, vec![2, 4, 4, 0, 4, 4]);
    // Projective trees and malformed ones come back as they were.
    assert_eq!(projectivize(&[2, 0, 2]), vec![2, 0, 2]);
    assert_eq!(projectivize(&[9, 0]), vec![9, 0]);
    assert_eq!(projectivize(&[]), Vec::<u32>::new());
}

#[test]
fn document_parse_gives_verbs_their_subjects_and_objects() {
    use super::doc::DocParse;
    let models = Models::bundled_with_parser().expect("bundled models load");
    let text = "Police arrested two men in Lyon on Monday. The bridge was opened by the mayor.";
    let a = crate::text::analyze(text);
    let pos = models.tag_pos(text, &a).expect("a POS model is shipped");
    let p = DocParse::compute(&models, text, &a, &pos).expect("a parser is shipped");
    let tok = |w: &str| a.tokens.iter().position(|t| t.text(text) == w).expect("word in text");
    let (s1, s2) = (a.sentences[0].tokens.clone(), a.sentences[1].tokens.clone());
    let arrested = tok("arrested");
    let ca = p.core_args(arrested..arrested + 1, s1.clone());
    assert_eq!((ca.subject, ca.passive, ca.object), (Some(tok("Police")), false, Some(tok("men"))), "{ca:?}");
    assert_eq!(p.head(tok("two")), Some(tok("men")));
    assert!(p.dominated_by(tok("Lyon"), arrested));
    let opened = tok("opened");
    let ca = p.core_args(opened..opened + 1, s2.clone());
    assert_eq!((ca.subject, ca.passive), (Some(tok("bridge")), true), "{ca:?}");
    assert_eq!(ca.by_agent, Some(tok("mayor")));
    assert_eq!(p.deprel(tok("bridge")), Some("nsubj:pass"));
    // Every token has a relation; exactly one root per sentence.
    assert!((0..a.tokens.len()).all(|t| p.deprel(t).is_some()));
    assert_eq!((0..a.tokens.len()).filter(|&t| p.head(t).is_none()).count(), 2);
    // Out of range asks nothing of the parse.
    assert_eq!((p.head(999), p.deprel(999)), (None, None));
}

#[test]
fn a_participle_after_a_noun_is_no_complement_of_the_main_subject() {
    use super::doc::DocParse;
    // "Kirillov was killed by a bomb planted in Moscow", with "planted" misread as killed's xcomp.
    let rels = ["nsubj:pass", "aux:pass", "root", "case", "det", "obl:agent", "xcomp", "case", "obl"];
    let pos = ["NNP", "VBD", "VBN", "IN", "DT", "NN", "VBN", "IN", "NNP"];
    let p = DocParse::from_arcs(&[3, 3, 0, 6, 6, 3, 3, 9, 7], &rels, &pos);
    assert_eq!(p.core_args(6..7, 0..9).subject, None);
    assert_eq!((p.core_args(2..3, 0..9).subject, p.core_args(2..3, 0..9).by_agent), (Some(0), Some(5)));
    // A controlled participle keeps its controller: "Police found the man stabbed" (object
    // control), "Kirillov was found injured" (no noun before it).
    let p = DocParse::from_arcs(&[2, 0, 4, 2, 2], &["nsubj", "root", "det", "obj", "xcomp"], &["NNS", "VBD", "DT", "NN", "VBN"]);
    assert_eq!(p.core_args(4..5, 0..5).subject, Some(3));
    let p = DocParse::from_arcs(&[3, 3, 0, 3], &["nsubj:pass", "aux:pass", "root", "xcomp"], &["NNP", "VBD", "VBN", "VBN"]);
    assert_eq!((p.core_args(3..4, 0..4).subject, p.core_args(3..4, 0..4).passive), (Some(0), true));
}

#[test]
fn document_parse_gives_a_joint_tag_parser_the_joint_tags() {
    use super::doc::DocParse;
    let models = Models::bundled_with_parser().expect("bundled models load");
    let b = models.bilstm.as_ref().expect("the bundled parser is the biaffine one");
    assert!(b.reads_joint_pos(), "the shipped parser reads UPOS+XPOS tags");
    let text = "The plan has been approved by the council. It is a good plan.";
    let a = crate::text::analyze(text);
    let pos = models.tag_pos(text, &a).expect("a POS model is shipped");
    let p = DocParse::compute(&models, text, &a, &pos).expect("a parser is shipped");
    for s in &a.sentences {
        let words: Vec<&str> = s.tokens.clone().map(|t| a.tokens[t].text(text)).collect();
        let joint = models.tag_sentence_joint(&words).expect("POS");
        assert!(joint.iter().zip(&pos[s.tokens.clone()]).all(|(j, x)| j.ends_with(&format!(" {x}"))), "{joint:?}");
        // Models::parse without tags tags jointly: the same tree as the document parse.
        let arcs = models.parse(&words, None).expect("parses");
        for (k, (h, l)) in arcs.iter().enumerate() {
            let t = s.tokens.start + k;
            assert_eq!(p.head(t), (*h > 0).then(|| s.tokens.start + h - 1), "{words:?}");
            assert_eq!(p.deprel(t), Some(*l));
        }
    }
    let cop = a.tokens.iter().position(|t| t.text(text) == "is").expect("word");
    assert_eq!(p.deprel(cop), Some("cop"));
}

#[test]
fn beam_of_one_is_greedy_and_wider_beams_give_trees() {
    let (models, parser) = tiny();
    let words = ["The", "judge", "opened", "the", "new", "plan", "in", "May", "."];
    let tags = ["DT", "NN", "VBD", "DT", "JJ", "NN", "IN", "NNP", "."];
    let mut toks = vec![PTok::root()];
    toks.extend(words.iter().zip(&tags).map(|(w, t)| ptok(w, t, models.clusters.as_ref())));
    let (mut sc, mut bs) = (ParseScratch::default(), ParseScratch::default());
    let (mut g, mut b) = (Vec::new(), Vec::new());
    parser.parse_toks(&toks, &mut sc, &mut g);
    parser.parse_toks_beam(&toks, 1, &mut bs, &mut b);
    assert_eq!(g, b);
    for k in [2, 8] {
        parser.parse_toks_beam(&toks, k, &mut bs, &mut b);
        assert_eq!(b.len(), words.len());
        assert_eq!(b.iter().filter(|x| x.0 == 0).count(), 1, "one root: {b:?}");
        assert!(b.iter().enumerate().all(|(i, x)| x.0 as usize != i + 1 && x.0 as usize <= words.len()));
    }
    // Empty and one-word sentences.
    parser.parse_toks_beam(&toks[..1], 4, &mut bs, &mut b);
    assert!(b.is_empty());
    // Over-long input is parsed greedily (a beam would cost k·n²).
    let long: Vec<PTok> = (0..600).map(|i| toks[i % toks.len()]).collect();
    parser.parse_toks_beam(&long, 8, &mut bs, &mut b);
    parser.parse_toks(&long, &mut sc, &mut g);
    assert_eq!((b.len(), &b), (599, &g));
    parser.parse_toks_beam(&toks[..2], 4, &mut bs, &mut b);
    assert_eq!(b, vec![(0, parser.labels.iter().position(|l| l == "root").expect("root label") as u16)]);
}

#[test]
fn global_training_learns_and_is_deterministic() {
    use super::beam::GlobalOptions;
    use super::train::{evaluate_beam, train_parser_beam};
    let models = Models::default();
    let opt = ParserTrainOptions::default();
    let g = GlobalOptions { beam: 4, epochs: 6, seed: 7, features: 0, early_update: false, patience: 9, freeze: false };
    let mut saved = 0;
    let (a, _) = train_parser_beam(TRAIN, TRAIN, &models, &opt, &g, None, &mut |_| saved += 1, &mut |_| {}).expect("trains");
    assert!(saved >= 1);
    let (b, _) = train_parser_beam(TRAIN, TRAIN, &models, &opt, &g, None, &mut |_| {}, &mut |_| {}).expect("trains");
    let bytes = format::encode(KIND_PARSER, &a).expect("encodes");
    assert_eq!(Some(&bytes), format::encode(KIND_PARSER, &b).ok().as_ref());
    // The model keeps its beam width, and parses with it by default.
    let back = decode_data("beam", &bytes).expect("decodes");
    assert_eq!(back.beam, 4);
    let p = Parser::from_data(back).expect("loads");
    assert_eq!(p.beam, 4);
    let trees = read_trees(TRAIN);
    let xpos: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
    let s = evaluate(&models, &p, &trees, &xpos);
    assert!(s.uas() >= 95.0 && s.las() >= 90.0, "UAS {} LAS {}", s.uas(), s.las());
    assert_eq!(evaluate_beam(&models, &p, &trees, &xpos, 4).las(), s.las());
    // Fine-tuning from the greedy model keeps what it knew.
    let (_, greedy) = tiny();
    let init = ParserData { linear: greedy.data.clone(), labels: greedy.labels.clone(), clusters: 0, features: 0, beam: 0, supertagger: 0 };
    let g2 = GlobalOptions { epochs: 2, ..g };
    let (c, _) = train_parser_beam(TRAIN, TRAIN, &models, &opt, &g2, Some(&init), &mut |_| {}, &mut |_| {}).expect("trains");
    let s = evaluate(&models, &Parser::from_data(c.clone()).expect("loads"), &trees, &xpos);
    assert!(s.uas() >= 95.0, "UAS {}", s.uas());
    // Frozen: the weights change, their places do not.
    let g3 = GlobalOptions { freeze: true, ..g2 };
    let (f, _) = train_parser_beam(TRAIN, TRAIN, &models, &opt, &g3, Some(&c), &mut |_| {}, &mut |_| {}).expect("trains");
    assert_eq!(f.linear.keys.iter().filter(|k| c.linear.keys.binary_search(k).is_err()).count(), 0);
    assert!(f.linear.w.len() <= c.linear.w.len());
}

#[test]
fn models_of_the_previous_layout_still_load_as_greedy() {
    #[derive(serde::Serialize)]
    struct V2 {
        linear: crate::nlp::linear::LinearData,
        labels: Vec<String>,
        clusters: u64,
        features: u32,
    }
    let (_, p) = tiny();
    let old = V2 { linear: p.data.clone(), labels: p.labels.clone(), clusters: 0, features: 3 };
    let bytes = format::encode(KIND_PARSER, &old).expect("encodes");
    let d = decode_data("old", &bytes).expect("decodes");
    assert_eq!((d.features, d.beam), (3, 0));
    assert_eq!(Parser::from_data(d).expect("loads").beam, 1);
}

#[test]
fn one_conllu_reader_serves_the_tagger_and_the_parser() {
    let text = "# text = Police didn't stop.\n1\tPolice\tpolice\tNOUN\tNNS\t_\t4\tnsubj\t_\t_\n2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n3.1\tgone\t_\t_\t_\t_\t_\t_\t_\t_\n4\tstop\tstop\tVERB\tVB\t_\t0\troot\t_\t_\n5\tshort\n\n\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n";
    let ud = crate::nlp::conll::read_conllu(text);
    let trees = read_trees(text);
    assert_eq!(ud.len(), 2);
    assert_eq!(ud[0].words, ["Police", "did", "n't", "stop"]);
    assert_eq!(ud[0].xpos, ["NNS", "VBD", "RB", "VB"]);
    assert_eq!(ud[1].upos, ["INTJ"]);
    // The parser's reader keeps the short line (its head unreadable), the tagger's does not.
    assert_eq!(trees[0].words.len(), 5);
    assert_eq!(trees[0].head, [4, 4, 4, 0, u32::MAX]);
    assert!(!trees[0].well_formed());
    assert_eq!((&trees[0].upos[..4], &trees[1].deprel[..]), (&ud[0].upos[..], &["root".to_string()][..]));
}

#[test]
fn supertag_features_train_a_supertagger_the_parser_reads() {
    use crate::nlp::supertag::{gold_tags, Supertagger, KIND_SUPERTAG};
    let trees = read_trees(TRAIN);
    assert_eq!(gold_tags(&trees[0], 1), vec!["nsubj/R", "root/0", "nummod/R", "obj/L", "punct/L"]);
    assert_eq!(gold_tags(&trees[0], 2)[1], "root/0+l+r");
    let models = Models::default();
    let opt = ParserTrainOptions { epochs: 8, patience: 8, features: system::F_STAG, ..Default::default() };
    let (data, _, st) = super::train::train_parser_supertagged(TRAIN, TRAIN, &models, &opt, &mut |_| {}).expect("trains");
    let st = st.expect("a supertagger");
    let bytes = format::encode(KIND_SUPERTAG, &st).expect("encodes");
    let tagger = Supertagger::load("tiny", &bytes).expect("loads");
    let mut sc = crate::nlp::tagger::Scratch::default();
    assert_eq!(tagger.tag_names(&["Police", "arrested", "two", "men", "."], None, &mut sc), vec!["nsubj/R", "root/0", "nummod/R", "obj/L", "punct/L"]);
    // Wired through Models: a parser loaded before or after its supertagger gets it.
    let mut m = Models::default();
    m.set_parser("tiny", &format::encode(KIND_PARSER, &data).expect("encodes")).expect("parser loads");
    assert!(m.parser.as_ref().is_some_and(|p| p.needs_supertags() && p.supertagger.is_none()));
    m.set_supertagger("tiny", &bytes).expect("supertagger loads");
    let arcs = m.parse(&["The", "judge", "blocked", "the", "plan", "."], Some(&["DT", "NN", "VBD", "DT", "NN", "."])).expect("parses");
    let heads: Vec<usize> = arcs.iter().map(|a| a.0).collect();
    assert_eq!(heads, vec![2, 3, 0, 5, 3, 3]);
    assert!(Supertagger::load("junk", b"STG\0junk").is_err());
    assert!(m.set_supertagger("wrong kind", &format::encode(KIND_PARSER, &data).expect("encodes")).is_err());
}

#[test]
fn a_parser_refuses_a_supertagger_it_was_not_trained_with() {
    use crate::error::Error;
    use crate::nlp::supertag::{fingerprint, shrink, KIND_SUPERTAG};
    let opt = ParserTrainOptions { epochs: 3, patience: 3, features: system::F_STAG, ..Default::default() };
    let (mut data, _, st) = super::train::train_parser_supertagged(TRAIN, TRAIN, &Models::default(), &opt, &mut |_| {}).expect("trains");
    let st = st.expect("a supertagger");
    let own = format::encode(KIND_SUPERTAG, &st).expect("encodes");
    // Another supertagger: the same one with its smaller weights pruned.
    let (other, cut) = shrink(&st, own.len() - 64).expect("shrinks");
    assert!(cut > 0);
    let other = format::encode(KIND_SUPERTAG, &other).expect("encodes");
    assert!(other.len() <= own.len() - 64 && fingerprint(&other) != fingerprint(&own));
    data.supertagger = fingerprint(&own);
    let parser = format::encode(KIND_PARSER, &data).expect("encodes");
    assert_eq!(decode_data("p", &parser).expect("decodes").supertagger, fingerprint(&own));
    // Its own supertagger, loaded before or after it: fine.
    for own_first in [true, false] {
        let mut m = Models::default();
        if own_first {
            m.set_supertagger("own", &own).expect("loads");
        }
        m.set_parser("p", &parser).expect("loads");
        if !own_first {
            m.set_supertagger("own", &own).expect("loads");
        }
        assert!(m.parse(&["Police", "arrested", "two", "men", "."], Some(&["NNS", "VBD", "CD", "NNS", "."])).is_some());
    }
    // Another one, before or after: a typed error naming both fingerprints.
    let mut m = Models::default();
    m.set_supertagger("other", &other).expect("loads alone");
    match m.set_parser("p", &parser) {
        Err(Error::SupertaggerMismatch { expected, found, .. }) => assert_eq!((expected, found), (fingerprint(&own), fingerprint(&other))),
        r => panic!("expected a mismatch, got {r:?}"),
    }
    let mut m = Models::default();
    m.set_parser("p", &parser).expect("loads alone");
    assert!(matches!(m.set_supertagger("other", &other), Err(Error::SupertaggerMismatch { .. })));
    // A file that recorded none (written before the field) takes any.
    data.supertagger = 0;
    let mut m = Models::default();
    m.set_supertagger("other", &other).expect("loads");
    m.set_parser("old", &format::encode(KIND_PARSER, &data).expect("encodes")).expect("loads");
}
