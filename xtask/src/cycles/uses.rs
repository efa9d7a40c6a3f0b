//! The paths one file names: every `use` tree expanded to its leaves, and every other
//! path that starts with a name (`crate::a::f()`, `super::X`, `child::run()`), each with
//! the module it appears in (the file's module plus any inline `mod name { … }` around it,
//! so `use super::*` in an inline `mod tests` names the file itself, not its parent).

use super::lexer::Tok;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathUse {
    /// The module the path is written in, from the crate root.
    pub scope: Vec<String>,
    /// The path's segments as written (`crate`, `super`, `self` kept); a leading `::`
    /// (an extern crate) is kept as an empty first segment.
    pub path: Vec<String>,
}

/// The paths of a file whose module is `module`. `mod child;` declarations name nothing.
pub fn path_uses(toks: &[Tok], module: &[String]) -> Vec<PathUse> {
    let mut out = Vec::new();
    // One entry per open brace: the inline module it opened, if any.
    let mut braces: Vec<Option<String>> = Vec::new();
    let scope = |braces: &[Option<String>]| {
        let mut s = module.to_vec();
        s.extend(braces.iter().flatten().cloned());
        s
    };
    let mut i = 0;
    while i < toks.len() {
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        match &toks[i] {
            Tok::Ident(k) if k == "use" => {
                let mut paths = Vec::new();
                i = use_tree(toks, i + 1, Vec::new(), &mut paths);
                let scope = scope(&braces);
                out.extend(paths.into_iter().map(|path| PathUse { scope: scope.clone(), path }));
                continue;
            }
            Tok::Ident(k) if k == "mod" => {
                if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    braces.push(Some(name.clone()));
                    i += 3;
                    continue;
                }
            }
            // Code a macro writes out (codegen's `quote!`) names paths of the crate it
            // generates, not of this one.
            Tok::Ident(m)
                if QUOTING_MACROS.contains(&m.as_str())
                    && toks.get(i + 1) == Some(&Tok::Punct('!')) =>
            {
                i = skip_group(toks, i + 2);
                continue;
            }
            Tok::Punct('{') => braces.push(None),
            Tok::Punct('}') => {
                braces.pop();
            }
            // `$crate` is the macro's crate wherever it expands; `pub(in path)` restricts
            // visibility and imports nothing.
            Tok::Ident(first)
                if toks.get(i + 1) == Some(&Tok::PathSep)
                    && !matches!(prev, Some(Tok::PathSep | Tok::Punct('$')))
                    && !matches!(prev, Some(Tok::Ident(p)) if p == "in") =>
            {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while let (Some(Tok::PathSep), Some(Tok::Ident(seg))) =
                    (toks.get(j), toks.get(j + 1))
                {
                    path.push(seg.clone());
                    j += 2;
                }
                out.push(PathUse { scope: scope(&braces), path });
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Macros whose input is code to emit rather than code of this crate.
const QUOTING_MACROS: &[&str] = &["quote", "quote_spanned", "parse_quote"];

/// The index after the delimited group opening at `i` (or `i` when none opens there).
fn skip_group(t: &[Tok], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, tok) in t.iter().enumerate().skip(i) {
        match tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
            _ if depth == 0 => return i,
            _ => {}
        }
    }
    t.len()
}

/// Expands one use tree starting at `i` under `prefix` into `out`; returns the index after it.
fn use_tree(t: &[Tok], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    if t.get(i) == Some(&Tok::PathSep) {
        i += 1;
        if prefix.is_empty() {
            prefix.push(String::new());
        }
    }
    loop {
        match t.get(i) {
            // `{self, …}` names the prefix itself.
            Some(Tok::Ident(s)) if s == "self" && !prefix.is_empty() => {
                out.push(prefix);
                return skip_alias(t, i + 1);
            }
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                i += 1;
                if t.get(i) == Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                out.push(prefix);
                return skip_alias(t, i);
            }
            Some(Tok::Punct('*')) => {
                out.push(prefix);
                return i + 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    match t.get(i) {
                        Some(Tok::Punct('}')) => return i + 1,
                        Some(Tok::Punct(',')) => i += 1,
                        None => return i,
                        _ => {
                            let j = use_tree(t, i, prefix.clone(), out);
                            i = if j == i { i + 1 } else { j };
                        }
                    }
                }
            }
            _ => return i,
        }
    }
}

fn skip_alias(t: &[Tok], i: usize) -> usize {
    match t.get(i) {
        Some(Tok::Ident(a)) if a == "as" => i + 2,
        _ => i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycles::lexer::tokens;

    fn paths(src: &str, module: &[&str]) -> Vec<(String, String)> {
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        path_uses(&tokens(src), &module)
            .into_iter()
            .map(|u| (u.scope.join("::"), u.path.join("::")))
            .collect()
    }

    fn pair(scope: &str, path: &str) -> (String, String) {
        (scope.to_string(), path.to_string())
    }

    #[test]
    fn use_trees_expand_to_their_leaves() {
        let got = paths("pub use crate::a::{self, b::{C as D, e::*}, F};\nuse ::ext::X;", &["m"]);
        let want = ["crate::a", "crate::a::b::C", "crate::a::b::e", "crate::a::F", "::ext::X"];
        assert_eq!(got, want.map(|p| pair("m", p)));
    }

    #[test]
    fn expression_paths_and_inline_modules() {
        let src = "mod child; fn f() { crate::x::y::<T>(); let v = a::b; }
                   #[cfg(test)] mod tests { use super::*; fn g() { super::h() } }
                   macro_rules! m { () => { $crate::z::Z } } pub(in crate::p) struct S;
                   fn q() { quote! { crate::gen::X { a: {} } }; super::after() }";
        let got = paths(src, &["m"]);
        let want = [
            pair("m", "crate::x::y"),
            pair("m", "a::b"),
            pair("m::tests", "super"),
            pair("m::tests", "super::h"),
            pair("m", "super::after"),
        ];
        assert_eq!(got, want);
    }
}
