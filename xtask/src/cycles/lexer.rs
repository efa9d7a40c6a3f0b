//! Rust source as the cycle checker reads it: identifiers, `::` and single punctuation,
//! with comments and literals reduced to one opaque token, so a path inside a string or a
//! doc comment never counts as an import.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
    Literal,
}

pub fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            i = skip_block_comment(&c, i);
        } else if let Some(end) = prefixed_literal(&c, i) {
            out.push(Tok::Literal);
            i = end;
        } else if ch == '"' {
            out.push(Tok::Literal);
            i = skip_quoted(&c, i + 1, '"');
        } else if ch == '\'' {
            i = quote_or_lifetime(&c, i, &mut out);
        } else if ch == 'r' && next == Some('#') && c.get(i + 2).is_some_and(|&x| ident_start(x)) {
            let end = ident_end(&c, i + 2);
            out.push(Tok::Ident(c[i + 2..end].iter().collect()));
            i = end;
        } else if ident_start(ch) {
            let end = ident_end(&c, i);
            out.push(Tok::Ident(c[i..end].iter().collect()));
            i = end;
        } else if ch.is_ascii_digit() {
            out.push(Tok::Literal);
            i = ident_end(&c, i);
        } else if ch == ':' && next == Some(':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            out.push(Tok::Punct(ch));
            i += 1;
        }
    }
    out
}

fn ident_start(ch: char) -> bool {
    ch == '_' || ch.is_alphabetic()
}

fn ident_end(c: &[char], mut i: usize) -> usize {
    while i < c.len() && (c[i] == '_' || c[i].is_alphanumeric()) {
        i += 1;
    }
    i
}

/// Block comments nest in Rust.
fn skip_block_comment(c: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < c.len() {
        match (c[i], c.get(i + 1).copied()) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    i
}

/// The index after the closing `quote`, honouring backslash escapes.
fn skip_quoted(c: &[char], mut i: usize, quote: char) -> usize {
    while i < c.len() {
        if c[i] == '\\' {
            i += 2;
        } else if c[i] == quote {
            return i + 1;
        } else {
            i += 1;
        }
    }
    i
}

/// `b"…"`, `c"…"`, `b'x'` and the raw forms `r"…"`, `r#"…"#`, `br#"…"#`, `cr"…"`.
fn prefixed_literal(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if matches!(c.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if c.get(j) == Some(&'r') {
        let mut hashes = 0;
        j += 1;
        while c.get(j) == Some(&'#') {
            hashes += 1;
            j += 1;
        }
        if c.get(j) != Some(&'"') {
            return None;
        }
        j += 1;
        while j < c.len() {
            if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                return Some(j + 1 + hashes);
            }
            j += 1;
        }
        return Some(j);
    }
    match c.get(j) {
        Some('"') if j > i => Some(skip_quoted(c, j + 1, '"')),
        Some('\'') if j > i && c[i] == 'b' => Some(skip_quoted(c, j + 1, '\'')),
        _ => None,
    }
}

/// A char literal becomes a literal token; a lifetime (`'a`, `'static`) is dropped.
fn quote_or_lifetime(c: &[char], i: usize, out: &mut Vec<Tok>) -> usize {
    if c.get(i + 1) == Some(&'\\') {
        out.push(Tok::Literal);
        return skip_quoted(c, i + 1, '\'');
    }
    if c.get(i + 2) == Some(&'\'') {
        out.push(Tok::Literal);
        return i + 3;
    }
    out.push(Tok::Punct('\''));
    ident_end(c, i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(src: &str) -> Vec<String> {
        tokens(src)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Ident(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_strings_and_chars_hide_their_contents() {
        let src = r####"a // crate::x
            /* outer /* crate::y */ still */ b "crate::z \" q" c r#"crate::w "# d
            b"crate::v" e '"' f '\'' g 'h' fn k<'life>() {} br##"x"## l"####;
        assert_eq!(idents(src), ["a", "b", "c", "d", "e", "f", "g", "fn", "k", "l"]);
    }

    #[test]
    fn paths_keep_their_separators() {
        let toks = tokens("use r#crate::a;");
        assert_eq!(toks[1], Tok::Ident("crate".into()));
        assert_eq!(toks[2], Tok::PathSep);
        assert_eq!(toks[4], Tok::Punct(';'));
    }
}
