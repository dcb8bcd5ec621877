//! `train cues`, `eval attribution`.

use anyhow::Context;
use newsgraph::export::write_atomic;
use newsgraph::extract::attribution::{brat, classifier, eval, lexicon, tagger, Config};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  newsgraph train cues --data ../shared/data/polnear/train -o data/attribution/cues.tsv"
)]
pub struct TrainCuesArgs {
    /// Brat directory with text/NAME.txt and attributions/NAME_ANNOTATOR.ann.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Output lexicon (TSV). Written atomically.
    #[arg(
        short,
        long,
        value_name = "PATH",
        default_value = "data/attribution/cues.tsv"
    )]
    output: PathBuf,
    /// Keep words seen in at least this many cues.
    #[arg(long, default_value_t = 2)]
    min_count: u32,
    /// Cue classifier output (default: cue_model.tsv beside the lexicon).
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Perceptron epochs (3 is best on a held-out sixth of PolNeAR train).
    #[arg(long, default_value_t = 3)]
    epochs: usize,
    /// Cue tagger output (default: cue_tagger.bin beside the lexicon).
    #[arg(long, value_name = "PATH")]
    tagger: Option<PathBuf>,
    /// Cue tagger epochs (4 is best on a held-out sixth of PolNeAR train).
    #[arg(long, default_value_t = 4)]
    tagger_epochs: usize,
    /// Extra first-pass feature groups of the tagger (bits: 1 light-verb
    /// frames and complements, 2 copulas).
    #[arg(long, default_value_t = 3)]
    tagger_groups: u32,
    /// Epochs of the tagger's second pass over out-of-fold first-pass
    /// margins (0: no second pass; 4 is best on a held-out sixth of PolNeAR
    /// train, with 2 and 6 within 0.2 cue F1).
    #[arg(long, default_value_t = 4)]
    stack_epochs: usize,
    /// Second-pass feature groups (bits: 1 own margin, 2 neighbours, 4 best
    /// earlier candidate, 8 best later, 16 same stem in the document,
    /// 32 rank in the sentence, 64 all first-pass features, 128 stem).
    #[arg(long, default_value_t = 255)]
    stack_groups: u32,
    /// Drop the tagger's weights under this share of the largest (smaller
    /// file, faster to load).
    #[arg(long, default_value_t = 0.02)]
    prune: f32,
    /// Train the tagger on five sixths of the data, print the held-out sixth's
    /// scores after every epoch (to choose --tagger-epochs) and the final
    /// model's at every --thresholds value, write nothing.
    #[arg(long)]
    holdout: bool,
    /// With --holdout: the tagger margin thresholds to score the final model at.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true, default_value = "-24,-20,-17,-14,-10,-4")]
    thresholds: Vec<f32>,
    /// With --holdout: also write the lexicon, classifier and tagger trained
    /// on the five sixths into this directory (for `eval attribution
    /// --lexicon/--model/--tagger` on the held-out sixth).
    #[arg(long, value_name = "DIR")]
    save_holdout: Option<PathBuf>,
}

impl TrainCuesArgs {
    fn tagger_options(&self) -> tagger::TrainOptions {
        tagger::TrainOptions {
            epochs: self.tagger_epochs,
            groups: self.tagger_groups,
            stack_epochs: self.stack_epochs,
            stack_groups: self.stack_groups,
            prune: self.prune,
        }
    }
}

pub fn train_cues(a: TrainCuesArgs) -> anyhow::Result<ExitCode> {
    let docs = brat::read_dir(&a.data)?;
    if docs.is_empty() {
        anyhow::bail!("{}: no annotated documents found", a.data.display());
    }
    let models = newsgraph::nlp::Models::bundled()?;
    if a.holdout {
        let (held, rest): (Vec<_>, Vec<_>) =
            docs.iter().cloned().enumerate().partition(|(i, _)| i % 6 == 0);
        let held: Vec<_> = held.into_iter().map(|(_, d)| d).collect();
        let rest: Vec<_> = rest.into_iter().map(|(_, d)| d).collect();
        let lex_tsv = lexicon::train(&rest, a.min_count);
        let lex = lexicon::Lexicon::parse(&lex_tsv);
        let model_tsv = classifier::train(&rest, &lex, a.epochs);
        let model = classifier::CueModel::parse(&model_tsv);
        let cfg = Config::default();
        // The first pass alone is read at its own best threshold.
        let first_cfg = Config { tagger_threshold: tagger::FIRST_PASS_THRESHOLD, ..cfg };
        let line = |name: String, s: &eval::Scores| {
            let f = |c: eval::Counts, exact: bool| {
                eval::prf(if exact { c.exact } else { c.overlap }, c.pred, c.gold)
            };
            let (cp, cr, cf) = f(s.cue, false);
            println!(
                "{name}: cue P {cp:.2} R {cr:.2} F1 {cf:.2}  source F1 {:.2}  content F1 {:.2} / exact {:.2}",
                f(s.source, false).2,
                f(s.content, false).2,
                f(s.content, true).2
            );
        };
        line("classifier".into(), &eval::score(&held, &lex, Some(&model), None, &cfg));
        let bin = tagger::train(&rest, &models, &a.tagger_options(), |ep, tr| {
            if let Ok(t) = tagger::snapshot(tr, a.tagger_groups) {
                let s = eval::score(&held, &lex, Some(&model), Some(&t), &first_cfg);
                line(format!("epoch {ep} (first seed, first pass) threshold {}", first_cfg.tagger_threshold), &s);
            }
        })?;
        if let Some(dir) = &a.save_holdout {
            std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create the directory", dir.display()))?;
            for (name, bytes) in [
                ("cues.tsv", lex_tsv.as_bytes()),
                ("cue_model.tsv", model_tsv.as_bytes()),
                ("cue_tagger.bin", bin.as_slice()),
            ] {
                let p = dir.join(name);
                write_atomic(&p, |w| Ok(w.write_all(bytes)?))
                    .with_context(|| format!("{}: cannot write", p.display()))?;
            }
        }
        let t = tagger::CueTagger::from_bytes("held-out tagger", &bin)?;
        if t.has_stack() {
            let f = t.first_pass_only();
            line(
                format!("first pass threshold {}", first_cfg.tagger_threshold),
                &eval::score(&held, &lex, Some(&model), Some(&f), &first_cfg),
            );
        }
        for &th in &a.thresholds {
            let c = Config {
                tagger_threshold: th,
                ..cfg
            };
            let s = eval::score(&held, &lex, Some(&model), Some(&t), &c);
            line(format!("final threshold {th}"), &s);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let tsv = lexicon::train(&docs, a.min_count);
    write_atomic(&a.output, |w| Ok(w.write_all(tsv.as_bytes())?))
        .with_context(|| format!("{}: cannot write", a.output.display()))?;
    let rows = tsv.lines().filter(|l| !l.starts_with('#')).count();
    eprintln!(
        "{} documents, {rows} cue words and pairs → {}",
        docs.len(),
        a.output.display()
    );
    let opt = a.tagger_options();
    let lex = lexicon::Lexicon::parse(&tsv);
    let model = classifier::train(&docs, &lex, a.epochs);
    let mpath = a
        .model
        .unwrap_or_else(|| a.output.with_file_name("cue_model.tsv"));
    write_atomic(&mpath, |w| Ok(w.write_all(model.as_bytes())?))
        .with_context(|| format!("{}: cannot write", mpath.display()))?;
    let feats = model.lines().filter(|l| !l.starts_with('#')).count();
    eprintln!("cue classifier: {feats} features → {}", mpath.display());
    let bin = tagger::train(&docs, &models, &opt, |_, _| {})?;
    let tpath = a
        .tagger
        .unwrap_or_else(|| a.output.with_file_name("cue_tagger.bin"));
    write_atomic(&tpath, |w| Ok(w.write_all(&bin)?))
        .with_context(|| format!("{}: cannot write", tpath.display()))?;
    eprintln!("cue tagger: {} bytes → {}", bin.len(), tpath.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
#[command(after_help = "Example:\n  newsgraph eval attribution ../shared/data/polnear/dev")]
pub struct EvalAttributionArgs {
    /// Brat directory with text/NAME.txt and attributions/NAME_ANNOTATOR.ann.
    #[arg(value_name = "DIR")]
    path: PathBuf,
    /// Cue lexicon to use instead of the bundled one.
    #[arg(long, value_name = "TSV")]
    lexicon: Option<PathBuf>,
    /// Minimum learned precision for a word to start a cue.
    #[arg(long)]
    min_precision: Option<f32>,
    /// Minimum number of training cues a word was seen in.
    #[arg(long)]
    min_count: Option<u32>,
    /// Cue classifier to use instead of the bundled one.
    #[arg(long, value_name = "TSV")]
    model: Option<PathBuf>,
    /// Classifier score threshold (default 0).
    #[arg(long)]
    threshold: Option<f32>,
    /// Decide cues by lexicon precision only, without the classifier.
    #[arg(long)]
    no_model: bool,
    /// Cue tagger to use instead of the bundled one.
    #[arg(long, value_name = "BIN")]
    tagger: Option<PathBuf>,
    /// Without the cue tagger (the lexicon classifier decides).
    #[arg(long)]
    no_tagger: bool,
    /// Cue tagger margin threshold (default -17).
    #[arg(long, allow_hyphen_values = true)]
    tagger_threshold: Option<f32>,
    /// Margin above which a tagger cue the reader cannot place is read generically.
    #[arg(long, allow_hyphen_values = true)]
    generic_threshold: Option<f32>,
    /// Cue extents: take auxiliaries and negation on the left.
    #[arg(long)]
    cue_aux: Option<bool>,
    /// Cue extents: take a colon after the cue.
    #[arg(long)]
    cue_colon: Option<bool>,
    /// Cue extents: take the next word when its pair is in this share of the cue word's cues.
    #[arg(long)]
    cue_pair_ratio: Option<f32>,
    /// Added to the tagger threshold for noun cue candidates (default 0).
    #[arg(long, allow_hyphen_values = true)]
    tagger_noun_offset: Option<f32>,
    /// Added to the tagger threshold for adjective cue candidates (default 0).
    #[arg(long, allow_hyphen_values = true)]
    tagger_adj_offset: Option<f32>,
    /// A tagger cue read with a source is kept only above this margin (default: no condition).
    #[arg(long, allow_hyphen_values = true)]
    tagger_threshold_sourced: Option<f32>,
    /// A tagger cue read without a source is kept only above this margin (default: no condition).
    #[arg(long, allow_hyphen_values = true)]
    tagger_threshold_unsourced: Option<f32>,
    /// Try a range of thresholds and print the F1s for each (tuning; use on train).
    #[arg(long)]
    sweep: bool,
    /// Also write every document's gold and predicted spans (code points) as
    /// JSON Lines here, for error analysis.
    #[arg(long, value_name = "PATH")]
    dump: Option<PathBuf>,
    /// Also parse every sentence with the bundled dependency parser (as
    /// `build --parse`): cue verbs' parsed subjects become sources where the
    /// rules found none. Needs the cue tagger (its POS tags feed the parser).
    #[arg(long)]
    parse: bool,
    /// Parse with this parser model file instead of the bundled one (as
    /// `build --parser`). Implies --parse.
    #[arg(long, value_name = "FILE")]
    parser: Option<PathBuf>,
}

pub fn eval(a: EvalAttributionArgs) -> anyhow::Result<ExitCode> {
    let docs = brat::read_dir(&a.path)?;
    if docs.is_empty() {
        anyhow::bail!("{}: no annotated documents found", a.path.display());
    }
    let owned;
    let lex = match &a.lexicon {
        Some(p) => {
            let s = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            owned = lexicon::Lexicon::parse(&s);
            &owned
        }
        None => lexicon::Lexicon::bundled(),
    };
    let owned_model;
    let model = match &a.model {
        Some(p) => {
            let s = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            owned_model = classifier::CueModel::parse(&s);
            Some(&owned_model)
        }
        None => classifier::CueModel::bundled(),
    };
    let model = if a.no_model { None } else { model };
    let owned_tagger;
    let cue_tagger = match &a.tagger {
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            owned_tagger = tagger::CueTagger::from_bytes(&p.display().to_string(), &b)?;
            Some(&owned_tagger)
        }
        None => tagger::CueTagger::bundled(),
    };
    let cue_tagger = if a.no_tagger { None } else { cue_tagger };
    let parser = match &a.parser {
        Some(path) => Some(super::models_with_parser(path)?),
        None if a.parse => Some(newsgraph::nlp::Models::bundled_with_parser()?),
        None => None,
    };
    let parser = parser.as_ref();
    // Each option given on the command line overrides its default.
    let d = Config::default();
    let cfg = Config {
        model_threshold: a.threshold.or(d.model_threshold),
        min_precision: a.min_precision.unwrap_or(d.min_precision),
        min_count: a.min_count.unwrap_or(d.min_count),
        tagger_threshold: a.tagger_threshold.unwrap_or(d.tagger_threshold),
        generic_threshold: a.generic_threshold.unwrap_or(d.generic_threshold),
        cue_aux: a.cue_aux.unwrap_or(d.cue_aux),
        cue_colon: a.cue_colon.unwrap_or(d.cue_colon),
        cue_pair_ratio: a.cue_pair_ratio.unwrap_or(d.cue_pair_ratio),
        tagger_noun_offset: a.tagger_noun_offset.unwrap_or(d.tagger_noun_offset),
        tagger_adj_offset: a.tagger_adj_offset.unwrap_or(d.tagger_adj_offset),
        tagger_threshold_sourced: a.tagger_threshold_sourced.unwrap_or(d.tagger_threshold_sourced),
        tagger_threshold_unsourced: a.tagger_threshold_unsourced.unwrap_or(d.tagger_threshold_unsourced),
        ..d
    };
    if a.sweep {
        let grid: Vec<Config> = if cue_tagger.is_some() {
            [-26.0f32, -23.0, -20.0, -17.0, -14.0, -11.0, -8.0, -4.0]
                .iter()
                .map(|&t| Config {
                    tagger_threshold: t,
                    ..cfg
                })
                .collect()
        } else if model.is_some() {
            [-2.0f32, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
                .iter()
                .map(|&t| Config {
                    model_threshold: Some(t),
                    ..cfg
                })
                .collect()
        } else {
            [0.1f32, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6]
                .iter()
                .map(|&p| Config {
                    min_precision: p,
                    ..cfg
                })
                .collect()
        };
        for c in grid {
            let p = if cue_tagger.is_some() {
                c.tagger_threshold
            } else if model.is_some() {
                c.model_threshold.unwrap_or(0.0)
            } else {
                c.min_precision
            };
            let s = eval::score_parsed(&docs, lex, model, cue_tagger, &c, parser);
            let (cp, cr, cf) = eval::prf(s.cue.overlap, s.cue.pred, s.cue.gold);
            let (_, _, sf) = eval::prf(s.source.overlap, s.source.pred, s.source.gold);
            let (_, _, kf) = eval::prf(s.content.exact, s.content.pred, s.content.gold);
            println!("threshold {p:.2}: cue P {cp:.2} R {cr:.2} F1 {cf:.2}  source F1 {sf:.2}  content exact F1 {kf:.2}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &a.dump {
        let mut out = String::new();
        for d in &docs {
            let ex = eval::run_document_parsed(d, lex, model, cue_tagger, &cfg, parser);
            let cp = |b: usize| d.text.get(..b).map_or(0, |s| s.chars().count());
            let sp = |s: newsgraph::extract::ByteSpan| [cp(s.start), cp(s.end)];
            let gold: Vec<_> = d
                .attributions
                .iter()
                .map(|g| (sp(g.cue), sp(g.content), g.source.map(sp)))
                .collect();
            let pred: Vec<_> = ex
                .statements
                .iter()
                .map(|x| (sp(x.cue), sp(x.content), x.source.map(sp), x.kind.as_str()))
                .collect();
            let line = serde_json::json!({"name": d.name, "text": d.text, "gold": gold, "pred": pred});
            out.push_str(&line.to_string());
            out.push('\n');
        }
        write_atomic(path, |w| Ok(w.write_all(out.as_bytes())?))
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let s = eval::score_parsed(&docs, lex, model, cue_tagger, &cfg, parser);
    print!("{}", s.table());
    Ok(ExitCode::SUCCESS)
}
