//! The command lines of the README: the `sh` blocks and the `pts`/`bash` spans of a
//! section's prose, and the `pts` spans of a table's last column.

/// One command line as the README writes it, with the comment beside it (if any).
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub comment: String,
}

/// The text under `## TITLE` up to the next `## ` heading.
pub fn section<'a>(readme: &'a str, title: &str) -> &'a str {
    let head = format!("\n## {title}\n");
    let start = readme.find(&head).unwrap_or_else(|| panic!("README has no `## {title}`"));
    let body = &readme[start + head.len()..];
    body.find("\n## ").map_or(body, |end| &body[..end])
}

/// Every command of a section: lines of its `sh` blocks, then inline spans in its prose
/// that start with `pts ` or `bash `, and the last column of its table, in reading order.
pub fn commands(section: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut in_block = false;
    for raw in section.lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_block = !in_block && line == "```sh";
            continue;
        }
        if in_block {
            if !line.is_empty() {
                out.push(split_comment(line));
            }
            continue;
        }
        let prose = if line.starts_with('|') { table_last_cell(line) } else { Some(line) };
        for span in prose.map(spans).unwrap_or_default() {
            if span.starts_with("pts ") || span.starts_with("bash ") {
                out.push(Line { text: span.to_string(), comment: String::new() });
            }
        }
    }
    out
}

/// The last cell of a table row; none for the header and the rule.
fn table_last_cell(row: &str) -> Option<&str> {
    if row.starts_with("|---") || row.starts_with("| task") {
        return None;
    }
    row.trim_end_matches('|').rsplit('|').next()
}

fn split_comment(line: &str) -> Line {
    match line.find("  #") {
        Some(i) => Line {
            text: line[..i].trim().to_string(),
            comment: line[i..].trim_start().trim_start_matches('#').trim().to_string(),
        },
        None => Line { text: line.to_string(), comment: String::new() },
    }
}

/// The `code spans` of a line of prose.
fn spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// Shell words: spaces separate, double or single quotes group (no escapes are used in
/// the README).
pub fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    let mut started = false;
    for c in cmd.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, ' ') => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            _ => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

#[test]
fn parsing_keeps_quotes_comments_and_table_cells() {
    let sec = "intro `pts a b` and `--x`\n```sh\npts run f --sla \"p99<1ms,e<1%\" --yes   # gate\n```\n| task | today | pts |\n|---|---|---|\n| t | `old.py` | `pts scene get ID`, `-o json` |\n";
    let cmds = commands(sec);
    let texts: Vec<&str> = cmds.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["pts a b", "pts run f --sla \"p99<1ms,e<1%\" --yes", "pts scene get ID"]);
    assert_eq!(cmds[1].comment, "gate");
    assert_eq!(words(&cmds[1].text), ["pts", "run", "f", "--sla", "p99<1ms,e<1%", "--yes"]);
}
