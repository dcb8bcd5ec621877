//! `train parser`, `eval parser`, `parse --conllu`.

use anyhow::{bail, Context};
use newsgraph::export::write_atomic;
use newsgraph::nlp::parser::conllu::{read_trees, text_to_conllu, write_parsed_conllu, Attachment, PART_BYTES};
use newsgraph::nlp::parser::beam::GlobalOptions;
use newsgraph::nlp::parser::train::{evaluate, evaluate_beam, gold_pos, predicted_pos, predicted_xpos, shrink, train_parser_beam, train_parser_supertagged, ParserTrainOptions};
use newsgraph::nlp::parser::system::F_STAG;
use newsgraph::nlp::supertag::{self, KIND_SUPERTAG};
use newsgraph::nlp::tagger::TaggerData;
use newsgraph::nlp::parser::{decode_data, Parser, ParserData, KIND_PARSER};
use newsgraph::nlp::train::read_text;
use newsgraph::nlp::{format, Models};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::nlp::{cpu_seconds, model_file, models_from_dir, read_file};

/// Where the models come from.
#[derive(clap::Args, Debug, Clone)]
pub struct ParserModelArgs {
    /// Load clusters.bin, pos.bin and parser.bin from this directory instead of the built-in models.
    #[arg(long, value_name = "DIR")]
    model_dir: Option<PathBuf>,
    /// Use this parser model file (with the other models built in, or from --model-dir).
    #[arg(long, value_name = "FILE")]
    parser: Option<PathBuf>,
    /// Use this supertagger model file (for a parser trained with --features including 16).
    #[arg(long, value_name = "FILE")]
    supertagger: Option<PathBuf>,
}

impl ParserModelArgs {
    fn load(&self) -> anyhow::Result<Models> {
        self.load_with(false)
    }

    /// `training`: the loaded parser is not used (training makes its own),
    /// so a given supertagger replaces the built-in one without being checked against it.
    fn load_with(&self, training: bool) -> anyhow::Result<Models> {
        let mut m = match &self.model_dir {
            None => Models::bundled_with_parsers()?,
            Some(dir) => {
                let mut m = models_from_dir(dir, false)?;
                if let Some((n, b)) = model_file(dir, "supertag.bin")? {
                    m.set_supertagger(&n, &b)?;
                }
                if let Some((n, b)) = model_file(dir, "parser.bin")? {
                    m.set_parser(&n, &b)?;
                }
                m
            }
        };
        if let Some(p) = &self.supertagger {
            if self.parser.is_some() || training {
                // Replaced below: its own supertagger need not fit the new one.
                m.parser = None;
            }
            m.set_supertagger(&p.display().to_string(), &read_file(p)?)?;
        }
        if let Some(p) = &self.parser {
            m.set_parser(&p.display().to_string(), &read_file(p)?)?;
        }
        if m.parser.as_ref().is_some_and(|p| p.needs_supertags() && p.supertagger.is_none()) {
            bail!("the parser model reads supertags: give its supertagger with --supertagger FILE");
        }
        Ok(m)
    }
}

#[derive(clap::Args)]
pub struct TrainParserArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long, value_name = "FILE")]
    train: PathBuf,
    /// Dev treebank (CoNLL-U): early stopping on its LAS.
    #[arg(long, value_name = "FILE")]
    dev: PathBuf,
    /// Output model file.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[arg(long, default_value_t = 15)]
    epochs: usize,
    /// Stop after this many epochs without a better dev LAS.
    #[arg(long, default_value_t = 3)]
    patience: usize,
    /// Shuffling and exploration seed.
    #[arg(long, default_value_t = 20241219)]
    seed: u64,
    /// Drop averaged weights smaller than this fraction of the largest (smaller file).
    #[arg(long, default_value_t = 0.0)]
    prune: f32,
    /// Train on the first N sentences only (0 = all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
    /// Follow the model's own moves from this epoch on (dynamic-oracle exploration).
    #[arg(long, default_value_t = 2)]
    explore_from: usize,
    /// Learn base relations only (nsubj:pass → nsubj).
    #[arg(long)]
    base_labels: bool,
    /// Tag the training data by jackknifing the POS tagger over K folds (0 = use the loaded POS model).
    #[arg(long, default_value_t = 0, value_name = "K")]
    jackknife: usize,
    /// Optional feature groups, a bit mask: 1 suffix+shape, 2 more clusters,
    /// 4 more word pairs, 8 child labels with words, 16 supertags (trains a supertagger too).
    #[arg(long, default_value_t = 0, value_name = "MASK")]
    features: u32,
    /// Train on the non-projective trees too, their crossing arcs lifted.
    #[arg(long)]
    projectivize: bool,
    /// How often (per mille) training follows the model's own move once exploring.
    #[arg(long, default_value_t = 900)]
    explore_rate: u32,
    /// Largest model file: the smallest weights are pruned until it fits (0 = no limit).
    #[arg(long, default_value_t = 14_500_000)]
    max_bytes: usize,
    /// Skip training: take this model (e.g. written by an earlier run with --max-bytes 0) and
    /// only fit it to --max-bytes. Training is deterministic, so the result is the same bytes.
    #[arg(long, value_name = "FILE")]
    from_model: Option<PathBuf>,
    /// Train a global model with a beam of this width (max-violation updates) instead of the greedy one.
    #[arg(long, default_value_t = 1, value_name = "K")]
    beam: usize,
    /// With --beam: start from this model's weights (e.g. the greedy models/parser.bin) and its feature groups.
    /// With --arch bilstm/biaffine: continue training this BiLSTM parser file (its vocabulary, shape and
    /// weights; the --nn-* shape options are its own); an epoch is kept only when it beats the file on dev.
    #[arg(long, value_name = "FILE")]
    init: Option<PathBuf>,
    /// With --beam: early update (stop a sentence where gold falls off the beam) instead of max-violation.
    #[arg(long)]
    early_update: bool,
    /// With --beam and --init: update only the initial model's weights, adding none (retrain a size-fitted model).
    #[arg(long)]
    freeze: bool,
    /// With --features including 16 (supertags): which supertags, 1 = relation + head side,
    /// 2 = also whether the word has left / right dependents; + 4 = jackknife the supertagger
    /// over folds of contiguous sentences (a document stays in one fold) instead of interleaved ones.
    #[arg(long, default_value_t = 5, value_name = "N")]
    supertag_scheme: u8,
    /// With supertags: the supertagger's most training epochs (early stopping on dev accuracy).
    #[arg(long, default_value_t = 5)]
    supertag_epochs: usize,
    /// With supertags: prune the supertagger's smallest weights until its file fits
    /// this size (0 = no limit); also with --from-model and --supertagger. A small
    /// supertagger is a fast one (its feature table stays in cache).
    #[arg(long, default_value_t = 0, value_name = "BYTES")]
    supertag_max_bytes: usize,
    /// With supertags: where to write the supertagger the parser was trained with
    /// (default: beside the output, `<output>.supertag.bin`).
    #[arg(long, value_name = "FILE")]
    supertagger_out: Option<PathBuf>,
    /// Architecture: `perceptron` (the shipped linear model), `bilstm`
    /// (a BiLSTM + MLP greedy parser, `nlp::parser::bilstm`; reads --epochs,
    /// --patience, --seed, --limit, --explore-from, --explore-rate, --jackknife,
    /// --projectivize and the --nn-* options) or `biaffine` (the same BiLSTM
    /// with a biaffine arc scorer and Eisner decoding; --nn-mlp is then the
    /// label MLP's width, --nn-arc the arc MLPs').
    #[arg(long, default_value = "perceptron")]
    arch: String,
    /// With --arch bilstm: embedding widths word,xpos,cluster,suffix,shape.
    #[arg(long, default_value = "64,16,16,16,8")]
    nn_dims: String,
    /// With --arch bilstm: LSTM units per direction.
    #[arg(long, default_value_t = 64)]
    nn_hidden: u32,
    /// With --arch bilstm: MLP hidden units.
    #[arg(long, default_value_t = 100)]
    nn_mlp: u32,
    /// With --arch biaffine: width of the arc scorer's dependent and head MLPs.
    #[arg(long, default_value_t = 100)]
    nn_arc: usize,
    /// With --arch bilstm/biaffine: Adam's second-moment decay.
    #[arg(long, default_value_t = 0.999)]
    nn_beta2: f32,
    /// With --arch bilstm/biaffine: the learning rate is multiplied by this after every epoch.
    #[arg(long, default_value_t = 1.0)]
    nn_lr_decay: f32,
    /// With --arch bilstm/biaffine: decay of a moving average of the weights
    /// after every Adam step (e.g. 0.999; 0 = none); each epoch keeps the
    /// averaged weights when they score better on dev.
    #[arg(long, default_value_t = 0.0)]
    nn_ema: f32,
    /// With --arch biaffine: weight of an auxiliary training loss, the gold
    /// "UPOS XPOS" tag predicted from the first BiLSTM layer (0 = none; the
    /// tagging layer is not stored).
    #[arg(long, default_value_t = 0.0)]
    nn_aux_pos: f32,
    /// With --arch biaffine and --nn-teachers: distillation weight (each
    /// word's training target is this much the teachers' mean head and label
    /// distribution, the rest the gold head and label).
    #[arg(long, default_value_t = 0.5)]
    nn_distill: f32,
    /// With --arch biaffine: biaffine parser files whose mean predictions on
    /// the training sentences (with the same predicted tags) are soft targets.
    #[arg(long, value_delimiter = ',', value_name = "FILES")]
    nn_teachers: Vec<PathBuf>,
    /// With --arch bilstm: Adam learning rate.
    #[arg(long, default_value_t = 0.001)]
    nn_lr: f32,
    /// With --arch bilstm: sentences per Adam step.
    #[arg(long, default_value_t = 8)]
    nn_batch: usize,
    /// With --arch bilstm: word dropout alpha (a word seen c times becomes UNK with probability alpha/(alpha+c)).
    #[arg(long, default_value_t = 0.25)]
    nn_word_dropout: f32,
    /// With --arch bilstm/biaffine: tag dropout (each word's POS input is unknown with this probability).
    #[arg(long, default_value_t = 0.0)]
    nn_tag_dropout: f32,
    /// With --arch bilstm: stacked BiLSTM layers.
    #[arg(long, default_value_t = 1)]
    nn_layers: usize,
    /// With --arch bilstm: dropout rate of the LSTM inputs and of the BiLSTM vectors.
    #[arg(long, default_value_t = 0.0)]
    nn_dropout: f32,
    /// With --arch bilstm: keep the (jackknifed) training XPOS in this file and
    /// read it from there when it exists (jackknifing takes minutes). With
    /// --nn-joint-pos the file holds the joint tags and says so on its first
    /// line; a file of the other kind is refused.
    #[arg(long, value_name = "FILE")]
    xpos_cache: Option<PathBuf>,
    /// With --arch bilstm/biaffine: the POS input is the tagger's joint
    /// "UPOS XPOS" tag (AUX vs VERB, PROPN vs NOUN) rather than the XPOS alone.
    #[arg(long)]
    nn_joint_pos: bool,
    /// With --arch bilstm/biaffine: more training trees, e.g. news text parsed by
    /// `parse --text --ensemble` (self-training). Their POS input is the
    /// tagger's (not jackknifed) and they get no tag loss (--nn-aux-pos).
    #[arg(long, value_delimiter = ',', value_name = "FILES")]
    nn_extra: Vec<PathBuf>,
    /// With --nn-extra: keep every K-th of their sentences.
    #[arg(long, default_value_t = 1, value_name = "K")]
    nn_extra_every: usize,
    /// With --arch bilstm/biaffine: words seen fewer times (in all training trees) are unknown.
    #[arg(long, default_value_t = 2)]
    nn_min_count: usize,
    #[command(flatten)]
    models: ParserModelArgs,
}

/// First line of an `--xpos-cache` file of joint "UPOS XPOS" tags (a file
/// without it holds XPOS tags, as before the joint tags).
const JOINT_POS_CACHE_HEADER: &str = "# newsgraph training POS: joint UPOS XPOS\n";

/// `train parser --arch bilstm`: writes each best epoch to the output as it goes.
fn train_bilstm(a: TrainParserArgs) -> anyhow::Result<ExitCode> {
    use newsgraph::nlp::parser::bilstm::{self, BilstmTrainOptions, Dims, KIND_BILSTM};
    let dims: Vec<u32> = a.nn_dims.split(',').map(|s| s.trim().parse()).collect::<Result<_, _>>().context("--nn-dims: five numbers, e.g. 64,16,16,16,8")?;
    let [dw, dp, dc, ds, dx] = dims[..] else { bail!("--nn-dims: five numbers, e.g. 64,16,16,16,8") };
    // The tag loss and the teachers' soft targets exist for the biaffine head only.
    if a.arch != "biaffine" && (a.nn_aux_pos > 0.0 || !a.nn_teachers.is_empty()) {
        bail!("--nn-aux-pos and --nn-teachers need --arch biaffine (the transition parser has neither)");
    }
    let opt = BilstmTrainOptions {
        dims: Dims { dw, dp, dc, ds, dx, h: a.nn_hidden, m: a.nn_mlp },
        epochs: a.epochs,
        patience: a.patience,
        seed: a.seed,
        lr: a.nn_lr,
        batch: a.nn_batch,
        explore_from: a.explore_from,
        explore_rate: a.explore_rate,
        word_dropout: a.nn_word_dropout,
        tag_dropout: a.nn_tag_dropout,
        min_count: a.nn_min_count,
        projectivize: a.projectivize,
        dropout: a.nn_dropout,
        layers: a.nn_layers,
        arc: if a.arch == "biaffine" { a.nn_arc.max(1) } else { 0 },
        beta2: a.nn_beta2,
        lr_decay: a.nn_lr_decay,
        ema: a.nn_ema,
        aux_pos: a.nn_aux_pos,
        distill: if a.nn_teachers.is_empty() { 0.0 } else { a.nn_distill },
        init: a.init.as_deref().map(read_bilstm).transpose()?.map(|p| p.data),
    };
    let teachers = a.nn_teachers.iter().map(|f| read_bilstm(f)).collect::<anyhow::Result<Vec<_>>>()?;
    let models = a.models.load_with(true)?;
    if let Some(f) = a.nn_teachers.iter().zip(&teachers).find(|(_, t)| !t.fits_clusters(models.clusters.as_ref())).map(|(f, _)| f) {
        bail!("{}: the teacher was trained with other word clusters than the ones loaded", f.display());
    }
    let mut train = read_trees(&read_text(&a.train)?);
    if a.limit > 0 {
        train.truncate(a.limit);
    }
    let dev = read_trees(&read_text(&a.dev)?);
    let t0 = Instant::now();
    let joint = a.nn_joint_pos;
    let cached: Option<Vec<Vec<String>>> = match &a.xpos_cache {
        Some(p) if p.exists() => {
            let text = read_text(p)?;
            let (is_joint, body) = match text.strip_prefix(JOINT_POS_CACHE_HEADER) {
                Some(rest) => (true, rest),
                None => (false, text.as_str()),
            };
            if is_joint != joint {
                bail!("{}: holds {} tags, this run wants {} (use another file)", p.display(), if is_joint { "joint UPOS XPOS" } else { "XPOS" }, if joint { "joint ones (--nn-joint-pos)" } else { "XPOS" });
            }
            // Joint tags are "UPOS XPOS" pairs on a line of space-separated fields.
            let x: Vec<Vec<String>> = body
                .lines()
                .map(|l| {
                    let f: Vec<&str> = l.split(' ').filter(|s| !s.is_empty()).collect();
                    if joint { f.chunks(2).map(|c| c.join(" ")).collect() } else { f.into_iter().map(String::from).collect() }
                })
                .collect();
            let fits = x.len() == train.len() && x.iter().zip(&train).all(|(x, t)| x.len() == t.words.len());
            if !fits {
                bail!("{}: not the XPOS of this training data (delete it to recompute)", p.display());
            }
            eprintln!("bilstm: training XPOS from {}", p.display());
            Some(x)
        }
        _ => None,
    };
    let train_x = match cached {
        Some(x) => x,
        None => {
            let x = if a.jackknife >= 2 && models.pos.is_some() {
                newsgraph::nlp::parser::train::jackknife_pos(&models, &train, a.jackknife, a.seed, joint, &mut |s| eprintln!("{s}")).map_err(anyhow::Error::msg)?
            } else {
                predicted_pos(&models, &train, joint)
            };
            if let Some(p) = &a.xpos_cache {
                let header = if joint { JOINT_POS_CACHE_HEADER } else { "" };
                let text: String = std::iter::once(header.to_string()).chain(x.iter().map(|s| s.join(" ") + "\n")).collect();
                write_atomic(p, |w| {
                    w.write_all(text.as_bytes())?;
                    Ok(())
                })?;
            }
            x
        }
    };
    let (mut train, mut train_x) = (train, train_x);
    for f in &a.nn_extra {
        let mut extra: Vec<_> = read_trees(&read_text(f)?).into_iter().step_by(a.nn_extra_every.max(1)).filter(|t| t.well_formed() && !t.words.is_empty()).collect();
        for t in &mut extra {
            t.upos.iter_mut().chain(t.xpos.iter_mut()).for_each(|x| *x = "_".into());
        }
        let x = predicted_pos(&models, &extra, joint);
        eprintln!("bilstm: {} extra training trees ({} words) from {}", extra.len(), extra.iter().map(|t| t.words.len()).sum::<usize>(), f.display());
        train.extend(extra);
        train_x.extend(x);
    }
    let dev_x = predicted_pos(&models, &dev, joint);
    let out = a.output.clone();
    let mut save = |d: &bilstm::BilstmData, s: &Attachment| {
        match write_model(KIND_BILSTM, d, &out) {
            Ok(()) => eprintln!("bilstm: dev UAS {:.2} LAS {:.2} at {:.0}s -> {}", s.uas(), s.las(), t0.elapsed().as_secs_f64(), out.display()),
            Err(e) => eprintln!("bilstm: {} not written: {e}", out.display()),
        }
    };
    let (data, score) = bilstm::train(&train, &train_x, &dev, &dev_x, models.clusters.as_ref(), &opt, &teachers, &mut |s| eprintln!("{s}"), &mut save).map_err(anyhow::Error::msg)?;
    // Written again at the end: with --init and no better epoch, nothing was saved on the way.
    write_model(KIND_BILSTM, &data, &a.output)?;
    let bytes = format::encode(KIND_BILSTM, &data)?;
    eprintln!("bilstm: best dev UAS {:.2} LAS {:.2}; {} weights, {} bytes, {:.1}s -> {}", score.uas(), score.las(), data.w.len(), bytes.len(), t0.elapsed().as_secs_f64(), a.output.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes a model file (beside `path`, then renamed).
fn write_model<T: serde::Serialize>(kind: &[u8; 4], data: &T, path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = format::encode(kind, data)?;
    write_atomic(path, |w| {
        w.write_all(&bytes)?;
        Ok(())
    })
}

/// The BiLSTM parser named by `--parser`, when that file is one (kind `PNN\0`);
/// with no model options at all, the built-in one (the most accurate parser at
/// the greedy parser's speed), unless `linear` asks for the linear parser (a beam).
fn bilstm_parser(m: &ParserModelArgs, linear: bool) -> anyhow::Result<Option<newsgraph::nlp::parser::bilstm::BilstmParser>> {
    use newsgraph::nlp::parser::bilstm;
    let Some(p) = &m.parser else {
        let bytes = newsgraph::nlp::PARSER_BILSTM_BIN;
        if linear || m.model_dir.is_some() || m.supertagger.is_some() || !bilstm::is_bilstm_file(bytes) {
            return Ok(None);
        }
        return Ok(Some(bilstm::decode("models/parser-biaffine.bin", bytes)?));
    };
    let bytes = read_file(p)?;
    if !bilstm::is_bilstm_file(&bytes) {
        return Ok(None);
    }
    Ok(Some(bilstm::decode(&p.display().to_string(), &bytes)?))
}

/// Biaffine parser files parsing together (`--ensemble`), checked against the loaded clusters.
fn read_ensemble(files: &[PathBuf], models: &Models) -> anyhow::Result<newsgraph::nlp::parser::bilstm::Ensemble> {
    let mut nets = Vec::new();
    for f in files {
        let net = read_bilstm(f)?;
        if !net.fits_clusters(models.clusters.as_ref()) {
            bail!("{}: --ensemble takes parsers trained with the loaded word clusters", f.display());
        }
        nets.push(net);
    }
    // `Ensemble::new` checks the rest: biaffine heads with the first parser's labels.
    newsgraph::nlp::parser::bilstm::Ensemble::new(nets).map_err(|k| match files.get(k) {
        Some(f) => anyhow::anyhow!("{}: --ensemble takes biaffine parsers with the same dependency labels", f.display()),
        None => anyhow::anyhow!("--ensemble: no parser files"),
    })
}

/// A BiLSTM parser model file (`--ensemble`, `--nn-teachers`).
fn read_bilstm(p: &std::path::Path) -> anyhow::Result<newsgraph::nlp::parser::bilstm::BilstmParser> {
    Ok(newsgraph::nlp::parser::bilstm::decode(&p.display().to_string(), &read_file(p)?)?)
}

pub fn train(a: TrainParserArgs) -> anyhow::Result<ExitCode> {
    match a.arch.as_str() {
        "bilstm" | "biaffine" => return train_bilstm(a),
        "perceptron" => {}
        other => bail!("--arch {other}: perceptron, bilstm or biaffine"),
    }
    let train = read_text(&a.train)?;
    let dev = read_text(&a.dev)?;
    let models = a.models.load_with(true)?;
    if models.pos.is_none() {
        eprintln!("parser: no POS model loaded: training on the files' own XPOS");
    }
    let opt = ParserTrainOptions {
        epochs: a.epochs,
        patience: a.patience,
        seed: a.seed,
        prune: a.prune,
        explore_from: a.explore_from,
        limit: a.limit,
        base_labels: a.base_labels,
        jackknife: a.jackknife,
        features: a.features,
        projectivize: a.projectivize,
        explore_rate: a.explore_rate,
        supertag_scheme: a.supertag_scheme,
        supertag_epochs: a.supertag_epochs,
    };
    let mut models = models;
    let mut stag_bytes = None;
    let t0 = Instant::now();
    let (data, score) = match &a.from_model {
        None if a.beam > 1 => {
            let init = match &a.init {
                Some(p) => Some(decode_data(&p.display().to_string(), &read_file(p)?)?),
                None => None,
            };
            let g = GlobalOptions { beam: a.beam, epochs: a.epochs, seed: a.seed, features: a.features, early_update: a.early_update, patience: a.patience, freeze: a.freeze };
            // Each best epoch so far is kept beside the output, before the size fit
            // (a long run can be stopped and finished with --from-model).
            let ckpt = a.output.with_extension("unfit.bin");
            let mut save = |d: &ParserData| {
                match write_model(KIND_PARSER, d, &ckpt) {
                    Ok(()) => eprintln!("parser: checkpoint -> {}", ckpt.display()),
                    Err(e) => eprintln!("parser: checkpoint {} not written: {e}", ckpt.display()),
                }
            };
            train_parser_beam(&train, &dev, &models, &opt, &g, init.as_ref(), &mut save, &mut |s| eprintln!("{s}")).map_err(anyhow::Error::msg)?
        }
        None => {
            let (d, s, st) = train_parser_supertagged(&train, &dev, &models, &opt, &mut |s| eprintln!("{s}")).map_err(anyhow::Error::msg)?;
            if let Some(st) = st {
                stag_bytes = Some(fit_supertagger(&st, a.supertag_max_bytes, &mut models)?);
            }
            (d, s)
        }
        Some(p) => {
            let d: ParserData = decode_data(&p.display().to_string(), &read_file(p)?)?;
            if let (Some(sp), true, true) = (&a.models.supertagger, d.features & F_STAG != 0, a.supertag_max_bytes > 0) {
                let name = sp.display().to_string();
                let st: TaggerData = format::decode(&name, KIND_SUPERTAG, &read_file(sp)?)?;
                stag_bytes = Some(fit_supertagger(&st, a.supertag_max_bytes, &mut models)?);
            }
            (d, Attachment::default())
        }
    };
    let (mut data, cut) = shrink(&data, a.max_bytes).map_err(anyhow::Error::msg)?;
    // The parser records the supertagger it is shipped with, so loading it with another is an error.
    if data.features & F_STAG != 0 {
        data.supertagger = models.supertagger.as_ref().map_or(0, |st| st.fingerprint);
    }
    let score = if cut > 0 || a.from_model.is_some() || stag_bytes.is_some() {
        let mut parser = Parser::from_data(data.clone()).map_err(anyhow::Error::msg)?;
        parser.supertagger = models.supertagger.clone();
        let trees = read_trees(&dev);
        let xpos = predicted_xpos(&models, &trees);
        let s = evaluate(&models, &parser, &trees, &xpos);
        eprintln!("parser: pruned weights below {cut} (of 32000) to fit {} bytes: dev UAS {:.2} LAS {:.2}", a.max_bytes, s.uas(), s.las());
        s
    } else {
        score
    };
    let bytes = format::encode(KIND_PARSER, &data)?;
    if let Some(b) = &stag_bytes {
        let p = a.supertagger_out.clone().unwrap_or_else(|| a.output.with_extension("supertag.bin"));
        write_atomic(&p, |w| {
            w.write_all(b)?;
            Ok(())
        })?;
        eprintln!("parser: supertagger ({} bytes) -> {}", b.len(), p.display());
    }
    write_atomic(&a.output, |w| {
        w.write_all(&bytes)?;
        Ok(())
    })?;
    eprintln!(
        "parser: best dev UAS {:.2} LAS {:.2}; {} features, {} bytes, {:.1}s -> {}",
        score.uas(),
        score.las(),
        data.linear.keys.len(),
        bytes.len(),
        t0.elapsed().as_secs_f64(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prunes a trained supertagger to `max_bytes` (0 = as trained), loads it
/// into `models` (the parser is scored with it) and returns its file bytes.
fn fit_supertagger(st: &TaggerData, max_bytes: usize, models: &mut Models) -> anyhow::Result<Vec<u8>> {
    let (st, cut) = supertag::shrink(st, max_bytes)?;
    let b = format::encode(KIND_SUPERTAG, &st)?;
    if cut > 0 {
        eprintln!("parser: supertagger pruned below {cut} (of 32000) to fit {max_bytes} bytes: {} features", st.linear.keys.len());
    }
    // A parser loaded with the old supertagger would not fit the new one.
    models.parser = None;
    models.set_supertagger("trained supertagger", &b)?;
    Ok(b)
}

#[derive(clap::Args)]
pub struct EvalParserArgs {
    /// CoNLL-U file with gold heads and deprels.
    #[arg(value_name = "FILE")]
    path: PathBuf,
    /// Beam width (1 = greedy; 0 = the one the model was trained for).
    #[arg(long, default_value_t = 0, value_name = "K")]
    beam: usize,
    /// Score these BiLSTM parser files together (mean head and label
    /// log-probabilities, Eisner over the means): what combining models would give.
    #[arg(long, value_delimiter = ',', value_name = "FILES", conflicts_with_all = ["parser", "beam"])]
    ensemble: Vec<PathBuf>,
    /// Read the file's own UPOS/XPOS instead of the POS tagger's (the score
    /// a perfect tagger would allow).
    #[arg(long)]
    gold_pos: bool,
    #[command(flatten)]
    models: ParserModelArgs,
}

/// Prints the scores, and on standard error the speed from the CPU clock read
/// before tagging, after tagging and after parsing.
fn report_scores(acc: &Attachment, what: &str, [c0, c1, c2]: [f64; 3]) {
    println!("words {}", acc.words);
    println!("UAS   {:.2}", acc.uas());
    println!("LAS   {:.2}  (full deprel, subtypes compared)", acc.las());
    println!("LAS   {:.2}  (universal part only, as conll18_ud_eval.py)", acc.las_base());
    let rate = |s: f64| acc.words as f64 / s.max(1e-9);
    eprintln!("{what} alone {:.0} words/s of CPU; with POS tagging {:.0} words/s", rate(c2 - c1), rate(c2 - c0));
}

pub fn eval(a: EvalParserArgs) -> anyhow::Result<ExitCode> {
    let text = read_text(&a.path)?;
    if !a.ensemble.is_empty() {
        let models = ParserModelArgs { parser: None, ..a.models.clone() }.load()?;
        let mut ens = read_ensemble(&a.ensemble, &models)?;
        let trees = read_trees(&text);
        let c0 = cpu_seconds();
        let joint = ens.first().reads_joint_pos();
        let xpos = if a.gold_pos { gold_pos(&trees, joint) } else { predicted_pos(&models, &trees, joint) };
        let c1 = cpu_seconds();
        let acc = newsgraph::nlp::parser::bilstm::evaluate_ensemble(&mut ens, &trees, &xpos, models.clusters.as_ref());
        report_scores(&acc, "ensemble", [c0, c1, cpu_seconds()]);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(p) = bilstm_parser(&a.models, a.beam > 0)? {
        let models = ParserModelArgs { parser: None, ..a.models.clone() }.load()?;
        if !p.fits_clusters(models.clusters.as_ref()) {
            bail!("the BiLSTM parser was trained with other word clusters than the ones loaded");
        }
        let trees = read_trees(&text);
        let c0 = cpu_seconds();
        let xpos = if a.gold_pos { gold_pos(&trees, p.reads_joint_pos()) } else { predicted_pos(&models, &trees, p.reads_joint_pos()) };
        let c1 = cpu_seconds();
        let acc = newsgraph::nlp::parser::bilstm::evaluate(&p, &trees, &xpos, models.clusters.as_ref());
        report_scores(&acc, if p.is_biaffine() { "biaffine parser" } else { "bilstm parser" }, [c0, c1, cpu_seconds()]);
        return Ok(ExitCode::SUCCESS);
    }
    let models = a.models.load()?;
    let Some(parser) = &models.parser else { bail!("no parser model loaded (models/parser.bin is empty; try --parser FILE)") };
    let trees = read_trees(&text);
    let c0 = cpu_seconds();
    let xpos = if a.gold_pos { gold_pos(&trees, false) } else { predicted_xpos(&models, &trees) };
    let c1 = cpu_seconds();
    let acc = evaluate_beam(&models, parser, &trees, &xpos, a.beam);
    report_scores(&acc, "parser", [c0, c1, cpu_seconds()]);
    let rate = |s: f64| acc.words as f64 / s.max(1e-9);
    if let (true, Some(st)) = (parser.needs_supertags(), &parser.supertagger) {
        // Its share of "parser alone": the same sentences supertagged on their own.
        let mut sc = newsgraph::nlp::tagger::Scratch::default();
        let (mut cl, mut hs) = (Vec::new(), Vec::new());
        let c3 = cpu_seconds();
        for t in &trees {
            let words: Vec<&str> = t.words.iter().map(|w| w.as_str()).collect();
            st.tag_hashes(&words, models.clusters.as_ref(), &mut sc, &mut cl, &mut hs);
        }
        eprintln!("(of which supertagging alone {:.0} words/s)", rate(cpu_seconds() - c3));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ParseArgs {
    /// Input is CoNLL-U: its lines are kept, with predicted UPOS, XPOS, HEAD and DEPREL.
    #[arg(long, required_unless_present = "text", conflicts_with = "text")]
    conllu: bool,
    /// Input is plain text: newsgraph's own sentences and tokens (what
    /// `build --parse` reads) are written as CoNLL-U and parsed.
    #[arg(long)]
    text: bool,
    /// Parse with these biaffine parser files together (mean head and label
    /// log-probabilities, Eisner over the means): slower, more accurate.
    #[arg(long, value_delimiter = ',', value_name = "FILES", conflicts_with = "parser")]
    ensemble: Vec<PathBuf>,
    /// Input file (default: standard input).
    #[arg(value_name = "INPUT")]
    path: Option<PathBuf>,
    /// Output file (default: standard output). Written atomically.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    #[command(flatten)]
    models: ParserModelArgs,
}

pub fn parse(a: ParseArgs) -> anyhow::Result<ExitCode> {
    let (name, bytes) = match &a.path {
        Some(p) if p.as_os_str() != "-" => (p.display().to_string(), read_file(p)?),
        _ => {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).context("standard input: cannot read")?;
            ("standard input".to_string(), b)
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{name}: invalid UTF-8 at byte offset {}", e.utf8_error().valid_up_to()))?;
    let models = a.models.load()?;
    let mut ens = if a.ensemble.is_empty() { None } else { Some(read_ensemble(&a.ensemble, &models)?) };
    if models.parser.is_none() && models.bilstm.is_none() && ens.is_none() {
        bail!("no parser model loaded (models/parser.bin is empty; try --parser FILE)");
    }
    let text = if a.text { text_to_conllu(&text) } else { text };
    let mut ens = ens.as_mut();
    match &a.output {
        Some(p) => write_atomic(p, |w| {
            write_parsed_conllu(&models, &text, ens.take(), PART_BYTES, w)?;
            Ok(())
        })?,
        None => {
            let mut so = std::io::BufWriter::new(std::io::stdout().lock());
            write_parsed_conllu(&models, &text, ens, PART_BYTES, &mut so)
                .and_then(|()| so.flush())
                .context("standard output: cannot write")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
