//! Pronouns as references (with their `kind`) and surname-only people linked
//! across documents, through the real binary.

use super::{json, run};
use serde_json::Value;

fn node<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["nodes"].as_array().unwrap().iter().find(|n| n["id"] == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn same_as(g: &Value) -> Vec<(String, String)> {
    g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] == "same_as")
        .map(|e| (e["source"].as_str().unwrap().to_string(), e["target"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn pronouns_are_references_with_a_kind_and_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    // "Zoë" and the dash are not ASCII: offsets are code points, not bytes.
    let text = "Zoë Okafor wins Lagos vote\n\nZoë Okafor — the new governor — was sworn in on Monday. \
                She said her first task would be the port.\n";
    std::fs::write(&a, text).unwrap();
    let g = json(&run(&["build", a.to_str().unwrap(), "--date", "2031-03-05"]));
    let n = node(&g, "person:zoë-okafor");
    assert_eq!(n["label"], "Zoë Okafor");
    assert!(n["aliases"].as_array().unwrap().iter().all(|a| a != "She" && a != "her"), "{n}");
    let chars: Vec<char> = text.chars().collect();
    let pron: Vec<&Value> = n["references"].as_array().unwrap().iter().filter(|m| m["kind"] == "pronoun").collect();
    let texts: Vec<&str> = pron.iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["She", "her"], "{n}");
    for m in pron {
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        assert_eq!(chars[s..e].iter().collect::<String>(), m["text"].as_str().unwrap());
    }
    // Mentions are the names, with no kind: entity scorers read them as name spans.
    let names: Vec<&Value> = n["mentions"].as_array().unwrap().iter().collect();
    assert!(names.iter().all(|m| m.get("kind").is_none() && m["text"] == "Zoë Okafor"), "{n}");
}

#[test]
fn a_surname_alone_links_to_the_one_full_name_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str, text: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        f.to_str().unwrap().to_string()
    };
    let a = p("a.txt", "Port strike ends\n\nTransport minister Anton Grebov met union leaders in Gdansk on Monday.\n");
    let b = p("b.txt", "Dockers return\n\nDockers went back to work on Tuesday after Grebov promised higher pay.\n");
    let c = p("c.txt", "Bank chief named\n\nMarta Grebov was named head of the central bank on Friday.\n");
    let out = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    for args in [
        vec!["build", &a, &b, "-o", &out("ab.json")],
        vec!["build", &a, "-o", &out("a.json")],
        vec!["build", &b, "-o", &out("b.json")],
        vec!["merge", &out("b.json"), &out("a.json"), "-o", &out("ba.json")],
        vec!["merge", &out("ba.json"), &out("ba.json"), "-o", &out("ba2.json")],
        vec!["build", &a, &b, &c, "-o", &out("abc.json")],
        vec!["build", &c, "-o", &out("c.json")],
        vec!["merge", &out("ba.json"), &out("c.json"), "-o", &out("bac.json")],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", super::stderr(&o));
    }
    let read = |n: &str| std::fs::read_to_string(out(n)).unwrap();
    let load = |n: &str| serde_json::from_str::<Value>(&read(n)).unwrap();
    // The surname-only node keeps its id and is linked to the full name.
    let ab = load("ab.json");
    assert_eq!(same_as(&ab), [("person:grebov".to_string(), "person:anton-grebov".to_string())]);
    assert!(same_as(&load("a.json")).is_empty() && same_as(&load("b.json")).is_empty());
    // build(a + b) == merge(build(b), build(a)); merging with itself changes nothing.
    assert_eq!(read("ab.json"), read("ba.json"));
    assert_eq!(read("ba.json"), read("ba2.json"));
    // A second full name with that surname: "Grebov" is ambiguous, no link,
    // whether built together or merged later.
    assert!(same_as(&load("abc.json")).is_empty());
    assert_eq!(read("abc.json"), read("bac.json"));
}
