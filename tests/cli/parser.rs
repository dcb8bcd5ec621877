//! `train parser`, `eval parser` and `parse --conllu` through the real binary, on invented sentences.

use super::run;

const TREES: &str = "# sent_id = t1
# text = Rescuers reached the village.
1\tRescuers\trescuer\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\treached\treach\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\tvillage\tvillage\tNOUN\tNN\t_\t2\tobj\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# sent_id = t2
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tresigned\tresign\tVERB\tVBD\t_\t0\troot\t_\t_
4\ton\ton\tADP\tIN\t_\t5\tcase\t_\t_
5\tFriday\tFriday\tPROPN\tNNP\t_\t3\tobl\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

";

#[test]
fn parser_trains_scores_and_parses_conllu() {
    let dir = std::env::temp_dir().join(format!("ng-parser-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data = dir.join("trees.conllu");
    std::fs::write(&data, TREES).expect("write fixture");
    let model = dir.join("parser.bin");
    let (d, m) = (data.to_str().expect("utf-8 path"), model.to_str().expect("utf-8 path"));
    let o = run(&["train", "parser", "--train", d, "--dev", d, "-o", m, "--epochs", "6"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["eval", "parser", "--parser", m, d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("words 11"), "{out}");
    let uas: f64 = out.lines().find_map(|l| l.strip_prefix("UAS")).and_then(|v| v.trim().parse().ok()).expect("a UAS line");
    assert!(uas >= 80.0, "{out}");
    let o = run(&["parse", "--conllu", "--parser", m, d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let parsed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(parsed.lines().count(), TREES.lines().count());
    assert!(parsed.starts_with("# sent_id = t1\n# text = Rescuers reached the village.\n1\tRescuers\trescuer\t"), "{parsed}");
    for l in parsed.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())) {
        let cols: Vec<&str> = l.split('\t').collect();
        assert_eq!(cols.len(), 10, "{l}");
        assert!(cols[6].parse::<u32>().is_ok_and(|h| h <= 6), "{l}");
    }
    assert!(parsed.contains("\tSpaceAfter=No\n"));
    // Exactly one root per sentence.
    assert_eq!(parsed.lines().filter(|l| l.split('\t').nth(6) == Some("0")).count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `build --parse`: events read verbs' subjects from the dependency parse
/// (here a coordinated subject, which the word-window rules passed over when written).
#[test]
fn build_with_parse_finds_the_subject_of_a_verb() {
    let dir = std::env::temp_dir().join(format!("ng-parser-build-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let article = dir.join("article.txt");
    std::fs::write(
        &article,
        "Storm hits coast\n\nThe mayor of Valencia, Jorge Ruiz, was attacked late on Sunday evening near the harbour.\n\
         When Ruiz and his driver left the town hall, protesters surrounded the car.\n",
    )
    .expect("write fixture");
    let a = article.to_str().expect("utf-8 path");
    let agent_of_left = |extra: &[&str]| -> bool {
        let mut args = vec!["build", a, "--date", "2024-12-19"];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let g: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON graph");
        g["edges"].as_array().expect("edges").iter().any(|e| {
            e["relation"] == "agent" && e["target"] == "person:jorge-ruiz" && e["evidence"][0]["text"].as_str().is_some_and(|t| t.ends_with("left"))
        })
    };
    assert!(agent_of_left(&["--parse"]));
    // The shipped beam parser, chosen by file, reads the same subject.
    let beam = super::root().join("models/parser-beam.bin");
    assert!(agent_of_left(&["--parser", beam.to_str().expect("utf-8 path")]));
    let o = run(&["build", a, "--parser", "models/no-such-parser.bin"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no-such-parser.bin"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--features 16`: training also writes the supertagger, which eval reads beside the parser.
#[test]
fn supertag_features_write_and_need_a_supertagger() {
    let dir = std::env::temp_dir().join(format!("ng-parser-stag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data = dir.join("trees.conllu");
    std::fs::write(&data, TREES).expect("write fixture");
    let (model, stag) = (dir.join("p.bin"), dir.join("p.supertag.bin"));
    let (d, m, s) = (data.to_str().expect("utf-8 path"), model.to_str().expect("utf-8 path"), stag.to_str().expect("utf-8 path"));
    let o = run(&["train", "parser", "--train", d, "--dev", d, "-o", m, "--epochs", "4", "--features", "16"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stag.exists());
    let o = run(&["eval", "parser", "--parser", m, "--supertagger", s, d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("words 11"));
    let _ = std::fs::remove_dir_all(&dir);
}
