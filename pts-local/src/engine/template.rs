//! `${name}` templates, compiled once per run.
//!
//! Global parameters are constants and are inlined at compile time; file columns and exports
//! become variable slots of the virtual user. A reference to a name that is neither stays in
//! the text literally (`${name}`), as does a variable that has no value yet (JMeter behaves the
//! same way), so a missing value is visible in sample logs.

/// Index of a variable slot in a virtual user's variable table.
pub(crate) type VarId = u32;

/// What a `${name}` reference resolves to at compile time.
pub(crate) enum Resolved {
    Const(String),
    Var(VarId),
}

#[derive(Debug, Clone)]
enum Seg {
    Lit(String),
    Var(VarId, Box<str>),
}

/// A string with `${name}` references.
#[derive(Debug, Clone, Default)]
pub(crate) struct Template {
    segs: Vec<Seg>,
}

impl Template {
    /// Compiles `text`; `lookup` resolves each referenced name (None keeps it literal).
    pub(crate) fn compile(text: &str, lookup: &mut dyn FnMut(&str) -> Option<Resolved>) -> Self {
        let mut segs: Vec<Seg> = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            lit.push_str(&rest[..start]);
            let name = after[..end].trim();
            match lookup(name) {
                Some(Resolved::Const(v)) => lit.push_str(&v),
                Some(Resolved::Var(id)) => {
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(Seg::Var(id, name.into()));
                }
                None => lit.push_str(&rest[start..start + 2 + end + 1]),
            }
            rest = &after[end + 1..];
        }
        lit.push_str(rest);
        if !lit.is_empty() || segs.is_empty() {
            segs.push(Seg::Lit(lit));
        }
        Template { segs }
    }

    /// The text when the template has no variable part.
    pub(crate) fn static_text(&self) -> Option<&str> {
        match self.segs.as_slice() {
            [Seg::Lit(s)] => Some(s),
            [] => Some(""),
            _ => None,
        }
    }

    pub(crate) fn is_static(&self) -> bool {
        self.static_text().is_some()
    }

    /// Appends the rendered text to `out`.
    pub(crate) fn render_into(&self, vars: &[Option<String>], out: &mut String) {
        for seg in &self.segs {
            match seg {
                Seg::Lit(s) => out.push_str(s),
                Seg::Var(id, name) => match vars.get(*id as usize).and_then(|v| v.as_deref()) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push_str("${");
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
    }

    pub(crate) fn render(&self, vars: &[Option<String>]) -> String {
        let mut s = String::new();
        self.render_into(vars, &mut s);
        s
    }

    /// The variables referenced, with their names.
    pub(crate) fn vars(&self) -> impl Iterator<Item = (VarId, &str)> {
        self.segs.iter().filter_map(|s| match s {
            Seg::Var(id, name) => Some((*id, &**name)),
            Seg::Lit(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<Resolved> {
        match name {
            "g" => Some(Resolved::Const("G".into())),
            "v" => Some(Resolved::Var(0)),
            _ => None,
        }
    }

    #[test]
    fn compiles_and_renders() {
        let t = Template::compile("a${g}b${v}c${x}d${", &mut lookup);
        assert!(!t.is_static());
        assert_eq!(t.render(&[Some("V".into())]), "aGbVc${x}d${");
        assert_eq!(t.render(&[None]), "aGb${v}c${x}d${");
        let s = Template::compile("x${g}", &mut lookup);
        assert_eq!(s.static_text(), Some("xG"));
        assert_eq!(Template::compile("", &mut lookup).static_text(), Some(""));
    }
}
