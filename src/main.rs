use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            // One line: the error and its causes, each once (a message may
            // already quote its cause, e.g. "x: cannot read: <io error>").
            let mut msg = e.to_string();
            for cause in e.chain().skip(1).map(|c| c.to_string()) {
                if !msg.contains(&cause) {
                    msg.push_str(": ");
                    msg.push_str(&cause);
                }
            }
            eprintln!("newsgraph: {}", msg.replace('\n', " "));
            ExitCode::from(1)
        }
    }
}
